package dev.stevedore.control.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The permissions policies of a user or role, kept in its record so that deleting it, and its quotas,
 * are decided on one record's compare-and-set: inline policies by name (their documents as given)
 * and the ARNs of the managed policies attached, in attachment order.
 */
public record Grants(Map<String, String> inline, List<String> attached) {
    public static final Grants NONE = new Grants(Map.of(), List.of());

    public Grants {
        inline = inline == null ? Map.of() : new TreeMap<>(inline);
        attached = attached == null ? List.of() : List.copyOf(attached);
    }

    public Grants withInline(String name, String document) {
        Map<String, String> next = new TreeMap<>(inline);
        next.put(name, document);
        return new Grants(next, attached);
    }

    public Grants withoutInline(String name) {
        Map<String, String> next = new TreeMap<>(inline);
        next.remove(name);
        return new Grants(next, attached);
    }

    public Grants withAttached(String policyArn) {
        if (attached.contains(policyArn)) {
            return this;
        }
        List<String> next = new ArrayList<>(attached);
        next.add(policyArn);
        return new Grants(inline, next);
    }

    public Grants withoutAttached(String policyArn) {
        List<String> next = new ArrayList<>(attached);
        next.remove(policyArn);
        return new Grants(inline, next);
    }
}
