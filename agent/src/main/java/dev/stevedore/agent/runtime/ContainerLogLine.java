package dev.stevedore.agent.runtime;

import java.time.Instant;
import java.util.Objects;

/**
 * One line a container wrote, as the engine keeps it.
 *
 * @param at     the engine's timestamp of the line (nanosecond precision)
 * @param stream {@code stdout} or {@code stderr} ({@code stdout} for a container with a terminal)
 * @param text   the line without its line end
 */
public record ContainerLogLine(Instant at, String stream, String text) {
    public ContainerLogLine {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(text, "text");
    }
}
