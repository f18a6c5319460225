package dev.stevedore.model.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * The agent channel's JSON, for both ends: each message is its record's JSON with the
 * {@value AgentMessages#TYPE_FIELD} member first, and a message read is checked for its
 * {@value AgentMessages#VERSION_FIELD} before anything else.
 *
 * <p>The {@link ObjectMapper} is the caller's because the wire conventions are not this module's
 * to choose: both ends pass the mapper of the ECS API ({@code dev.stevedore.awsproto.AwsJson}),
 * which writes timestamps as epoch seconds and omits absent members, so a task reads the same on
 * the channel as in DescribeTasks. The mapper must ignore unknown members (the type member is one).
 */
public final class ChannelCodec {
    private final ObjectMapper json;

    public ChannelCodec(ObjectMapper json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    /** A message as the receiving end reads it. */
    public sealed interface Inbound {
        /** The complete state: what the control plane sends first on every connection. */
        record Desired(DesiredTasks desired) implements Inbound {
        }

        /** What changed since the previous message on the same connection. */
        record Changes(DesiredTaskChanges changes) implements Inbound {
        }

        /** Fresh credentials of tasks' roles. */
        record Credentials(TaskCredentialsRefresh refresh) implements Inbound {
        }

        /** An agent's report of its containers' health. */
        record Health(TaskHealthReport report) implements Inbound {
        }

        /** An agent's report of its running tasks' CPU and memory. */
        record Stats(TaskStatsReport report) implements Inbound {
        }

        /** The control plane asks for a container's lines. */
        record LogsRequest(ContainerLogsRequest request) implements Inbound {
        }

        /** An agent's answer with a container's lines. */
        record LogsReply(ContainerLogsReply reply) implements Inbound {
        }

        /** The sender speaks a newer protocol than this end; the connection cannot go on. */
        record UnsupportedVersion(int version) implements Inbound {
        }

        /** A well-formed message of a type this end does not know: ignored, for newer peers' sake. */
        record Ignored(String type) implements Inbound {
        }

        /** Not a message of this protocol at all. */
        record Malformed(String reason) implements Inbound {
        }
    }

    public String encode(DesiredTasks desired) {
        return encode(AgentMessages.DESIRED_TASKS, desired, desired.containerInstanceArn());
    }

    public String encode(DesiredTaskChanges changes) {
        return encode(AgentMessages.DESIRED_TASK_CHANGES, changes, changes.containerInstanceArn());
    }

    public String encode(TaskCredentialsRefresh refresh) {
        return encode(AgentMessages.TASK_CREDENTIALS, refresh, refresh.containerInstanceArn());
    }

    public String encode(TaskHealthReport report) {
        return encode(AgentMessages.TASK_HEALTH, report, report.taskArn());
    }

    public String encode(TaskStatsReport report) {
        return encode(AgentMessages.TASK_STATS, report, report.tasks().size() + " tasks");
    }

    public String encode(ContainerLogsRequest request) {
        return encode(AgentMessages.CONTAINER_LOGS_REQUEST, request, request.taskArn());
    }

    public String encode(ContainerLogsReply reply) {
        return encode(AgentMessages.CONTAINER_LOGS_REPLY, reply, reply.requestId());
    }

    private String encode(String type, Record message, String subject) {
        ObjectNode out = json.createObjectNode();
        out.put(AgentMessages.TYPE_FIELD, type);
        out.setAll((ObjectNode) json.valueToTree(message));
        try {
            return json.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the " + type + " of " + subject, e);
        }
    }

    /** Reads one message; never throws, whatever the text. */
    public Inbound decode(String text) {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            return new Inbound.Malformed("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            return new Inbound.Malformed("not a JSON object");
        }
        JsonNode version = node.get(AgentMessages.VERSION_FIELD);
        if (version == null || !version.canConvertToInt()) {
            return new Inbound.Malformed("no " + AgentMessages.VERSION_FIELD);
        }
        if (version.asInt() > AgentChannel.PROTOCOL_VERSION) {
            return new Inbound.UnsupportedVersion(version.asInt());
        }
        String type = node.path(AgentMessages.TYPE_FIELD).asText("");
        try {
            return switch (type) {
                case AgentMessages.DESIRED_TASKS -> new Inbound.Desired(json.treeToValue(node, DesiredTasks.class));
                case AgentMessages.DESIRED_TASK_CHANGES ->
                        new Inbound.Changes(json.treeToValue(node, DesiredTaskChanges.class));
                case AgentMessages.TASK_HEALTH -> new Inbound.Health(json.treeToValue(node, TaskHealthReport.class));
                case AgentMessages.TASK_STATS -> new Inbound.Stats(json.treeToValue(node, TaskStatsReport.class));
                case AgentMessages.TASK_CREDENTIALS ->
                        new Inbound.Credentials(json.treeToValue(node, TaskCredentialsRefresh.class));
                case AgentMessages.CONTAINER_LOGS_REQUEST ->
                        new Inbound.LogsRequest(json.treeToValue(node, ContainerLogsRequest.class));
                case AgentMessages.CONTAINER_LOGS_REPLY ->
                        new Inbound.LogsReply(json.treeToValue(node, ContainerLogsReply.class));
                default -> new Inbound.Ignored(type);
            };
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // Jackson reports the records' own checks (a missing task ARN, say) as a JsonProcessingException.
            return new Inbound.Malformed("not a " + type + " message: " + e.getMessage());
        }
    }
}
