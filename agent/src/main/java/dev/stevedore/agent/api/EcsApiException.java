package dev.stevedore.agent.api;

/**
 * A call to the ECS API that failed: refused by the control plane (a client error, with its AWS
 * error code) or not answered (the control plane is unreachable or failed, which may pass).
 */
public class EcsApiException extends RuntimeException {
    private final String errorCode;
    private final boolean clientError;

    public EcsApiException(String errorCode, boolean clientError, String message) {
        super(message);
        this.errorCode = errorCode;
        this.clientError = clientError;
    }

    public EcsApiException(String errorCode, boolean clientError, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.clientError = clientError;
    }

    /** The AWS error code ({@code ClusterNotFoundException}, ...), or empty when there was no answer. */
    public String errorCode() {
        return errorCode;
    }

    /** Whether the control plane refused the call itself; retrying the same call will not help. */
    public boolean isClientError() {
        return clientError;
    }
}
