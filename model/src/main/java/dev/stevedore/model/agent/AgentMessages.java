package dev.stevedore.model.agent;

/**
 * The framing of the agent channel's messages: every message is one JSON object in one WebSocket
 * text message, named by its {@value #TYPE_FIELD} member, and carries
 * {@link AgentChannel#PROTOCOL_VERSION}. Also the close codes either side uses to say why it
 * ended a connection (4000–4999 is the range RFC 6455 leaves to applications).
 */
public final class AgentMessages {
    /** The member that names a message's type. */
    public static final String TYPE_FIELD = "type";
    /** The member that carries the sender's protocol version. */
    public static final String VERSION_FIELD = "protocolVersion";

    /** Control plane → agent: {@link DesiredTasks}, the complete state, first on every connection. */
    public static final String DESIRED_TASKS = "desiredTasks";
    /** Control plane → agent: {@link DesiredTaskChanges}, what changed since the previous push. */
    public static final String DESIRED_TASK_CHANGES = "desiredTaskChanges";
    /** Agent → control plane: {@link TaskHealthReport}. */
    public static final String TASK_HEALTH = "taskHealth";
    /** Agent → control plane: {@link TaskStatsReport}, running tasks' CPU and memory. */
    public static final String TASK_STATS = "taskStats";

    /** {@link TaskCredentialsRefresh}: control plane → agent, fresh role credentials of running tasks. */
    public static final String TASK_CREDENTIALS = "taskCredentials";

    /** Control plane → agent: {@link ContainerLogsRequest}, a container's lines as the engine keeps them. */
    public static final String CONTAINER_LOGS_REQUEST = "containerLogsRequest";
    /** Agent → control plane: {@link ContainerLogsReply}, the answer to a {@link ContainerLogsRequest}. */
    public static final String CONTAINER_LOGS_REPLY = "containerLogsReply";

    /** A newer connection for the same container instance took this one's place. */
    public static final int CLOSE_SUPERSEDED = 4000;
    /** The peer speaks a protocol version this side does not. */
    public static final int CLOSE_UNSUPPORTED_VERSION = 4001;
    /** The peer stopped answering pings. */
    public static final int CLOSE_UNRESPONSIVE = 4002;
    /** The peer sent a message this side cannot read. */
    public static final int CLOSE_BAD_MESSAGE = 4003;
    /** The server is shutting down; reconnect later (RFC 6455 "going away"). */
    public static final int CLOSE_GOING_AWAY = 1001;

    private AgentMessages() {
    }
}
