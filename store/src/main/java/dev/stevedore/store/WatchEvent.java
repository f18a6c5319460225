package dev.stevedore.store;

import java.util.Objects;

/**
 * One change to one key, as a watch delivers it. For {@link Type#PUT} the key value is the key's
 * new state; for {@link Type#DELETE} it is a tombstone carrying the key, an empty value and
 * {@code modRevision == revision} (create revision and version 0).
 */
public record WatchEvent(Type type, KeyValue kv, long revision) {

    public WatchEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(kv, "kv");
    }

    /** What happened to the key. */
    public enum Type { PUT, DELETE }
}
