package dev.stevedore.e2e.malformed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.Member;
import dev.stevedore.awsproto.OperationSpec;
import dev.stevedore.awsproto.ServiceSpec;
import dev.stevedore.awsproto.Shape;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The malformed requests of one operation of an awsJson 1.1 service. */
final class JsonCases {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    /** The member name no AWS model has, for the unknown-member cases. */
    private static final String UNKNOWN = "stevedoreNoSuchMember";

    private final ServiceSpec spec;
    private final OperationSpec operation;
    private final Random random;
    private final int perKind;
    private final List<MalformedCase> cases = new ArrayList<>();

    private JsonCases(ServiceSpec spec, OperationSpec operation, Random random, int perKind) {
        this.spec = spec;
        this.operation = operation;
        this.random = random;
        this.perKind = perKind;
    }

    static List<MalformedCase> of(ServiceSpec spec, OperationSpec operation, Random random, int perKind) {
        JsonCases c = new JsonCases(spec, operation, random, perKind);
        c.generate();
        return c.cases;
    }

    /** A place in the sample: the path from the root (field names and indexes) and the value's shape. */
    private record Slot(List<Object> path, Shape shape) {
        String text() {
            return path.isEmpty() ? "(body)" : String.join(".", path.stream().map(String::valueOf).toList());
        }
    }

    private void generate() {
        JsonNode sample = operation.input().map(input -> new SampleInput(spec, random).of(input))
                .orElseGet(JSON::objectNode);
        List<Slot> slots = new ArrayList<>();
        operation.input().ifPresent(input -> collect(sample, spec.shape(input), new ArrayList<>(), slots));
        Collections.shuffle(slots, random);

        bodyCases(sample);
        for (Slot slot : pick(slots, s -> true)) {
            add("wrong-type", slot.text(), replaced(sample, slot, wrongType(slot.shape())));
            add("null", slot.text(), replaced(sample, slot, JSON.nullNode()));
        }
        for (Slot slot : pick(slots, s -> s.path().size() == 1 && isRequired(s))) {
            JsonNode copy = sample.deepCopy();
            ((ObjectNode) copy).remove((String) slot.path().get(0));
            add("missing-required", slot.text(), copy);
        }
        for (Slot slot : pick(slots, s -> s.shape().type().isNumeric())) {
            bound(sample, slot, slot.shape().min().map(m -> m.subtract(BigDecimal.ONE)));
            bound(sample, slot, slot.shape().max().map(m -> m.add(BigDecimal.ONE)));
            add("odd-number", slot.text(), rawReplaced(sample, slot, pickOne(Damage.ODD_NUMBERS)));
        }
        for (Slot slot : pick(slots, s -> s.shape().type() == dev.stevedore.awsproto.ShapeType.STRING)) {
            int length = slot.shape().max().map(m -> m.intValue() + 1).filter(n -> n <= Damage.LONG).orElse(Damage.LONG);
            add("over-long", slot.text() + " (" + length + " chars)", replaced(sample, slot, JSON.textNode("x".repeat(length))));
            String odd = pickOne(Damage.ODD_STRINGS);
            add("odd-string", slot.text() + " = " + odd, replaced(sample, slot, JSON.textNode(odd)));
            if (!slot.shape().enumValues().isEmpty()) {
                add("bad-enum", slot.text(), replaced(sample, slot, JSON.textNode("NOT_A_VALUE")));
            }
            addBytes("invalid-utf8", slot.text(), invalidUtf8(sample, slot));
        }
        for (Slot slot : pick(slots, s -> s.shape().type() == dev.stevedore.awsproto.ShapeType.TIMESTAMP)) {
            add("bad-timestamp", slot.text(), replaced(sample, slot, JSON.textNode("yesterday")));
            add("bad-timestamp", slot.text(), rawReplaced(sample, slot, "1e20"));
        }
        for (Slot slot : pick(slots, s -> s.shape().type() == dev.stevedore.awsproto.ShapeType.LIST)) {
            ArrayNode huge = JSON.arrayNode();
            for (int i = 0; i < Damage.HUGE; i++) {
                huge.add(i);
            }
            add("huge-array", slot.text(), replaced(sample, slot, huge));
        }
        for (Slot slot : pick(slots, s -> s.shape().type() == dev.stevedore.awsproto.ShapeType.STRUCTURE)) {
            JsonNode copy = sample.deepCopy();
            ((ObjectNode) locate(copy, slot.path())).put(UNKNOWN, 1);
            add("unknown-member", slot.text(), copy);
        }
        if (!slots.isEmpty()) {
            Slot slot = slots.get(0);
            addBytes("deep-nesting", slot.text(), rawReplacedBytes(sample, slot,
                    "[".repeat(Damage.DEEP) + "]".repeat(Damage.DEEP)));
            addBytes("duplicate-key", slot.text(), duplicateKey(sample, slot));
        }
    }

