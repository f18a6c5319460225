package dev.stevedore.server.agentchannel;

import dev.stevedore.model.agent.ContainerLogsReply;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The container log requests sent to agents and not answered yet: a reply completes its request only
 * when it comes from the instance the request was sent to (an agent cannot answer for another host).
 */
final class LogRequests {
    private record Pending(String instanceArn, CompletableFuture<ContainerLogsReply> reply) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    CompletableFuture<ContainerLogsReply> open(String requestId, String instanceArn) {
        CompletableFuture<ContainerLogsReply> reply = new CompletableFuture<>();
        pending.put(requestId, new Pending(instanceArn, reply));
        return reply;
    }

    void forget(String requestId) {
        pending.remove(requestId);
    }

    /** Whether the reply answered a request sent to {@code instanceArn}. */
    boolean answered(String instanceArn, ContainerLogsReply reply) {
        Pending p = pending.get(reply.requestId());
        if (p == null || !p.instanceArn().equals(instanceArn)) {
            return false;
        }
        pending.remove(reply.requestId());
        return p.reply().complete(reply);
    }
}
