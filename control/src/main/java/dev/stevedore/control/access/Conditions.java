package dev.stevedore.control.access;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The condition keys one access request carries, gathered key by key as a rule reads its input.
 * A key with no value is left out, as AWS leaves out a key the request does not supply (so a
 * policy's {@code Null} condition can tell).
 */
public final class Conditions {
    private final Map<String, List<String>> keys = new LinkedHashMap<>();

    public static Conditions none() {
        return new Conditions();
    }

    /** The key with {@code value}, added to its values so far; nothing when the request has no value (null). */
    public Conditions with(String key, String value) {
        if (value != null) {
            keys.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return this;
    }

    /** The key with every value given, in order and without repeats; nothing when there are none. */
    public Conditions withAll(String key, List<String> values) {
        if (!values.isEmpty()) {
            keys.put(key, List.copyOf(new LinkedHashSet<>(values)));
        }
        return this;
    }

    /** A boolean member of the input as {@code "true"}/{@code "false"}, when the request sets it. */
    public Conditions withFlag(String key, JsonNode flag) {
        if (flag != null && flag.isBoolean()) {
            with(key, Boolean.toString(flag.booleanValue()));
        }
        return this;
    }

    /**
     * {@code aws:RequestTag/KEY} for each tag and {@code aws:TagKeys} for all of them, from a list of
     * tag objects whose key and value members are named {@code keyMember} and {@code valueMember}
     * (ECS writes {@code key}/{@code value}, EC2 and IAM {@code Key}/{@code Value}).
     */
    public Conditions withRequestTags(JsonNode tags, String keyMember, String valueMember) {
        List<String> tagKeys = new ArrayList<>();
        for (JsonNode tag : tags) {
            String key = tag.path(keyMember).asText("");
            tagKeys.add(key);
            with("aws:RequestTag/" + key, tag.path(valueMember).asText(""));
        }
        return withAll("aws:TagKeys", tagKeys);
    }

    public Map<String, List<String>> toMap() {
        return Map.copyOf(keys);
    }
}
