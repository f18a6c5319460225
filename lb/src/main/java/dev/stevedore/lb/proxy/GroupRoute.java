package dev.stevedore.lb.proxy;

import dev.stevedore.lb.config.TargetGroup;
import dev.stevedore.lb.health.TargetState;
import dev.stevedore.lb.health.TargetState.Verdict;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A target group as requests see it in one routing snapshot: its targets' states and how to pick one.
 * Picking allocates nothing; it reads each target's health once per pass.
 */
public final class GroupRoute {

    private final TargetGroup group;
    private final TargetState[] targets;
    private final long slowStartNanos;
    private final AtomicInteger turn = new AtomicInteger();

    public GroupRoute(TargetGroup group, List<TargetState> targets) {
        this.group = group;
        this.targets = targets.toArray(TargetState[]::new);
        this.slowStartNanos = group.slowStart().toNanos();
    }

    public String id() {
        return group.id();
    }

    /**
     * The target for the next request, or null when none may take it (none registered, or all draining). Only
     * healthy targets are candidates, unless none is: then every non-draining one is (ALB's fail-open).
     */
    public TargetState pick() {
        boolean failOpen = true;
        int candidates = 0;
        for (TargetState target : targets) {
            if (!target.draining()) {
                candidates++;
                if (failOpen && routable(target)) {
                    failOpen = false;
                }
            }
        }
        if (candidates == 0) {
            return null;
        }
        if (!failOpen) {
            candidates = 0;
            for (TargetState target : targets) {
                if (eligible(target, false)) {
                    candidates++;
                }
            }
        }
        if (group.algorithm() == TargetGroup.Algorithm.LEAST_OUTSTANDING_REQUESTS) {
            return leastOutstanding(failOpen);
        }
        if (slowStartNanos > 0 && !failOpen) {
            TargetState ramping = rampingPick(candidates);
            if (ramping != null) {
                return ramping;
            }
        }
        int nth = Math.floorMod(turn.getAndIncrement(), candidates);
        for (TargetState target : targets) {
            if (eligible(target, failOpen) && nth-- == 0) {
                return target;
            }
        }
        return null;
    }

    private static boolean routable(TargetState target) {
        Verdict verdict = target.health().verdict();
        return verdict == Verdict.HEALTHY || verdict == Verdict.UNAVAILABLE;
    }

    private static boolean eligible(TargetState target, boolean failOpen) {
        return !target.draining() && (failOpen || routable(target));
    }

    private TargetState leastOutstanding(boolean failOpen) {
        // Ties go round: start the scan at a moving offset.
        int start = Math.floorMod(turn.getAndIncrement(), targets.length);
        TargetState best = null;
        for (int i = 0; i < targets.length; i++) {
            TargetState target = targets[(start + i) % targets.length];
            if (eligible(target, failOpen) && (best == null || target.inFlight() < best.inFlight())) {
                best = target;
            }
        }
        return best;
    }

    /**
     * With a target still in its slow-start window, a weighted draw where each target weighs the part of the
     * window it has been healthy (1 when done); null when no target is ramping, so plain round robin applies.
     */
    private TargetState rampingPick(int candidates) {
        long now = System.nanoTime();
        double total = 0;
        boolean ramping = false;
        for (TargetState target : targets) {
            if (eligible(target, false)) {
                double weight = weight(target, now);
                ramping |= weight < 1;
                total += weight;
            }
        }
        // A lone healthy target takes everything, ramping or not (as ALB: slow start needs company).
        if (!ramping || candidates < 2 || total <= 0) {
            return null;
        }
        double draw = ThreadLocalRandom.current().nextDouble(total);
        TargetState last = null;
        for (TargetState target : targets) {
            if (eligible(target, false)) {
                last = target;
                draw -= weight(target, now);
                if (draw < 0) {
                    return target;
                }
            }
        }
        return last;
    }

    private double weight(TargetState target, long now) {
        TargetState.Health health = target.health();
        if (!health.ramps()) {
            return 1.0;
        }
        long healthyFor = now - health.sinceNanos();
        return healthyFor >= slowStartNanos ? 1.0 : Math.max(healthyFor, 0) / (double) slowStartNanos;
    }
}
