package dev.stevedore.control.ecs.taskdef;

import java.util.List;
import java.util.Map;

/** Reads optional wire members, where a null component means the member was absent. */
final class Absent {

    private Absent() {
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }

    static boolean isTrue(Boolean flag) {
        return Boolean.TRUE.equals(flag);
    }

    static boolean isBlank(String text) {
        return text == null || text.isEmpty();
    }
}
