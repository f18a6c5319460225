package dev.stevedore.model.agent;

import java.util.Objects;

/**
 * Control plane → agent: the lines a container of one of the agent's tasks wrote to its stdout and
 * stderr, as the Docker engine keeps them on the host (the json-file driver, or the engine's cache of
 * another driver's lines). The console asks to show a task's logs and then once a second to follow
 * them, each time from the last line it has. The agent answers with a {@link ContainerLogsReply} of the
 * same {@code requestId}; an agent of an older version ignores the message, and the asker gives up
 * after its own timeout.
 *
 * @param protocolVersion   {@link AgentChannel#PROTOCOL_VERSION}
 * @param requestId         chosen by the control plane, repeated in the reply
 * @param taskArn           a task the control plane assigned to this agent
 * @param containerName     the container's name in the task definition
 * @param tail              at most this many of the newest lines (1 to {@link #MAX_TAIL})
 * @param afterEpochNanos   only lines written after this time (nanoseconds since the epoch, the engine's
 *                          own timestamps); 0 for the newest {@code tail} lines
 */
public record ContainerLogsRequest(int protocolVersion, String requestId, String taskArn, String containerName,
                                   int tail, long afterEpochNanos) {
    /** Most lines one request may ask for. */
    public static final int MAX_TAIL = 1000;

    public ContainerLogsRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(taskArn, "taskArn");
        Objects.requireNonNull(containerName, "containerName");
        if (tail < 1 || tail > MAX_TAIL) {
            throw new IllegalArgumentException("tail must be 1 to " + MAX_TAIL + ", got " + tail);
        }
        if (afterEpochNanos < 0) {
            throw new IllegalArgumentException("afterEpochNanos must not be negative: " + afterEpochNanos);
        }
    }

    public static ContainerLogsRequest of(String requestId, String taskArn, String containerName, int tail,
                                          long afterEpochNanos) {
        return new ContainerLogsRequest(AgentChannel.PROTOCOL_VERSION, requestId, taskArn, containerName, tail,
                afterEpochNanos);
    }
}
