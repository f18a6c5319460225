package dev.stevedore.lb.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * A {@link ProxyConfig} as one line of JSON and back, so that a data plane in a process of its own is given
 * exactly the value the control plane would apply in its own. Durations are whole milliseconds. Decoding checks
 * as much as the records do: a malformed document is an {@link IllegalArgumentException}, never a partial value.
 */
public final class ProxyConfigJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ProxyConfigJson() {
    }

    /** Compact JSON (no line breaks: it travels as one server-sent event). */
    public static String encode(ProxyConfig config) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode listeners = root.putArray("listeners");
        config.listeners().forEach(l -> listeners.add(listener(l)));
        ArrayNode groups = root.putArray("targetGroups");
        config.targetGroups().values().stream()
                .sorted(java.util.Comparator.comparing(TargetGroup::id))
                .forEach(g -> groups.add(group(g)));
        return root.toString();
    }

    public static ProxyConfig decode(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON proxy configuration: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a proxy configuration is a JSON object");
        }
        return new ProxyConfig(list(root, "listeners", ProxyConfigJson::listenerOf),
                list(root, "targetGroups", ProxyConfigJson::groupOf));
    }

    private static ObjectNode listener(Listener listener) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("address", listener.address());
        out.put("port", listener.port());
        out.put("idleTimeoutMillis", listener.idleTimeout().toMillis());
        ArrayNode rules = out.putArray("rules");
        for (Rule rule : listener.rules()) {
            ObjectNode r = rules.addObject();
            r.put("priority", rule.priority());
            ArrayNode conditions = r.putArray("conditions");
            rule.conditions().forEach(c -> conditions.add(condition(c)));
            r.set("action", action(rule.action()));
        }
        out.set("defaultAction", action(listener.defaultAction()));
        return out;
    }

    private static Listener listenerOf(JsonNode node) {
        List<Rule> rules = list(node, "rules", r -> new Rule(integer(r, "priority"),
                list(r, "conditions", ProxyConfigJson::conditionOf), actionOf(object(r, "action"))));
        return new Listener(text(node, "address"), integer(node, "port"), rules, actionOf(object(node, "defaultAction")),
                Duration.ofMillis(number(node, "idleTimeoutMillis")));
    }

    private static ObjectNode condition(Condition condition) {
        ObjectNode out = MAPPER.createObjectNode();
        switch (condition) {
            case Condition.PathPattern c -> texts(out.put("type", "path-pattern"), c.values());
            case Condition.HostHeader c -> texts(out.put("type", "host-header"), c.values());
            case Condition.HttpHeader c -> texts(out.put("type", "http-header").put("name", c.name()), c.values());
            case Condition.HttpRequestMethod c -> texts(out.put("type", "http-request-method"), c.values());
            case Condition.SourceIp c -> texts(out.put("type", "source-ip"), c.values());
            case Condition.QueryString c -> {
                ArrayNode values = out.put("type", "query-string").putArray("values");
                c.values().forEach(kv -> values.addObject().put("key", kv.key()).put("value", kv.value()));
            }
        }
        return out;
    }

    private static Condition conditionOf(JsonNode node) {
        return switch (text(node, "type")) {
            case "path-pattern" -> new Condition.PathPattern(texts(node));
            case "host-header" -> new Condition.HostHeader(texts(node));
            case "http-header" -> new Condition.HttpHeader(text(node, "name"), texts(node));
            case "http-request-method" -> new Condition.HttpRequestMethod(texts(node));
            case "source-ip" -> new Condition.SourceIp(texts(node));
            case "query-string" -> new Condition.QueryString(list(node, "values",
                    kv -> new Condition.KeyValue(text(kv, "key"), text(kv, "value"))));
            default -> throw new IllegalArgumentException("unknown condition type " + node.get("type"));
        };
    }

    private static ObjectNode action(Action action) {
        ObjectNode out = MAPPER.createObjectNode();
        switch (action) {
            case Action.Forward f -> {
                ArrayNode groups = out.put("type", "forward").putArray("groups");
                f.groups().forEach(g -> groups.addObject().put("targetGroupId", g.targetGroupId()).put("weight", g.weight()));
                out.put("stickinessMillis", f.stickiness().toMillis());
            }
            case Action.FixedResponse r -> out.put("type", "fixed-response").put("statusCode", r.statusCode())
                    .put("contentType", r.contentType()).put("body", r.body());
            case Action.Redirect r -> out.put("type", "redirect").put("protocol", r.protocol()).put("host", r.host())
                    .put("port", r.port()).put("path", r.path()).put("query", r.query()).put("statusCode", r.statusCode());
        }
        return out;
    }

    private static Action actionOf(JsonNode node) {
        return switch (text(node, "type")) {
            case "forward" -> new Action.Forward(list(node, "groups",
                    g -> new Action.WeightedGroup(text(g, "targetGroupId"), integer(g, "weight"))),
                    Duration.ofMillis(number(node, "stickinessMillis")));
            case "fixed-response" -> new Action.FixedResponse(integer(node, "statusCode"), text(node, "contentType"),
                    text(node, "body"));
            case "redirect" -> new Action.Redirect(text(node, "protocol"), text(node, "host"), text(node, "port"),
                    text(node, "path"), text(node, "query"), integer(node, "statusCode"));
            default -> throw new IllegalArgumentException("unknown action type " + node.get("type"));
        };
    }

    private static ObjectNode group(TargetGroup group) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("id", group.id());
        ArrayNode targets = out.putArray("targets");
        group.targets().forEach(t -> targets.addObject().put("host", t.host()).put("port", t.port())
                .put("draining", t.draining()));
        HealthCheck check = group.healthCheck();
        ObjectNode h = out.putObject("healthCheck");
        h.put("enabled", check.enabled()).put("path", check.path());
        check.port().ifPresent(port -> h.put("port", port));
        h.put("intervalMillis", check.interval().toMillis()).put("timeoutMillis", check.timeout().toMillis())
                .put("healthyThreshold", check.healthyThreshold()).put("unhealthyThreshold", check.unhealthyThreshold())
                .put("matcher", check.matcher());
        out.put("algorithm", group.algorithm().name());
        out.put("slowStartMillis", group.slowStart().toMillis());
        out.put("deregistrationDelayMillis", group.deregistrationDelay().toMillis());
        return out;
    }

    private static TargetGroup groupOf(JsonNode node) {
        JsonNode h = object(node, "healthCheck");
        HealthCheck check = new HealthCheck(bool(h, "enabled"), text(h, "path"),
                h.has("port") ? OptionalInt.of(integer(h, "port")) : OptionalInt.empty(),
                Duration.ofMillis(number(h, "intervalMillis")), Duration.ofMillis(number(h, "timeoutMillis")),
                integer(h, "healthyThreshold"), integer(h, "unhealthyThreshold"), text(h, "matcher"));
        TargetGroup.Algorithm algorithm;
        try {
            algorithm = TargetGroup.Algorithm.valueOf(text(node, "algorithm"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown algorithm " + node.get("algorithm"), e);
        }
        return new TargetGroup(text(node, "id"),
                list(node, "targets", t -> new Target(text(t, "host"), integer(t, "port"), bool(t, "draining"))),
                check, algorithm, Duration.ofMillis(number(node, "slowStartMillis")),
                Duration.ofMillis(number(node, "deregistrationDelayMillis")));
    }

    private static void texts(ObjectNode out, List<String> values) {
        ArrayNode array = out.putArray("values");
        values.forEach(array::add);
    }

    private static List<String> texts(JsonNode node) {
        return list(node, "values", v -> {
            if (!v.isTextual()) {
                throw new IllegalArgumentException("a condition value is not a string: " + v);
            }
            return v.asText();
        });
    }

    private static <T> List<T> list(JsonNode node, String member, Function<JsonNode, T> each) {
        JsonNode array = node.get(member);
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("'" + member + "' must be an array");
        }
        List<T> out = new ArrayList<>();
        array.forEach(element -> out.add(each.apply(element)));
        return out;
    }

    private static JsonNode object(JsonNode node, String member) {
        JsonNode value = node.get(member);
        if (value == null || !value.isObject()) {
            throw new IllegalArgumentException("'" + member + "' must be an object");
        }
        return value;
    }

    private static String text(JsonNode node, String member) {
        JsonNode value = node.get(member);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("'" + member + "' must be a string");
        }
        return value.asText();
    }

    private static long number(JsonNode node, String member) {
        JsonNode value = node.get(member);
        if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + member + "' must be a whole number");
        }
        return value.asLong();
    }

    private static int integer(JsonNode node, String member) {
        JsonNode value = node.get(member);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException("'" + member + "' must be a whole number");
        }
        return value.asInt();
    }

    private static boolean bool(JsonNode node, String member) {
        JsonNode value = node.get(member);
        if (value == null || !value.isBoolean()) {
            throw new IllegalArgumentException("'" + member + "' must be true or false");
        }
        return value.asBoolean();
    }
}
