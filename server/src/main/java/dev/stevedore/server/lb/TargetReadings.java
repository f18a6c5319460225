package dev.stevedore.server.lb;

import dev.stevedore.control.elb.TargetHealthReadings.Reading;
import dev.stevedore.lb.TargetReading;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** How a data plane's {@link TargetReading}s become what the ELB API answers (a pure function of them). */
final class TargetReadings {
    /** Least healthy first: the verdict a set of data planes agrees on is the worst one among them. */
    private static final List<String> WORST_FIRST = List.of("unhealthy", "initial", "unavailable", "healthy");

    private TargetReadings() {
    }

    /**
     * One data plane's reading as ELB answers it: a reason and description only with an unhealthy verdict, and a
     * target the data plane does not yet hold as draining read as having a request in flight, so its
     * deregistration is never taken as finished before the data plane has stopped sending it new requests.
     */
    static Reading forElb(TargetReading reading) {
        boolean unhealthy = reading.verdict().equals("unhealthy");
        return new Reading(reading.verdict(), unhealthy ? reading.reason() : "", unhealthy ? reading.description() : "",
                reading.draining() ? reading.inFlight() : Math.max(1, reading.inFlight()));
    }

    /**
     * Several data planes' readings of one target (each load balancer process checks every target itself): the
     * worst verdict, with that reading's reason (a target one of them cannot reach gets errors through it), and
     * the requests in flight of all of them (a drain is done once none of them serves it). Empty when none of
     * them holds the target yet.
     */
    static Optional<Reading> combine(List<TargetReading> readings) {
        List<Reading> each = readings.stream().map(TargetReadings::forElb).toList();
        return each.stream().min(Comparator.comparingInt(TargetReadings::rank))
                .map(worst -> new Reading(worst.verdict(), worst.reason(), worst.description(),
                        each.stream().mapToInt(Reading::inFlight).sum()));
    }

    private static int rank(Reading reading) {
        int rank = WORST_FIRST.indexOf(reading.verdict());
        return rank < 0 ? 0 : rank;
    }
}
