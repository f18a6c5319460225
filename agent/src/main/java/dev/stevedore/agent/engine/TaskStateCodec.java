package dev.stevedore.agent.engine;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.agent.runtime.HealthStatus;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.NetworkBinding;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The JSON form of a {@link TaskRecord} in its state file. Written field by field so that the
 * file format is explicit and survives refactoring of the records; the task assignment (ECS wire
 * records) is stored as the API would show it.
 */
final class TaskStateCodec {

    static final int FORMAT = 1;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new SimpleModule("instants")
                    .addSerializer(Instant.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                            gen.writeString(value.toString());
                        }
                    })
                    .addDeserializer(Instant.class, new JsonDeserializer<>() {
                        @Override
                        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                            return Instant.parse(p.getValueAsString());
                        }
                    }))
            .serializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private TaskStateCodec() {}

    static byte[] encode(TaskRecord r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", FORMAT);
        n.put("taskArn", r.taskArn());
        r.assignment().ifPresent(a -> n.set("assignment", JSON.valueToTree(a)));
        n.put("unwanted", r.unwanted());
        n.put("known", r.known().name());
        r.stop().ifPresent(s -> n.putObject("stop").put("code", s.code().name()).put("reason", s.reason()));
        n.put("imagesPulled", r.imagesPulled());
        n.put("prepared", r.prepared());
        r.pullStartedAt().ifPresent(t -> n.put("pullStartedAt", t.toString()));
        r.pullStoppedAt().ifPresent(t -> n.put("pullStoppedAt", t.toString()));
        r.executionStoppedAt().ifPresent(t -> n.put("executionStoppedAt", t.toString()));
        ArrayNode containers = n.putArray("containers");
        r.containers().forEach(c -> containers.add(encode(c)));
        n.put("reported", r.reported().name());
        r.cgroupParent().ifPresent(c -> n.put("cgroupParent", c));
        n.put("cleanedUp", r.cleanedUp());
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the state of " + r.taskArn(), e);
        }
    }

    /** @throws IllegalArgumentException when the bytes are not a state file this code understands */
    static TaskRecord decode(byte[] bytes) {
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || n.path("format").asInt() != FORMAT) {
                throw new IllegalArgumentException("not a task state file of format " + FORMAT);
            }
            Optional<TaskAssignment> assignment = n.hasNonNull("assignment")
                    ? Optional.of(JSON.treeToValue(n.get("assignment"), TaskAssignment.class))
                    : Optional.empty();
            Optional<StopCause> stop = n.hasNonNull("stop")
                    ? Optional.of(new StopCause(StopCode.valueOf(n.get("stop").path("code").asText()), n.get("stop").path("reason").asText()))
                    : Optional.empty();
            List<ContainerRecord> containers = new ArrayList<>();
            for (JsonNode c : n.path("containers")) {
                containers.add(decodeContainer(c));
            }
            return new TaskRecord(
                    required(n, "taskArn"),
                    assignment,
                    n.path("unwanted").asBoolean(),
                    WireStatus.valueOf(required(n, "known")),
                    stop,
                    n.path("imagesPulled").asBoolean(),
                    n.path("prepared").asBoolean(),
                    instant(n, "pullStartedAt"),
                    instant(n, "pullStoppedAt"),
                    instant(n, "executionStoppedAt"),
                    containers,
                    WireStatus.valueOf(required(n, "reported")),
                    text(n, "cgroupParent"),
                    n.path("cleanedUp").asBoolean());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable task state: " + e.getMessage(), e);
        }
    }

    private static ObjectNode encode(ContainerRecord c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", c.name());
        c.dockerId().ifPresent(v -> n.put("dockerId", v));
        c.dockerName().ifPresent(v -> n.put("dockerName", v));
        n.put("phase", c.phase().name());
        n.put("started", c.started());
        c.exitCode().ifPresent(v -> n.put("exitCode", v));
        c.reason().ifPresent(v -> n.put("reason", v));
        n.put("health", c.health().name());
        n.set("networkBindings", JSON.valueToTree(c.networkBindings()));
        c.imageDigest().ifPresent(v -> n.put("imageDigest", v));
        n.put("reported", c.reported().name());
        return n;
    }

    private static ContainerRecord decodeContainer(JsonNode n) throws IOException {
        List<NetworkBinding> bindings = new ArrayList<>();
        for (JsonNode b : n.path("networkBindings")) {
            bindings.add(JSON.treeToValue(b, NetworkBinding.class));
        }
        return new ContainerRecord(
                required(n, "name"),
                text(n, "dockerId"),
                text(n, "dockerName"),
                ContainerPhase.valueOf(required(n, "phase")),
                n.path("started").asBoolean(),
                n.hasNonNull("exitCode") ? OptionalInt.of(n.get("exitCode").asInt()) : OptionalInt.empty(),
                text(n, "reason"),
                HealthStatus.valueOf(n.path("health").asText("NONE")),
                bindings,
                text(n, "imageDigest"),
                WireStatus.valueOf(required(n, "reported")));
    }

    private static String required(JsonNode n, String field) {
        if (!n.hasNonNull(field)) {
            throw new IllegalArgumentException("missing " + field);
        }
        return n.get(field).asText();
    }

    private static Optional<String> text(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }

    private static Optional<Instant> instant(JsonNode n, String field) {
        return text(n, field).map(Instant::parse);
    }
}
