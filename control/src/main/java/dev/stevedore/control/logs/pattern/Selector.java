package dev.stevedore.control.logs.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.List;

/** {@code $.a.b[2].c}: the steps from the message's root to one field; each a member name or an array index. */
record Selector(List<Object> steps) {

    JsonNode select(JsonNode root) {
        JsonNode node = root;
        for (Object step : steps) {
            node = step instanceof Integer index ? node.path(index) : node.path((String) step);
            if (node.isMissingNode()) {
                return MissingNode.getInstance();
            }
        }
        return node;
    }
}
