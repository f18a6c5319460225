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
import dev.stevedore.agent.runtime.HealthStatus;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.NetworkBinding;
import java.io.ByteArrayOutputStream;
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

    /**
     * Written straight to the bytes rather than through a tree: a start saves the record on its way
     * to the container's create, and building a tree of the whole assignment first was the larger
     * part of a save's cost.
     */
    static byte[] encode(TaskRecord r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = JSON.getFactory().createGenerator(bytes)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("format", FORMAT);
            g.writeStringField("taskArn", r.taskArn());
            if (r.assignment().isPresent()) {
                g.writeFieldName("assignment");
                // Role credentials never reach the disk: the control plane hands them over again on connecting.
                JSON.writeValue(g, r.assignment().get().withCredentials(List.of()));
            }
            g.writeBooleanField("unwanted", r.unwanted());
            g.writeStringField("known", r.known().name());
            if (r.stop().isPresent()) {
                g.writeObjectFieldStart("stop");
                g.writeStringField("code", r.stop().get().code().name());
                g.writeStringField("reason", r.stop().get().reason());
                g.writeEndObject();
            }
            g.writeBooleanField("imagesPulled", r.imagesPulled());
            g.writeBooleanField("prepared", r.prepared());
            writeInstant(g, "pullStartedAt", r.pullStartedAt());
            writeInstant(g, "pullStoppedAt", r.pullStoppedAt());
            writeInstant(g, "executionStoppedAt", r.executionStoppedAt());
            g.writeArrayFieldStart("containers");
            for (ContainerRecord c : r.containers()) {
                encode(g, c);
            }
            g.writeEndArray();
            g.writeStringField("reported", r.reported().name());
            if (r.cgroupParent().isPresent()) {
                g.writeStringField("cgroupParent", r.cgroupParent().get());
            }
            g.writeBooleanField("cleanedUp", r.cleanedUp());
            if (r.network().isPresent()) {
                encode(g, r.network().get());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the state of " + r.taskArn(), e);
        }
        return bytes.toByteArray();
    }

    private static void writeInstant(JsonGenerator g, String field, Optional<Instant> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(field, value.get().toString());
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
                    n.path("cleanedUp").asBoolean(),
                    n.hasNonNull("network") ? Optional.of(decodeNetwork(n.get("network"))) : Optional.empty());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable task state: " + e.getMessage(), e);
        }
    }

    private static void encode(JsonGenerator g, ContainerRecord c) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", c.name());
        if (c.dockerId().isPresent()) {
            g.writeStringField("dockerId", c.dockerId().get());
        }
        if (c.dockerName().isPresent()) {
            g.writeStringField("dockerName", c.dockerName().get());
        }
        g.writeStringField("phase", c.phase().name());
        g.writeBooleanField("started", c.started());
        if (c.exitCode().isPresent()) {
            g.writeNumberField("exitCode", c.exitCode().getAsInt());
        }
        if (c.reason().isPresent()) {
            g.writeStringField("reason", c.reason().get());
        }
        g.writeStringField("health", c.health().name());
        g.writeFieldName("networkBindings");
        JSON.writeValue(g, c.networkBindings());
        if (c.imageDigest().isPresent()) {
            g.writeStringField("imageDigest", c.imageDigest().get());
        }
        g.writeStringField("reported", c.reported().name());
        g.writeEndObject();
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

    private static void encode(JsonGenerator g, TaskNetworkRecord net) throws IOException {
        g.writeObjectFieldStart("network");
        g.writeStringField("attachmentArn", net.attachmentArn());
        if (net.pauseName().isPresent()) {
            g.writeStringField("pauseName", net.pauseName().get());
        }
        if (net.pauseId().isPresent()) {
            g.writeStringField("pauseId", net.pauseId().get());
        }
        g.writeStringField("known", net.known().name());
        if (net.lost().isPresent()) {
            g.writeStringField("lost", net.lost().get());
        }
        g.writeStringField("reported", net.reported().name());
        g.writeEndObject();
    }

    private static TaskNetworkRecord decodeNetwork(JsonNode n) {
        return new TaskNetworkRecord(
                required(n, "attachmentArn"),
                text(n, "pauseName"),
                text(n, "pauseId"),
                AttachmentStatus.valueOf(required(n, "known")),
                text(n, "lost"),
                AttachmentStatus.valueOf(required(n, "reported")));
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
