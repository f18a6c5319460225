package dev.stevedore.agent.runtime;

import java.util.Objects;

/** A resource limit for the container's processes, such as {@code nofile} 1024/4096. */
public record Ulimit(String name, long softLimit, long hardLimit) {

    public Ulimit {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("ulimit name must not be blank");
        }
        if (softLimit > hardLimit) {
            throw new IllegalArgumentException(
                    "ulimit " + name + ": soft limit " + softLimit + " exceeds hard limit " + hardLimit);
        }
    }
}
