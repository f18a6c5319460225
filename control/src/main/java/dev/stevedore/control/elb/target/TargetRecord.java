package dev.stevedore.control.elb.target;

import dev.stevedore.control.elb.TargetRef;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A target's registration in a target group. A deregistered target keeps its record, with the time its
 * draining began, until the group's deregistration delay has passed or the data plane reads no request in
 * flight to it; then it is gone (its record deleted by the next write that meets it).
 *
 * @param availabilityZone as registered ({@code all} for an address outside the group's VPC); empty when not given
 */
public record TargetRecord(String id, int port, Optional<String> availabilityZone, Instant registeredAt,
                           Optional<Instant> drainingSince) {

    public TargetRef ref() {
        return new TargetRef(id, port);
    }

    public boolean isDraining() {
        return drainingSince.isPresent();
    }

    /** Whether the deregistration delay has run out by {@code now} (never for a registered target). */
    public boolean drainedBy(Instant now, int delaySeconds) {
        return drainingSince.filter(since -> !now.isBefore(since.plus(Duration.ofSeconds(delaySeconds)))).isPresent();
    }

    public TargetRecord draining(Instant since) {
        return new TargetRecord(id, port, availabilityZone, registeredAt, Optional.of(since));
    }
}
