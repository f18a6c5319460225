package dev.stevedore.e2e.malformed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.Member;
import dev.stevedore.awsproto.ServiceSpec;
import dev.stevedore.awsproto.Shape;

import java.math.BigDecimal;
import java.util.Random;

/**
 * A plausible input of an operation built from its shapes alone: every required member, some
 * optional ones, strings of an allowed length, numbers in range, the first enum value. It is the
 * starting point each malformed case damages in one way; it need not be accepted (patterns and
 * references to resources are not honoured), which is fine: the server must refuse it cleanly too.
 */
final class SampleInput {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Deeper optional members add little and make bodies large. */
    private static final int MAX_DEPTH = 5;

    private final ServiceSpec spec;
    private final Random random;

    SampleInput(ServiceSpec spec, Random random) {
        this.spec = spec;
        this.random = random;
    }

    /** The value tree of a shape, keyed as the spec keys members ({@link ServiceSpec#memberKey}). */
    JsonNode of(String shapeName) {
        return of(spec.shape(shapeName), 0);
    }

    private JsonNode of(Shape shape, int depth) {
        return switch (shape.type()) {
            case STRUCTURE -> structure(shape, depth);
            case LIST -> {
                ArrayNode list = JSON.arrayNode();
                int n = Math.max(1, shape.min().map(BigDecimal::intValue).orElse(1));
                if (depth < MAX_DEPTH) {
                    for (int i = 0; i < Math.min(n, 3); i++) {
                        list.add(of(spec.shape(shape.member().orElseThrow().shape()), depth + 1));
                    }
                }
                yield list;
            }
            case MAP -> {
                ObjectNode map = JSON.objectNode();
                if (depth < MAX_DEPTH) {
                    map.set(string(spec.shape(shape.key().orElseThrow().shape())),
                            of(spec.shape(shape.value().orElseThrow().shape()), depth + 1));
                }
                yield map;
            }
            case STRING -> JSON.textNode(string(shape));
            case BOOLEAN -> JSON.booleanNode(random.nextBoolean());
            case INTEGER, LONG, SHORT, BYTE, BIGINTEGER ->
                    JSON.numberNode(shape.min().or(shape::max).map(BigDecimal::longValue).orElse(1L));
            case DOUBLE, FLOAT, BIGDECIMAL -> JSON.numberNode(shape.min().or(shape::max).orElse(BigDecimal.ONE));
            case TIMESTAMP -> JSON.numberNode(1_700_000_000L);
            case BLOB -> JSON.textNode("c3RldmVkb3Jl");
            case DOCUMENT -> JSON.objectNode().put("k", "v");
        };
    }

    private ObjectNode structure(Shape shape, int depth) {
        ObjectNode node = JSON.objectNode();
        for (Member member : shape.members().values()) {
            boolean required = shape.isRequired(member.name());
            if (required || (depth < MAX_DEPTH && random.nextInt(3) == 0)) {
                node.set(spec.memberKey(member), of(spec.shape(member.shape()), depth + 1));
            }
        }
        return node;
    }

    /** The first enum value, else letters of an allowed length. */
    String string(Shape shape) {
        if (!shape.enumValues().isEmpty()) {
            return shape.enumValues().get(0);
        }
        int min = shape.min().map(BigDecimal::intValue).orElse(1);
        int max = shape.max().map(BigDecimal::intValue).orElse(Math.max(min, 12));
        int length = Math.max(1, Math.min(max, Math.max(min, 6)));
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append((char) ('a' + random.nextInt(26)));
        }
        return s.toString();
    }
}
