package dev.stevedore.control.elb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The attributes of a kind of resource: each key with its default and the values it takes. A resource keeps
 * only the values set on it; Describe answers every key, the defaults filling in.
 */
public final class AttributeSchema {
    private final String kind;
    private final Map<String, Key> keys = new LinkedHashMap<>();

    private record Key(String name, String defaultValue, Predicate<String> valid, String expectation) {
    }

    /** @param kind how ELB's messages name the resource: "Load balancer", "Target group" */
    public AttributeSchema(String kind) {
        this.kind = kind;
    }

    public AttributeSchema bool(String name, boolean defaultValue) {
        return key(name, Boolean.toString(defaultValue), v -> v.equals("true") || v.equals("false"), "'true' or 'false'");
    }

    public AttributeSchema range(String name, int defaultValue, int min, int max) {
        return key(name, Integer.toString(defaultValue), v -> within(v, min, max), "an integer from " + min + " to " + max);
    }

    public AttributeSchema oneOf(String name, String defaultValue, String... values) {
        Set<String> allowed = Set.of(values);
        return key(name, defaultValue, allowed::contains, "one of " + String.join(", ", values));
    }

    public AttributeSchema key(String name, String defaultValue, Predicate<String> valid, String expectation) {
        keys.put(name, new Key(name, defaultValue, valid, expectation));
        return this;
    }

    public static boolean within(String value, int min, int max) {
        if (!value.matches("-?[0-9]{1,10}")) {
            return false;
        }
        long n = Long.parseLong(value);
        return n >= min && n <= max;
    }

    /** Every key with its value: the one set, else the default; in key order. */
    public Map<String, String> effective(Map<String, String> set) {
        Map<String, String> out = new TreeMap<>();
        keys.values().forEach(k -> out.put(k.name(), set.getOrDefault(k.name(), k.defaultValue())));
        return out;
    }

    /**
     * The values set after a Modify: each change checked (an unknown key or a value out of range refuses
     * the whole request), a value equal to the default dropped.
     */
    public Map<String, String> modified(Map<String, String> set, List<Map.Entry<String, String>> changes) {
        Map<String, String> next = new TreeMap<>(set);
        for (Map.Entry<String, String> change : changes) {
            Key key = keys.get(change.getKey());
            if (key == null) {
                throw ElbErrors.validation(kind + " attribute key '" + change.getKey() + "' is not recognized");
            }
            String value = change.getValue() == null ? "" : change.getValue();
            if (!key.valid().test(value)) {
                throw ElbErrors.validation(kind + " attribute '" + key.name() + "' value '" + value
                        + "' is not valid: it must be " + key.expectation());
            }
            if (value.equals(key.defaultValue())) {
                next.remove(key.name());
            } else {
                next.put(key.name(), value);
            }
        }
        return next;
    }
}
