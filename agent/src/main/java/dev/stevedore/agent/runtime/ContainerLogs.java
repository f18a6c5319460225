package dev.stevedore.agent.runtime;

import java.util.Objects;

/**
 * A container's output so far: each stream on its own, and both interleaved in the order the
 * engine returned them.
 */
public record ContainerLogs(String stdout, String stderr, String combined) {

    public ContainerLogs {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(combined, "combined");
    }
}
