package dev.stevedore.model.agent;

/**
 * Constants of the agent channel shared by the control plane and the agent.
 */
public final class AgentChannel {
    /**
     * The version of the channel's messages; bump on incompatible change. 2: after the complete
     * state on connect, pushes carry only what changed ({@link DesiredTaskChanges}), and tasks only
     * the members an agent acts on; an agent of version 1 would miss every change. 3: a
     * {@link TaskHealthReport} carries only the containers' health, no task-level
     * {@code healthStatus} (the control plane derives that from the task definition's essential
     * containers); a server of version 2 would refuse the report as unreadable, so each end closes
     * a connection to a newer peer with {@link AgentMessages#CLOSE_UNSUPPORTED_VERSION} instead.
     */
    public static final int PROTOCOL_VERSION = 3;
    /** The path the agent connects to, relative to the endpoint that DiscoverPollEndpoint answers. */
    public static final String PATH = "/agent/v1/connect";
    /** Query parameter naming the container instance whose desired state the agent wants. */
    public static final String INSTANCE_PARAMETER = "containerInstance";

    private AgentChannel() {
    }
}
