package dev.stevedore.agent.credentials;

/** The agent cannot get or use its instance credentials; the message says why and what to do. */
public final class JoinException extends RuntimeException {

    public JoinException(String message) {
        super(message);
    }

    public JoinException(String message, Throwable cause) {
        super(message, cause);
    }
}