    /** Damage to the body as a whole: not JSON, not an object, cut short, wrong content type. */
    private void bodyCases(JsonNode sample) {
        byte[] good = bytes(sample);
        addBytes("truncated", "cut at " + (good.length / 2), java.util.Arrays.copyOf(good, good.length / 2));
        if (good.length > 1) {
            int cut = 1 + random.nextInt(good.length - 1);
            addBytes("truncated", "cut at " + cut, java.util.Arrays.copyOf(good, cut));
        }
        for (String body : List.of("", "[]", "null", "42", "\"text\"", "{", "}", "{\"a\":}", "{} {}", "\u0000")) {
            addBytes("not-an-object", body, body.getBytes(StandardCharsets.UTF_8));
        }
        byte[] garbage = new byte[512];
        random.nextBytes(garbage);
        addBytes("garbage", "512 random bytes", garbage);
        ObjectNode top = sample.isObject() ? ((ObjectNode) sample).deepCopy() : JSON.objectNode();
        top.put(UNKNOWN, "x");
        add("unknown-member", "(body)", top);
        for (String type : List.of("text/plain", "application/json", "application/x-www-form-urlencoded", "")) {
            cases.add(new MalformedCase(spec.name(), spec.signingName(), operation.name(), "content-type",
                    "'" + type + "'", headers(type, target(operation.name())), good));
        }
        cases.add(new MalformedCase(spec.name(), spec.signingName(), operation.name(), "unknown-target",
                operation.name() + "X", headers(CONTENT_TYPE, target(operation.name() + "X")), good));
        cases.add(new MalformedCase(spec.name(), spec.signingName(), operation.name(), "no-target", "",
                Map.of("Content-Type", CONTENT_TYPE), good));
    }

    private void bound(JsonNode sample, Slot slot, java.util.Optional<BigDecimal> value) {
        value.ifPresent(v -> add("out-of-range", slot.text() + " = " + v, rawReplaced(sample, slot, v.toPlainString())));
    }

    private boolean isRequired(Slot slot) {
        Shape input = spec.shape(operation.input().orElseThrow());
        String key = (String) slot.path().get(0);
        return input.members().values().stream()
                .anyMatch(m -> spec.memberKey(m).equals(key) && input.isRequired(m.name()));
    }

    private void collect(JsonNode node, Shape shape, List<Object> path, List<Slot> slots) {
        if (!path.isEmpty()) {
            slots.add(new Slot(List.copyOf(path), shape));
        }
        switch (shape.type()) {
            case STRUCTURE -> {
                for (Member member : shape.members().values()) {
                    JsonNode child = node.get(spec.memberKey(member));
                    if (child != null) {
                        path.add(spec.memberKey(member));
                        collect(child, spec.shape(member.shape()), path, slots);
                        path.remove(path.size() - 1);
                    }
                }
            }
            case LIST -> {
                for (int i = 0; i < node.size(); i++) {
                    path.add(i);
                    collect(node.get(i), spec.shape(shape.member().orElseThrow().shape()), path, slots);
                    path.remove(path.size() - 1);
                }
            }
            case MAP -> node.fieldNames().forEachRemaining(name -> {
                path.add(name);
                collect(node.get(name), spec.shape(shape.value().orElseThrow().shape()), path, slots);
                path.remove(path.size() - 1);
            });
            default -> {
            }
        }
    }

    private List<Slot> pick(List<Slot> slots, java.util.function.Predicate<Slot> which) {
        return slots.stream().filter(which).limit(perKind).toList();
    }

