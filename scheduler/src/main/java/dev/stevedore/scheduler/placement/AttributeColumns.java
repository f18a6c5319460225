package dev.stevedore.scheduler.placement;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Instance attributes by name, one column per attribute with a slot per instance, so that a
 * filter or strategy resolves the attribute once and then reads an array.
 */
final class AttributeColumns {

    /** A column no instance has a value in; never written. */
    static final Column ABSENT = new Column(0);

    private final Map<String, Column> columns = new HashMap<>();
    /** How many slots a new column starts with: the state's capacity, so laying out does not regrow it. */
    private final int capacity;

    AttributeColumns(int capacity) {
        this.capacity = capacity;
    }

    /** The attribute's column, or {@link #ABSENT} when no instance ever carried it. */
    Column get(String name) {
        Column column = columns.get(name);
        return column != null ? column : ABSENT;
    }

    /**
     * The attribute's column, created empty if need be: structures that keep a reference to it
     * (orders and spread counts) then see instances that gain the attribute later.
     */
    Column getOrCreate(String name) {
        return columns.computeIfAbsent(name, n -> new Column(capacity));
    }

    void set(int i, Map<String, String> attributes) {
        attributes.forEach((name, value) -> getOrCreate(name).set(i, value));
    }

    void clear(int i, Map<String, String> attributes) {
        attributes.keySet().forEach(name -> get(name).clear(i));
    }

    /**
     * One attribute over the instance slots: the value (null where absent) and a dense id per
     * distinct value (0 where absent), so that spread counts tasks per value in an array. Ids are
     * never reused, so an id that once named a value keeps naming it.
     */
    static final class Column {

        private String[] values;
        private int[] ids;
        private final Map<String, Integer> idOf = new HashMap<>();

        private Column(int capacity) {
            values = new String[capacity];
            ids = new int[capacity];
        }

        String value(int i) {
            return i < values.length ? values[i] : null;
        }

        int id(int i) {
            return i < ids.length ? ids[i] : 0;
        }

        /** One more than the highest id ever given. */
        int distinctIds() {
            return idOf.size() + 1;
        }

        private void set(int i, String value) {
            if (i >= values.length) {
                int capacity = Math.max(i + 1, Math.max(16, values.length * 2));
                values = Arrays.copyOf(values, capacity);
                ids = Arrays.copyOf(ids, capacity);
            }
            values[i] = value;
            ids[i] = idOf.computeIfAbsent(value, v -> idOf.size() + 1);
        }

        private void clear(int i) {
            if (i < values.length) {
                values[i] = null;
                ids[i] = 0;
            }
        }
    }
}
