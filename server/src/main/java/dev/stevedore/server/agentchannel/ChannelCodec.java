package dev.stevedore.server.agentchannel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.model.agent.AgentChannel;
import dev.stevedore.model.agent.AgentMessages;
import dev.stevedore.model.agent.DesiredTaskChanges;
import dev.stevedore.model.agent.DesiredTasks;
import dev.stevedore.model.agent.TaskHealthReport;

/**
 * The control plane's side of the channel's JSON: the ECS wire conventions of {@link AwsJson}
 * (timestamps as epoch seconds, absent members omitted) plus the {@value AgentMessages#TYPE_FIELD}
 * member that names each message.
 */
final class ChannelCodec {
    private static final ObjectMapper JSON = AwsJson.mapper();

    private ChannelCodec() {
    }

    /** A message from an agent, as far as this side understands it. */
    sealed interface Inbound {
        record Health(TaskHealthReport report) implements Inbound {
        }

        /** The agent speaks a newer protocol than this server. */
        record UnsupportedVersion(int version) implements Inbound {
        }

        /** A well-formed message of a type this server does not know: ignored, for newer agents' sake. */
        record Ignored(String type) implements Inbound {
        }

        record Malformed(String reason) implements Inbound {
        }
    }

    static String encode(DesiredTasks desired) {
        return encode(AgentMessages.DESIRED_TASKS, desired, desired.containerInstanceArn());
    }

    static String encode(DesiredTaskChanges changes) {
        return encode(AgentMessages.DESIRED_TASK_CHANGES, changes, changes.containerInstanceArn());
    }

    private static String encode(String type, Record message, String instance) {
        ObjectNode out = JSON.createObjectNode();
        out.put(AgentMessages.TYPE_FIELD, type);
        out.setAll((ObjectNode) JSON.valueToTree(message));
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the " + type + " of " + instance, e);
        }
    }

    static Inbound decode(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
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
        if (!AgentMessages.TASK_HEALTH.equals(type)) {
            return new Inbound.Ignored(type);
        }
        try {
            return new Inbound.Health(JSON.treeToValue(node, TaskHealthReport.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return new Inbound.Malformed("not a " + type + " message: " + e.getMessage());
        }
    }
}
