package dev.stevedore.store.etcd;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A replica of the control plane as the others see it in the leader key: who it is and where its
 * API answers (followers relay writes there).
 */
public record Replica(String id, String endpoint) {

    public Replica {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(endpoint, "endpoint");
        if (id.isEmpty() || id.contains("\n") || endpoint.contains("\n")) {
            throw new IllegalArgumentException("a replica id is one non-empty line, and so is its endpoint");
        }
    }

    byte[] encode() {
        return (id + "\n" + endpoint).getBytes(StandardCharsets.UTF_8);
    }

    static Optional<Replica> decode(byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        if (newline <= 0) {
            return Optional.empty(); // not written by a Stevedore replica
        }
        return Optional.of(new Replica(text.substring(0, newline), text.substring(newline + 1)));
    }
}
