package dev.stevedore.control.ecs.service.rollout;

import dev.stevedore.model.ecs.CanaryConfiguration;
import dev.stevedore.model.ecs.DeploymentConfiguration;
import dev.stevedore.model.ecs.LinearConfiguration;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The traffic-shifting deployments (BLUE_GREEN, LINEAR, CANARY) as a pure function of where a shift is, whether
 * the green tasks are ready, whether blue has gone, and the time: green starts behind the alternate target groups
 * (SCALE_UP); once all of it is healthy the test rule, if any, is pointed at green (TEST_TRAFFIC_SHIFT); then
 * production traffic moves (PRODUCTION_TRAFFIC_SHIFT: all at once, by stepPercent every stepBakeTimeInMinutes,
 * or canaryPercent then the rest after canaryBakeTimeInMinutes); with all of it on green the deployment bakes
 * (BAKE_TIME, blue still running); then blue is scaled in (CLEAN_UP) and, once it is gone, the shift is done.
 * Stage names are ECS's {@code ServiceDeploymentLifecycleStage} values.
 */
public final class TrafficShift {
    public static final String BLUE_GREEN = "BLUE_GREEN";
    public static final String LINEAR = "LINEAR";
    public static final String CANARY = "CANARY";

    public static final String SCALE_UP = "SCALE_UP";
    public static final String TEST_TRAFFIC_SHIFT = "TEST_TRAFFIC_SHIFT";
    public static final String PRODUCTION_TRAFFIC_SHIFT = "PRODUCTION_TRAFFIC_SHIFT";
    public static final String BAKE_TIME = "BAKE_TIME";
    public static final String CLEAN_UP = "CLEAN_UP";

    /** ECS's defaults when linearConfiguration or canaryConfiguration leaves a member out. */
    public static final double DEFAULT_STEP_PERCENT = 10.0;
    public static final int DEFAULT_STEP_BAKE_MINUTES = 6;
    public static final double DEFAULT_CANARY_PERCENT = 5.0;
    public static final int DEFAULT_CANARY_BAKE_MINUTES = 10;

    /** The total of a weighted forward's weights: ELB takes weights up to 999, so a tenth of a percent fits. */
    public static final int WEIGHT_TOTAL = 999;

    private TrafficShift() {
    }

    /** Whether a deployment strategy moves traffic between two target groups. */
    public static boolean shifting(String strategy) {
        return BLUE_GREEN.equals(strategy) || LINEAR.equals(strategy) || CANARY.equals(strategy);
    }

    /** How a strategy moves production traffic: the first step, each later step, and the wait between steps. */
    public record Plan(double firstPercent, double stepPercent, Duration stepWait, Duration bake) {
        public static Plan of(DeploymentConfiguration config) {
            Duration bake = Duration.ofMinutes(config.bakeTimeInMinutes() == null ? 0 : config.bakeTimeInMinutes());
            if (LINEAR.equals(config.strategy())) {
                LinearConfiguration l = config.linearConfiguration();
                double step = l == null || l.stepPercent() == null ? DEFAULT_STEP_PERCENT : l.stepPercent();
                int wait = l == null || l.stepBakeTimeInMinutes() == null ? DEFAULT_STEP_BAKE_MINUTES
                        : l.stepBakeTimeInMinutes();
                return new Plan(step, step, Duration.ofMinutes(wait), bake);
            }
            if (CANARY.equals(config.strategy())) {
                CanaryConfiguration c = config.canaryConfiguration();
                double canary = c == null || c.canaryPercent() == null ? DEFAULT_CANARY_PERCENT : c.canaryPercent();
                int wait = c == null || c.canaryBakeTimeInMinutes() == null ? DEFAULT_CANARY_BAKE_MINUTES
                        : c.canaryBakeTimeInMinutes();
                return new Plan(canary, 100.0, Duration.ofMinutes(wait), bake);
            }
            return new Plan(100.0, 100.0, Duration.ZERO, bake);
        }
    }

    /** Where a shift is: its stage, since when, and the share of production traffic green has (0 to 100). */
    public record State(String stage, Instant since, double greenPercent) {
        public static State start(Instant now) {
            return new State(SCALE_UP, now, 0.0);
        }

        /** Whether the test rule forwards to green by now. */
        public boolean testOnGreen() {
            return !SCALE_UP.equals(stage);
        }

        /** Whether blue may be scaled in. */
        public boolean blueReleased() {
            return CLEAN_UP.equals(stage);
        }
    }

    /** The next state, or empty when the shift is done (blue gone after CLEAN_UP); and when to look again. */
    public record Step(Optional<State> state, Optional<Instant> recheckAt) {
    }

    /**
     * Advances the shift as far as the facts allow at {@code now}; each stage is left as soon as its condition
     * holds, so one call may pass several.
     *
     * @param greenReady whether all of green's tasks run and their targets are healthy
     * @param blueGone   whether no task of the older deployments is left
     */
    public static Step advance(Plan plan, State state, boolean greenReady, boolean blueGone, Instant now) {
        State s = state;
        while (true) {
            State next = next(plan, s, greenReady, now);
            if (next == null) {
                return new Step(blueGone ? Optional.empty() : Optional.of(s), Optional.empty());
            }
            if (next.equals(s)) {
                return new Step(Optional.of(s), waitEnds(plan, s));
            }
            s = next;
        }
    }

    /** The state after one move; the same state when nothing moves yet; null past CLEAN_UP's start. */
    private static State next(Plan plan, State s, boolean greenReady, Instant now) {
        return switch (s.stage()) {
            case SCALE_UP -> greenReady ? new State(TEST_TRAFFIC_SHIFT, now, 0.0) : s;
            case TEST_TRAFFIC_SHIFT -> new State(PRODUCTION_TRAFFIC_SHIFT, now, Math.min(100.0, plan.firstPercent()));
            case PRODUCTION_TRAFFIC_SHIFT -> {
                if (s.greenPercent() >= 100.0) {
                    yield new State(BAKE_TIME, s.since(), 100.0);
                }
                // Each step holds for the whole wait from when it was made, even after a late pass.
                yield now.isBefore(s.since().plus(plan.stepWait())) ? s
                        : new State(PRODUCTION_TRAFFIC_SHIFT, now, Math.min(100.0, tenths(s.greenPercent() + plan.stepPercent())));
            }
            case BAKE_TIME -> now.isBefore(s.since().plus(plan.bake())) ? s : new State(CLEAN_UP, now, 100.0);
            default -> null;
        };
    }

    private static Optional<Instant> waitEnds(Plan plan, State s) {
        return switch (s.stage()) {
            case PRODUCTION_TRAFFIC_SHIFT -> Optional.of(s.since().plus(plan.stepWait()));
            case BAKE_TIME -> Optional.of(s.since().plus(plan.bake()));
            default -> Optional.empty();
        };
    }

    /** Percentages are multiples of a tenth: sums of doubles are rounded back onto them. */
    private static double tenths(double percent) {
        return Math.round(percent * 10.0) / 10.0;
    }

    /** Green's weight out of {@link #WEIGHT_TOTAL} for a share of traffic; blue has the rest. */
    public static int greenWeight(double greenPercent) {
        return (int) Math.round(greenPercent / 100.0 * WEIGHT_TOTAL);
    }
}
