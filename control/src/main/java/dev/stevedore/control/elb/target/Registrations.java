package dev.stevedore.control.elb.target;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.elb.ElbKeys;
import dev.stevedore.control.elb.TargetHealth;
import dev.stevedore.control.elb.TargetHealthReadings;
import dev.stevedore.control.elb.TargetRef;
import dev.stevedore.control.elb.targetgroup.TargetGroupAttributes;
import dev.stevedore.control.elb.targetgroup.TargetGroupRecord;
import dev.stevedore.control.state.StoreTx;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The registrations of targets in a target group and their health, shared by RegisterTargets,
 * DeregisterTargets, DescribeTargetHealth and the ECS service scheduler's {@link
 * dev.stevedore.control.elb.ServiceTargets}: one set of rules, so a service and a user see one truth.
 */
public final class Registrations {
    /** The health of a target that is not registered (or of a group that is not there). */
    public static final TargetHealth NOT_REGISTERED =
            new TargetHealth("unused", "Target.NotRegistered", "Target is not registered to the target group");

    private final TargetHealthReadings readings;

    public Registrations(TargetHealthReadings readings) {
        this.readings = readings;
    }

    /** Registers (or re-registers a draining target) within the transaction; a registered one is left as it is. */
    public void register(StoreTx tx, EcsScope scope, TargetGroupRecord tg, TargetRef target, Optional<String> zone,
                         Instant now) {
        String key = ElbKeys.target(scope, tg.name(), target.id(), target.port());
        Optional<TargetRecord> existing = tx.read(key, TargetRecord.class);
        if (existing.isPresent() && !existing.get().isDraining()) {
            return;
        }
        tx.put(key, new TargetRecord(target.id(), target.port(), zone, now, Optional.empty()));
        // The group is written back unchanged, so a DeleteTargetGroup that did not see this registration
        // conflicts with it and runs again instead of leaving it behind for a later group of the same name.
        tx.put(ElbKeys.targetGroup(scope, tg.name()), tg);
    }

    /** Starts draining a registered target within the transaction; true if it was registered (draining or not). */
    public boolean deregister(StoreTx tx, EcsScope scope, TargetGroupRecord tg, TargetRef target, Instant now) {
        String key = ElbKeys.target(scope, tg.name(), target.id(), target.port());
        Optional<TargetRecord> existing = tx.read(key, TargetRecord.class).filter(t -> !gone(tg, t, now));
        if (existing.isEmpty()) {
            return false;
        }
        if (!existing.get().isDraining()) {
            tx.put(key, existing.get().draining(now));
        }
        return true;
    }

    /**
     * The group's registrations that still count (registered or draining) by {@code now}; those whose draining
     * is over are deleted within the transaction.
     */
    public List<TargetRecord> current(StoreTx tx, EcsScope scope, TargetGroupRecord tg, Instant now) {
        List<TargetRecord> all = tx.scan(ElbKeys.targetsOf(scope, tg.name()), TargetRecord.class);
        for (TargetRecord t : all) {
            if (gone(tg, t, now)) {
                tx.delete(ElbKeys.target(scope, tg.name(), t.id(), t.port()));
            }
        }
        return all.stream().filter(t -> !gone(tg, t, now)).toList();
    }

    /** A draining target is gone once the delay has passed or the data plane reads nothing in flight to it. */
    public boolean gone(TargetGroupRecord tg, TargetRecord target, Instant now) {
        if (!target.isDraining()) {
            return false;
        }
        if (target.drainedBy(now, TargetGroupAttributes.deregistrationDelaySeconds(tg.attributes()))) {
            return true;
        }
        return readings.reading(tg.arn(), target.ref()).filter(r -> r.inFlight() == 0).isPresent();
    }

    /**
     * A target's health as ALB reports it: not registered → unused; draining → draining; the group used by no
     * load balancer → unused; then the data plane's reading (none yet → initial, registration in progress).
     */
    public TargetHealth health(TargetGroupRecord tg, boolean inUse, Optional<TargetRecord> registration) {
        if (registration.isEmpty()) {
            return NOT_REGISTERED;
        }
        TargetRecord target = registration.get();
        if (target.isDraining()) {
            return new TargetHealth("draining", "Target.DeregistrationInProgress", "Target deregistration is in progress");
        }
        if (!inUse) {
            return new TargetHealth("unused", "Target.NotInUse",
                    "Target group is not configured to receive traffic from the load balancer");
        }
        Optional<TargetHealthReadings.Reading> reading = readings.reading(tg.arn(), target.ref());
        if (reading.isEmpty()) {
            return new TargetHealth("initial", "Elb.RegistrationInProgress", "Target registration is in progress");
        }
        TargetHealthReadings.Reading r = reading.get();
        return switch (r.verdict()) {
            case "healthy" -> new TargetHealth("healthy", "", "");
            case "unhealthy" -> new TargetHealth("unhealthy", r.reason(), r.description());
            default -> new TargetHealth("initial", "Elb.InitialHealthChecking", "Initial health checks in progress");
        };
    }
}
