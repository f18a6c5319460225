package dev.stevedore.control.ecs.taskdef;

/**
 * A RegisterTaskDefinition request that breaks one of the ECS task definition rules.
 *
 * <p>Carries the ECS error code the edge sends back ({@code ClientException} or
 * {@code InvalidParameterException}) and, as its message, the text ECS would answer with.
 */
public final class InvalidTaskDefinitionException extends RuntimeException {

    /** The error code ECS uses for almost every registration rule. */
    public static final String CLIENT_EXCEPTION = "ClientException";
    /** The error code ECS uses for the few rules it reports as a bad parameter. */
    public static final String INVALID_PARAMETER_EXCEPTION = "InvalidParameterException";

    private static final long serialVersionUID = 1L;

    private final String errorCode;

    private InvalidTaskDefinitionException(String errorCode, String message) {
        // No stack trace: this is an expected answer to a client, thrown often and never debugged.
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    static InvalidTaskDefinitionException client(String message) {
        return new InvalidTaskDefinitionException(CLIENT_EXCEPTION, message);
    }

    static InvalidTaskDefinitionException invalidParameter(String message) {
        return new InvalidTaskDefinitionException(INVALID_PARAMETER_EXCEPTION, message);
    }

    /** The ECS error code: {@code "ClientException"} or {@code "InvalidParameterException"}. */
    public String errorCode() {
        return errorCode;
    }
}
