package dev.stevedore.scheduler.query;

import java.util.Objects;

/**
 * A parsed expression of the ECS cluster query language, as used by {@code memberOf} placement
 * constraints and by {@code ListContainerInstances --filter}.
 *
 * <p>Subjects: {@code agentConnected}, {@code agentVersion}, {@code ec2InstanceId},
 * {@code registeredAt}, {@code runningTasksCount}, {@code task:group} and
 * {@code attribute:<name>}; operators in symbol and keyword spelling ({@code ==}/{@code equals},
 * {@code !in}/{@code not_in}, {@code =~}/{@code matches}…); {@code and}/{@code &&},
 * {@code or}/{@code ||}, {@code not}/{@code !} and parentheses. How each subject compares:
 * <ul>
 *   <li>{@code attribute:<name>} — text; {@code > >= < <=} compare numerically when both sides
 *       are plain decimal numbers and lexically otherwise; every operator but {@code exists}
 *       and {@code not_exists} is false when the attribute is absent.</li>
 *   <li>{@code agentConnected} — the text {@code true} or {@code false}.</li>
 *   <li>{@code agentVersion} — as versions ({@code 1.9.0 < 1.14.5}).</li>
 *   <li>{@code registeredAt} — as instants; dates without an offset are UTC.</li>
 *   <li>{@code runningTasksCount} — as numbers.</li>
 *   <li>{@code task:group} — true when some task group on the instance qualifies; the negated
 *       operators are exact negations.</li>
 *   <li>{@code matches} — a {@link java.util.regex.Pattern} that must match the whole value.</li>
 * </ul>
 * Instances are immutable and safe to share between threads.
 */
public final class ClusterQuery {

    private final String source;
    private final Expr expr;
    private final boolean readsTasks;

    private ClusterQuery(String source, Expr expr) {
        this.source = source;
        this.expr = expr;
        this.readsTasks = readsTasks(expr);
    }

    /**
     * Parses a query.
     *
     * @throws QuerySyntaxException if the text is not a valid query; the message names the
     *     zero-based position and what was expected there
     */
    public static ClusterQuery parse(String source) {
        Objects.requireNonNull(source, "source");
        return new ClusterQuery(source, Parser.parse(source));
    }

    /** Whether the instance satisfies the query. */
    public boolean matches(QueryTarget instance) {
        return expr.test(instance);
    }

    /**
     * Whether the query reads what placing or stopping tasks changes ({@code runningTasksCount},
     * {@code task:group}). A query that does not depends only on the instance's registration,
     * attributes and agent, so the scheduler can evaluate it once per instance and keep the answer
     * until the instance itself changes.
     */
    public boolean readsTasks() {
        return readsTasks;
    }

    private static boolean readsTasks(Expr expr) {
        return switch (expr) {
            case Expr.And and -> and.parts().stream().anyMatch(ClusterQuery::readsTasks);
            case Expr.Or or -> or.parts().stream().anyMatch(ClusterQuery::readsTasks);
            case Expr.Not not -> readsTasks(not.inner());
            case Expr.CountCondition count -> true;
            case Expr.TaskGroupCondition group -> true;
            case Expr.AttributeCondition a -> false;
            case Expr.TextCondition t -> false;
            case Expr.VersionCondition v -> false;
            case Expr.InstantCondition i -> false;
        };
    }

    /** The text the query was parsed from. */
    public String source() {
        return source;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClusterQuery that && source.equals(that.source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    @Override
    public String toString() {
        return source;
    }
}
