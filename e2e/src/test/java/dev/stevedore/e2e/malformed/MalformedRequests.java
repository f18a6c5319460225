package dev.stevedore.e2e.malformed;

import dev.stevedore.awsproto.OperationSpec;
import dev.stevedore.awsproto.ServiceSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Malformed requests for every operation of a service model: wrong types, missing required members,
 * numbers out of range, over-long strings, bad enum values, unknown members, deep nesting, huge
 * arrays, invalid UTF-8, wrong content types and truncated bodies, in the service's own protocol.
 * The same seed gives the same cases.
 */
public final class MalformedRequests {
    private MalformedRequests() {
    }

    /**
     * @param perKind how many members each kind of damage is tried on, per operation
     */
    public static List<MalformedCase> of(ServiceSpec spec, long seed, int perKind) {
        List<MalformedCase> cases = new ArrayList<>();
        for (String name : spec.operationNames().stream().sorted().toList()) {
            OperationSpec operation = spec.operation(name).orElseThrow();
            Random random = new Random(seed * 31 + name.hashCode());
            cases.addAll(switch (spec.protocol()) {
                case "json" -> JsonCases.of(spec, operation, random, perKind);
                case "ec2", "query" -> FormCases.of(spec, operation, random, perKind);
                default -> throw new IllegalArgumentException("no malformed cases for protocol " + spec.protocol());
            });
        }
        return cases;
    }
}
