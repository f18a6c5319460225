package dev.stevedore.lb.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A target group: its targets, how they are health-checked and how requests are spread over them.
 *
 * @param slowStart how long a newly healthy target's share takes to ramp up to a full one; zero for none
 * @param deregistrationDelay how long a draining target's in-flight requests may still run
 */
public record TargetGroup(String id, List<Target> targets, HealthCheck healthCheck, Algorithm algorithm,
        Duration slowStart, Duration deregistrationDelay) {

    public enum Algorithm { ROUND_ROBIN, LEAST_OUTSTANDING_REQUESTS }

    public TargetGroup {
        targets = List.copyOf(targets);
        Set<String> seen = new HashSet<>();
        for (Target target : targets) {
            if (!seen.add(target.host() + ":" + target.port())) {
                throw new IllegalArgumentException("target " + target.host() + ":" + target.port() + " twice in " + id);
            }
        }
        if (slowStart.isNegative() || deregistrationDelay.isNegative()) {
            throw new IllegalArgumentException("negative duration in target group " + id);
        }
    }

    /** ALB's defaults: round robin, no slow start, 300 s deregistration delay, the default health check. */
    public static TargetGroup of(String id, List<Target> targets) {
        return new TargetGroup(id, targets, HealthCheck.DEFAULT, Algorithm.ROUND_ROBIN, Duration.ZERO, Duration.ofSeconds(300));
    }

    public TargetGroup withTargets(List<Target> replaced) {
        return new TargetGroup(id, replaced, healthCheck, algorithm, slowStart, deregistrationDelay);
    }

    public TargetGroup withHealthCheck(HealthCheck check) {
        return new TargetGroup(id, targets, check, algorithm, slowStart, deregistrationDelay);
    }

    public TargetGroup withAlgorithm(Algorithm chosen) {
        return new TargetGroup(id, targets, healthCheck, chosen, slowStart, deregistrationDelay);
    }

    public TargetGroup withSlowStart(Duration ramp) {
        return new TargetGroup(id, targets, healthCheck, algorithm, ramp, deregistrationDelay);
    }

    public TargetGroup withDeregistrationDelay(Duration delay) {
        return new TargetGroup(id, targets, healthCheck, algorithm, slowStart, delay);
    }
}
