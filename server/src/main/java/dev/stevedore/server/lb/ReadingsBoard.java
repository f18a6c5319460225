package dev.stevedore.server.lb;

import dev.stevedore.control.elb.TargetHealthReadings.Reading;
import dev.stevedore.lb.ReadingsReport;
import dev.stevedore.lb.TargetReading;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last readings report of each load balancer process, by process id. Only reports younger than
 * {@link #FRESH} count: a process that stopped reporting (stopped, or cut off from this server) stops counting
 * within seconds, and its last word neither holds a drain open nor keeps a verdict.
 */
final class ReadingsBoard {
    /** Processes report every second: a few missed reports are a hiccup, more a process gone. */
    static final Duration FRESH = Duration.ofSeconds(5);

    private record TargetKey(String groupId, String host, int port) {
    }

    private record Received(Instant at, Map<TargetKey, TargetReading> readings) {
    }

    private final Map<String, Received> byProcess = new ConcurrentHashMap<>();

    void record(ReadingsReport report, Instant at) {
        Map<TargetKey, TargetReading> readings = new HashMap<>();
        report.readings().forEach(r -> readings.put(new TargetKey(r.targetGroupId(), r.host(), r.port()), r));
        byProcess.put(report.processId(), new Received(at, Map.copyOf(readings)));
        byProcess.values().removeIf(received -> stale(received, at));
    }

    /** The fresh readings of the target combined ({@link TargetReadings#combine}); empty when none holds it. */
    Optional<Reading> reading(String groupId, String host, int port, Instant now) {
        TargetKey key = new TargetKey(groupId, host, port);
        List<TargetReading> fresh = byProcess.values().stream().filter(received -> !stale(received, now))
                .map(received -> received.readings().get(key)).filter(java.util.Objects::nonNull).toList();
        return TargetReadings.combine(fresh);
    }

    /** How many processes reported within {@link #FRESH}. */
    int processes(Instant now) {
        return (int) byProcess.values().stream().filter(received -> !stale(received, now)).count();
    }

    private static boolean stale(Received received, Instant now) {
        return received.at().plus(FRESH).isBefore(now);
    }
}
