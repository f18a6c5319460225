package dev.stevedore.server.console;

import dev.stevedore.model.agent.ContainerLogsReply;
import dev.stevedore.model.agent.ContainerLogsRequest;

/**
 * A container's lines as the Docker engine of its host keeps them, asked of the agent of the task's
 * container instance over the agent channel ({@code AgentChannelServer.containerLogs}). Never throws
 * for an agent that cannot answer: the reply says why.
 */
@FunctionalInterface
public interface HostLogs {
    ContainerLogsReply read(String containerInstanceArn, ContainerLogsRequest request) throws InterruptedException;
}