    private <T> T pickOne(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A JSON value of another type than the shape's. */
    private JsonNode wrongType(Shape shape) {
        return switch (shape.type()) {
            case STRUCTURE, MAP -> JSON.arrayNode().add(1);
            case LIST -> JSON.objectNode().put("a", 1);
            case STRING, BLOB -> random.nextBoolean() ? JSON.numberNode(12) : JSON.objectNode();
            case BOOLEAN -> JSON.textNode("maybe");
            case TIMESTAMP -> JSON.booleanNode(true);
            case DOCUMENT -> JSON.textNode("x");
            default -> random.nextBoolean() ? JSON.textNode("twelve") : JSON.arrayNode();
        };
    }

    private static JsonNode locate(JsonNode root, List<Object> path) {
        JsonNode node = root;
        for (Object step : path) {
            node = step instanceof Integer i ? node.get(i) : node.get((String) step);
        }
        return node;
    }

    private static JsonNode replaced(JsonNode sample, Slot slot, JsonNode value) {
        JsonNode copy = sample.deepCopy();
        JsonNode parent = locate(copy, slot.path().subList(0, slot.path().size() - 1));
        Object last = slot.path().get(slot.path().size() - 1);
        if (last instanceof Integer i) {
            ((ArrayNode) parent).set(i, value);
        } else {
            ((ObjectNode) parent).set((String) last, value);
        }
        return copy;
    }

    /** The sample with the slot's value written as raw JSON text (numbers no Java type holds). */
    private static JsonNode rawReplaced(JsonNode sample, Slot slot, String rawJson) {
        return replaced(sample, slot, JSON.rawValueNode(new com.fasterxml.jackson.databind.util.RawValue(rawJson)));
    }

    private static byte[] rawReplacedBytes(JsonNode sample, Slot slot, String rawJson) {
        return bytes(rawReplaced(sample, slot, rawJson));
    }

    /** The slot's string with bytes that are no UTF-8 (a lone continuation byte, an overlong form). */
    private static byte[] invalidUtf8(JsonNode sample, Slot slot) {
        String marker = "STEVEDORE-MARKER";
        byte[] text = bytes(replaced(sample, slot, JSON.textNode(marker)));
        byte[] bad = {(byte) 0xC3, 0x28, (byte) 0x80, (byte) 0xC0, (byte) 0xAF, (byte) 0xFF};
        return splice(text, marker.getBytes(StandardCharsets.UTF_8), bad);
    }

    /** The object holding the slot with its key twice, two values. */
    private static byte[] duplicateKey(JsonNode sample, Slot slot) {
        String marker = "\"stevedoreDuplicate\":0";
        JsonNode copy = sample.deepCopy();
        if (!copy.isObject()) {
            return bytes(copy);
        }
        ObjectNode top = (ObjectNode) copy;
        String key = String.valueOf(slot.path().get(0));
        top.put("stevedoreDuplicate", 0);
        byte[] text = bytes(top);
        return splice(text, marker.getBytes(StandardCharsets.UTF_8),
                ("\"" + key + "\":12,\"" + key + "\":{}").getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] splice(byte[] text, byte[] marker, byte[] replacement) {
        for (int i = 0; i + marker.length <= text.length; i++) {
            if (java.util.Arrays.equals(text, i, i + marker.length, marker, 0, marker.length)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(text, 0, i);
                out.writeBytes(replacement);
                out.write(text, i + marker.length, text.length - i - marker.length);
                return out.toByteArray();
            }
        }
        return text;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String target(String operationName) {
        return spec.targetPrefix().orElseThrow() + "." + operationName;
    }

    private static Map<String, String> headers(String contentType, String target) {
        return contentType.isEmpty() ? Map.of("X-Amz-Target", target)
                : Map.of("Content-Type", contentType, "X-Amz-Target", target);
    }

    private void add(String kind, String detail, JsonNode body) {
        addBytes(kind, detail, bytes(body));
    }

    private void addBytes(String kind, String detail, byte[] body) {
        cases.add(new MalformedCase(spec.name(), spec.signingName(), operation.name(), kind, detail,
                headers(CONTENT_TYPE, target(operation.name())), body));
    }
}
