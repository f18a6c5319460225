package dev.stevedore.agent.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.awsproto.AwsJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.stevedore.model.agent.AgentChannel;
import dev.stevedore.model.agent.AgentMessages;
import dev.stevedore.model.agent.DesiredTaskChanges;
import dev.stevedore.model.agent.DesiredTasks;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskHealthReport;

/**
 * The agent's side of the channel's JSON: the ECS wire conventions of {@link AwsJson} (timestamps
 * as epoch seconds, absent members omitted) plus the member that names each message's type.
 */
final class ChannelMessages {
    private static final ObjectMapper JSON = AwsJson.mapper();

    private ChannelMessages() {
    }

    /** A message from the control plane, as far as this agent understands it. */
    sealed interface FromServer {
        /** The complete state, first on every connection. */
        record Desired(DesiredTasks desired) implements FromServer {
        }

        /** What changed since the previous message. */
        record Changes(DesiredTaskChanges changes) implements FromServer {
        }

        /** The server speaks a newer protocol than this agent. */
        record UnsupportedVersion(int version) implements FromServer {
        }

        /** A well-formed message of a type this agent does not know: ignored, for newer servers' sake. */
        record Ignored(String type) implements FromServer {
        }

        record Malformed(String reason) implements FromServer {
        }
    }

    static String encode(TaskHealthReport report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the health of " + report.taskArn(), e);
        }
    }

    static FromServer decode(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return new FromServer.Malformed("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            return new FromServer.Malformed("not a JSON object");
        }
        JsonNode version = node.get(AgentMessages.VERSION_FIELD);
        if (version == null || !version.canConvertToInt()) {
            return new FromServer.Malformed("no " + AgentMessages.VERSION_FIELD);
        }
        if (version.asInt() > AgentChannel.PROTOCOL_VERSION) {
            return new FromServer.UnsupportedVersion(version.asInt());
        }
        String type = node.path(AgentMessages.TYPE_FIELD).asText("");
        try {
            return switch (type) {
                case AgentMessages.DESIRED_TASKS -> new FromServer.Desired(JSON.treeToValue(node, DesiredTasks.class));
                case AgentMessages.DESIRED_TASK_CHANGES ->
                        new FromServer.Changes(JSON.treeToValue(node, DesiredTaskChanges.class));
                default -> new FromServer.Ignored(type);
            };
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return new FromServer.Malformed("not a " + type + " message: " + e.getMessage());
        }
    }

    /**
     * The complete state after {@code changes}: assignments replaced or added by task ARN, removed
     * ones dropped, in the order the tasks first appeared.
     *
     * @throws IllegalArgumentException when the changes do not follow {@code base} (a gap)
     */
    static DesiredTasks apply(DesiredTasks base, DesiredTaskChanges changes) {
        if (changes.baseRevision() != base.revision() || changes.revision() <= base.revision()
                || !changes.containerInstanceArn().equals(base.containerInstanceArn())) {
            throw new IllegalArgumentException("changes from revision " + changes.baseRevision() + " to "
                    + changes.revision() + " do not follow the state at revision " + base.revision());
        }
        Map<String, TaskAssignment> tasks = new LinkedHashMap<>();
        for (TaskAssignment a : base.tasks()) {
            tasks.put(a.task().taskArn(), a);
        }
        changes.removedTaskArns().forEach(tasks::remove);
        for (TaskAssignment a : changes.tasks()) {
            tasks.put(a.task().taskArn(), a);
        }
        return new DesiredTasks(changes.protocolVersion(), base.containerInstanceArn(), changes.revision(),
                List.copyOf(tasks.values()));
    }
}
