package dev.stevedore.agent.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One reading of a container's resource use, as the engine's stats give it.
 *
 * @param readAt      when the engine read the cgroup (its clock); CPU rates are taken between two
 *                    readings, so both times must come from the same clock
 * @param cpuNanos    CPU time the container has used since it started, all cores together
 * @param memoryBytes memory in use less the inactive page cache, as {@code docker stats} shows it
 *                    (the cache the kernel reclaims first would otherwise make every container look full)
 */
public record ContainerUsage(Instant readAt, long cpuNanos, long memoryBytes) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The time the engine gives a reading it did not take (Go's zero time). */
    private static final Instant NEVER = Instant.parse("0001-01-01T00:00:00Z");

    /**
     * Whether the engine read the container's cgroup: it answers for a container it does not have
     * running (one that just exited, or whose figures it could not get) with no time and no figures.
     */
    public boolean measured() {
        return readAt.isAfter(NEVER);
    }

    /**
     * Reads the engine's stats JSON: cgroup v1 names the inactive cache {@code total_inactive_file},
     * v2 {@code inactive_file}. A container that is not running has no memory members: zero.
     *
     * @throws ContainerRuntimeException {@code ENGINE_ERROR} when the text is not the engine's stats
     */
    public static ContainerUsage parse(String statsJson) {
        JsonNode stats;
        try {
            stats = JSON.readTree(statsJson);
        } catch (JsonProcessingException e) {
            throw new ContainerRuntimeException(ContainerRuntimeException.Kind.ENGINE_ERROR,
                    "the engine's stats are not JSON: " + e.getOriginalMessage(), e);
        }
        Instant readAt;
        try {
            readAt = Instant.parse(stats.path("read").asText(""));
        } catch (DateTimeParseException e) {
            throw new ContainerRuntimeException(ContainerRuntimeException.Kind.ENGINE_ERROR,
                    "the engine's stats have no readable time: " + stats.path("read"), e);
        }
        long cpu = stats.path("cpu_stats").path("cpu_usage").path("total_usage").asLong(0);
        JsonNode memory = stats.path("memory_stats");
        long usage = memory.path("usage").asLong(0);
        JsonNode detail = memory.path("stats");
        long inactive = detail.has("total_inactive_file") ? detail.path("total_inactive_file").asLong(0)
                : detail.path("inactive_file").asLong(0);
        return new ContainerUsage(readAt, cpu, inactive < usage ? usage - inactive : usage);
    }
}
