package dev.stevedore.scheduler;

import java.util.Objects;
import java.util.Optional;

/**
 * A preference among the instances that pass every filter ({@code placementStrategy}). Strategies
 * are best effort and apply in order: the first ranks, each later one breaks the previous ties.
 */
public sealed interface PlacementStrategy {

    /** {@code binpack}: prefer the instance left with the least of the field's resource after placing. */
    record Binpack(BinpackField field) implements PlacementStrategy {
        public Binpack {
            Objects.requireNonNull(field, "field");
        }
    }

    /**
     * {@code spread}: prefer the value of the field that has the fewest tasks of the request's
     * task group. The field is {@code instanceId}, its alias {@code host}, or
     * {@code attribute:<name>}.
     */
    record Spread(String field) implements PlacementStrategy {

        static final String ATTRIBUTE_PREFIX = "attribute:";

        public Spread {
            Objects.requireNonNull(field, "field");
            boolean attribute = field.startsWith(ATTRIBUTE_PREFIX) && field.length() > ATTRIBUTE_PREFIX.length();
            if (!field.equals("instanceId") && !field.equals("host") && !attribute) {
                throw new InvalidPlacementRequestException("Invalid spread placement strategy field '" + field
                        + "'; valid fields are instanceId, host and attribute:<name>");
            }
        }

        /** Whether the field is the instance itself ({@code instanceId} or {@code host}). */
        public boolean byInstance() {
            return !field.startsWith(ATTRIBUTE_PREFIX);
        }

        /** The attribute spread over, when the field is {@code attribute:<name>}. */
        public Optional<String> attributeName() {
            return byInstance() ? Optional.empty() : Optional.of(field.substring(ATTRIBUTE_PREFIX.length()));
        }
    }

    /** {@code random}: a seeded random preference. */
    record Random() implements PlacementStrategy {
    }

    static PlacementStrategy binpack(BinpackField field) {
        return new Binpack(field);
    }

    static PlacementStrategy spread(String field) {
        return new Spread(field);
    }

    static PlacementStrategy random() {
        return new Random();
    }

    /**
     * A strategy as the API spells it: {@code {type, field}}.
     *
     * @throws InvalidPlacementRequestException for a missing or unknown type, a binpack field other than
     *     {@code cpu} or {@code memory}, an invalid spread field, or a field on {@code random}
     */
    public static PlacementStrategy of(Optional<String> type, Optional<String> field) {
        // The model leaves type optional, as for constraints.
        return switch (type.orElseThrow(() -> new InvalidPlacementRequestException(
                "A placement strategy requires a type; valid types are binpack, random and spread"))) {
            case "binpack" -> new Binpack(switch (field.orElse("")) {
                case "cpu" -> BinpackField.CPU;
                case "memory" -> BinpackField.MEMORY;
                default -> throw new InvalidPlacementRequestException("Invalid binpack placement strategy field '"
                        + field.orElse("") + "'; valid fields are cpu and memory");
            });
            case "spread" -> new Spread(field.orElseThrow(() ->
                    new InvalidPlacementRequestException("A spread placement strategy requires a field")));
            case "random" -> {
                if (field.isPresent() && !field.get().isEmpty()) {
                    throw new InvalidPlacementRequestException(
                            "A random placement strategy must not have a field");
                }
                yield random();
            }
            default -> throw new InvalidPlacementRequestException("Invalid placement strategy type '" + type.get()
                    + "'; valid types are binpack, random and spread");
        };
    }
}
