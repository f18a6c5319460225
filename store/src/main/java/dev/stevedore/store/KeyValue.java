package dev.stevedore.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One key as stored at a revision: its value, the revision that created it, the revision that
 * last modified it, and its version (1 on creation, +1 per put since).
 *
 * <p>The value is copied in and out, so a {@code KeyValue} is immutable and compares by content.
 * In a {@link WatchEvent.Type#DELETE} event the key value is a tombstone: empty value,
 * {@code createRevision} and {@code version} 0, {@code modRevision} the revision of the delete.
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {

    public KeyValue {
        Keys.requireValid(key);
        value = Objects.requireNonNull(value, "value").clone();
        if (createRevision < 0 || modRevision < 0 || version < 0) {
            throw new IllegalArgumentException("revisions and version must not be negative");
        }
    }

    /** The tombstone a delete at {@code revision} leaves in its watch event. */
    static KeyValue tombstone(String key, long revision) {
        return new KeyValue(key, new byte[0], 0, revision, 0);
    }

    /** A copy of the value. */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The value decoded as UTF-8. */
    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** The size of the value in bytes, without copying it. */
    public int valueLength() {
        return value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue other
                && key.equals(other.key)
                && Arrays.equals(value, other.value)
                && createRevision == other.createRevision
                && modRevision == other.modRevision
                && version == other.version;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(value), createRevision, modRevision, version);
    }

    @Override
    public String toString() {
        return "KeyValue[key=" + key + ", value=" + value.length + " bytes, createRevision=" + createRevision
                + ", modRevision=" + modRevision + ", version=" + version + "]";
    }
}
