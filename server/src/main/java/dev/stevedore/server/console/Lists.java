package dev.stevedore.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** The List* calls followed through their pages, and Describe* calls in the batches ECS takes. */
final class Lists {
    /** A page shows at most this many of one list; the rest is a count. */
    static final int MOST = 1000;

    private Lists() {
    }

    static List<String> all(View view, String operation, ObjectNode input, String member) {
        List<String> out = new ArrayList<>();
        ObjectNode in = input.deepCopy();
        do {
            JsonNode page = view.ecs(operation, in);
            page.path(member).forEach(n -> out.add(n.asText()));
            in.put("nextToken", page.path("nextToken").asText(""));
        } while (!in.path("nextToken").asText().isEmpty() && out.size() < MOST);
        return out;
    }

    /** Describes {@code names} in batches of {@code batch}, the input naming them in {@code member}. */
    static List<JsonNode> described(View view, String operation, String member, List<String> names, int batch) {
        return described(view, operation, member, names, batch, ApiCalls.input());
    }

    static List<JsonNode> described(View view, String operation, String member, List<String> names, int batch,
                                    ObjectNode base) {
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i += batch) {
            ObjectNode in = base.deepCopy();
            names.subList(i, Math.min(names.size(), i + batch)).forEach(in.putArray(member)::add);
            view.ecs(operation, in).path(member).forEach(out::add);
        }
        return out;
    }
}
