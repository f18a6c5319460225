package dev.stevedore.scheduler.query;

/**
 * A cluster query that cannot be parsed or that uses an operator its subject does not allow.
 *
 * <p>The message names what was expected and where; callers map it to
 * {@code InvalidParameterException}.
 */
public final class QuerySyntaxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int position;

    QuerySyntaxException(String message, int position) {
        super(message);
        this.position = position;
    }

    /** Zero-based character offset in the query where the problem was found. */
    public int position() {
        return position;
    }
}
