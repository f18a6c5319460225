package dev.stevedore.agent.channel;

/**
 * The control plane answered the channel's handshake with an HTTP error instead of upgrading:
 * 401/403 (credentials), 404 (the container instance is unknown), 410 (it was deregistered).
 */
public final class ChannelRefusedException extends RuntimeException {
    private final int status;

    public ChannelRefusedException(int status) {
        super("the control plane refused the agent channel with HTTP " + status + explain(status));
        this.status = status;
    }

    public int status() {
        return status;
    }

    private static String explain(int status) {
        return switch (status) {
            case 401, 403 -> " (check the agent's credentials and Region)";
            case 404 -> " (the container instance is unknown to the control plane)";
            case 410 -> " (the container instance was deregistered)";
            default -> "";
        };
    }
}
