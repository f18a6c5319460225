package dev.stevedore.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed IAM policy document (inline or managed identity, session, trust or other resource-based policy): immutable,
 * its statements compiled once for evaluation.
 *
 * <p>{@link #parse(String, PolicyKind)} applies the grammar of one kind, with IAM's messages;
 * {@link #parse(String)} applies what every kind shares. Both refuse with a
 * {@link MalformedPolicyException} whose message is what IAM answers as {@code MalformedPolicyDocument}.
 * Size quotas (6,144 characters for a managed policy, 2,048 for a user's inline policy…) are the
 * caller's: count with {@link #countedLength(String)}.
 */
public final class PolicyDocument {
    /** The Version that turns on policy variables; the only one a managed policy accepts. */
    public static final String VERSION_2012 = "2012-10-17";
    public static final String VERSION_2008 = "2008-10-17";

    private final Optional<String> version;
    private final Optional<String> id;
    private final List<Statement> statements;

    PolicyDocument(Optional<String> version, Optional<String> id, List<Statement> statements) {
        this.version = version;
        this.id = id;
        this.statements = List.copyOf(statements);
    }

    /**
     * Parses a document with the grammar every kind shares (no check that Principal is present or
     * absent, nor that Resource is).
     */
    public static PolicyDocument parse(String text) {
        Objects.requireNonNull(text, "text");
        return PolicyParser.parse(text, Optional.empty());
    }

    /** Parses a document of {@code kind}, or says, as IAM would, why it is not one. */
    public static PolicyDocument parse(String text, PolicyKind kind) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(kind, "kind");
        return PolicyParser.parse(text, Optional.of(kind));
    }

    /**
     * The length IAM counts against its policy size quotas: characters (code points) other than white space.
     */
    public static int countedLength(String text) {
        return (int) text.codePoints().filter(c -> !Character.isWhitespace(c)).count();
    }

    public Optional<String> version() {
        return version;
    }

    public Optional<String> id() {
        return id;
    }

    public List<Statement> statements() {
        return statements;
    }
}
