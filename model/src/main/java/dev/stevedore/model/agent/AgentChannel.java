package dev.stevedore.model.agent;

/**
 * Constants of the agent channel shared by the control plane and the agent.
 */
public final class AgentChannel {
    /** The version of the channel's messages; bump on incompatible change. */
    public static final int PROTOCOL_VERSION = 1;
    /** The path the agent connects to, relative to the endpoint that DiscoverPollEndpoint answers. */
    public static final String PATH = "/agent/v1/connect";
    /** Query parameter naming the container instance whose desired state the agent wants. */
    public static final String INSTANCE_PARAMETER = "containerInstance";

    private AgentChannel() {
    }
}
