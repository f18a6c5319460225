package dev.stevedore.control.ecs.instance;

import dev.stevedore.model.ecs.Attribute;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Container instance attributes: the built-in ones an agent reports ({@code ecs.*},
 * {@code com.amazonaws.ecs.*}) and custom ones users put.
 */
public final class Attributes {
    private Attributes() {
    }

    public static boolean isBuiltIn(String name) {
        return name.startsWith("ecs.") || name.startsWith("com.amazonaws.ecs.");
    }

    /** Later lists win over earlier ones for the same name; the stored form carries name and value only. */
    @SafeVarargs
    public static List<Attribute> merge(List<Attribute>... lists) {
        Map<String, Attribute> byName = new LinkedHashMap<>();
        for (List<Attribute> list : lists) {
            if (list == null) {
                continue;
            }
            for (Attribute a : list) {
                byName.put(a.name(), Attribute.builder().name(a.name()).value(a.value()).build());
            }
        }
        return new ArrayList<>(byName.values());
    }

    /** On re-registration: the agent's attributes, plus the custom ones users had put. */
    public static List<Attribute> withCustom(List<Attribute> reported, List<Attribute> previous) {
        List<Attribute> custom = new ArrayList<>();
        if (previous != null) {
            for (Attribute a : previous) {
                if (!isBuiltIn(a.name())) {
                    custom.add(a);
                }
            }
        }
        return merge(custom, reported);
    }
}
