package dev.stevedore.agent.host;

/** The agent cannot start: the control plane refused to register it, or the container engine is unusable. */
public final class AgentStartException extends RuntimeException {
    public AgentStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
