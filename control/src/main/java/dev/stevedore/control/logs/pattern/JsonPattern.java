package dev.stevedore.control.logs.pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON form: a boolean expression over the message's JSON fields; see {@link FilterPattern}. */
record JsonPattern(JsonCondition condition) implements FilterPattern {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public boolean matches(String message) {
        int first = 0;
        while (first < message.length() && Character.isWhitespace(message.charAt(first))) {
            first++;
        }
        if (first == message.length() || message.charAt(first) != '{') {
            return false;
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            return false;
        }
        return tree != null && tree.isObject() && condition.test(tree);
    }

    static JsonPattern parse(String text) {
        return new JsonPattern(new JsonConditionParser(text).parse());
    }
}
