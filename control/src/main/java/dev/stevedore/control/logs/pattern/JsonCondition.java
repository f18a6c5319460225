package dev.stevedore.control.logs.pattern;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.regex.Pattern;

/** A node of a JSON filter pattern's expression, tested against a message's parsed JSON. */
sealed interface JsonCondition {

    boolean test(JsonNode message);

    record All(List<JsonCondition> parts) implements JsonCondition {
        @Override
        public boolean test(JsonNode message) {
            return parts.stream().allMatch(part -> part.test(message));
        }
    }

    record Any(List<JsonCondition> parts) implements JsonCondition {
        @Override
        public boolean test(JsonNode message) {
            return parts.stream().anyMatch(part -> part.test(message));
        }
    }

    /** {@code selector = "text"} or {@code !=}: the field's scalar text against a value with {@code *} wildcards. */
    record TextComparison(Selector selector, boolean equal, Pattern value) implements JsonCondition {
        static TextComparison of(Selector selector, boolean equal, String value) {
            String regex = Arrays.stream(value.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
            return new TextComparison(selector, equal, Pattern.compile(regex, Pattern.DOTALL));
        }

        @Override
        public boolean test(JsonNode message) {
            JsonNode field = selector.select(message);
            if (!field.isValueNode() || field.isNull()) {
                return false;
            }
            return value.matcher(field.asText()).matches() == equal;
        }
    }

    /** A numeric comparison; only number fields take part. */
    record NumberComparison(Selector selector, String operator, BigDecimal value) implements JsonCondition {
        @Override
        public boolean test(JsonNode message) {
            JsonNode field = selector.select(message);
            if (!field.isNumber()) {
                return false;
            }
            int c = field.decimalValue().compareTo(value);
            return switch (operator) {
                case "=" -> c == 0;
                case "!=" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                default -> throw new IllegalStateException(operator);
            };
        }
    }

    /** {@code IS TRUE}, {@code IS FALSE}, {@code IS NULL}, {@code NOT EXISTS}. */
    record Check(Selector selector, String what) implements JsonCondition {
        @Override
        public boolean test(JsonNode message) {
            JsonNode field = selector.select(message);
            return switch (what) {
                case "TRUE" -> field.isBoolean() && field.booleanValue();
                case "FALSE" -> field.isBoolean() && !field.booleanValue();
                case "NULL" -> field.isNull();
                case "NOT EXISTS" -> field.isMissingNode();
                default -> throw new IllegalStateException(what);
            };
        }
    }
}
