package dev.stevedore.control.ecs.service.rollout;

import dev.stevedore.model.ecs.CanaryConfiguration;
import dev.stevedore.model.ecs.DeploymentConfiguration;
import dev.stevedore.model.ecs.DeploymentLifecycleHook;
import dev.stevedore.model.ecs.DeploymentLifecycleHookAction;
import dev.stevedore.model.ecs.DeploymentLifecycleHookStatus;
import dev.stevedore.model.ecs.LinearConfiguration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The traffic-shifting deployments (BLUE_GREEN, LINEAR, CANARY) as a pure function of where a shift is, whether
 * the green tasks are ready, whether blue has gone, and the time: green starts behind the alternate target groups
 * (SCALE_UP); once all of it is healthy the test rule, if any, is pointed at green (TEST_TRAFFIC_SHIFT); then
 * production traffic moves (PRODUCTION_TRAFFIC_SHIFT: all at once, by stepPercent every stepBakeTimeInMinutes,
 * or canaryPercent then the rest after canaryBakeTimeInMinutes); with all of it on green the deployment bakes
 * (BAKE_TIME, blue still running); then blue is scaled in (CLEAN_UP) and, once it is gone, the shift is done.
 * Stage names are ECS's {@code ServiceDeploymentLifecycleStage} values.
 *
 * <p>PAUSE lifecycle hooks hold the shift at the gates between stages (before green starts, once it is up,
 * after the test traffic moved, before each production step, after the last one) until the hook is answered
 * CONTINUE (ContinueServiceDeployment) or its timeout passes; a timeout whose action is ROLLBACK asks the caller to
 * roll the deployment back. A pause holds everything as it is at that moment: test traffic already on green stays.
 */
public final class TrafficShift {
    public static final String BLUE_GREEN = "BLUE_GREEN";
    public static final String LINEAR = "LINEAR";
    public static final String CANARY = "CANARY";

    public static final String PRE_SCALE_UP = "PRE_SCALE_UP";
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

    /** The lifecycle hook stages a PAUSE hook may name, in the order a shift reaches them. */
    public static final String RECONCILE_SERVICE = "RECONCILE_SERVICE";
    public static final String POST_SCALE_UP = "POST_SCALE_UP";
    public static final String POST_TEST_TRAFFIC_SHIFT = "POST_TEST_TRAFFIC_SHIFT";
    public static final String PRE_PRODUCTION_TRAFFIC_SHIFT = "PRE_PRODUCTION_TRAFFIC_SHIFT";
    public static final String POST_PRODUCTION_TRAFFIC_SHIFT = "POST_PRODUCTION_TRAFFIC_SHIFT";
    public static final Set<String> PAUSE_STAGES = Set.of(RECONCILE_SERVICE, PRE_SCALE_UP, POST_SCALE_UP,
            POST_TEST_TRAFFIC_SHIFT, PRE_PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT);

    /** ECS's defaults for a hook's timeoutConfiguration. */
    public static final int DEFAULT_HOOK_TIMEOUT_MINUTES = 1440;

    /** A PAUSE hook's terms at one stage: how long it waits for an answer and what its timeout does. */
    public record PauseHook(Duration timeout, String timeoutAction) {
    }

    /**
     * How a strategy moves production traffic: the first step, each later step, and the wait between steps; and
     * the PAUSE hooks by the stage they hold.
     */
    public record Plan(double firstPercent, double stepPercent, Duration stepWait, Duration bake,
                       Map<String, PauseHook> pauses) {
        public Plan {
            pauses = Map.copyOf(pauses);
        }

        public Plan(double firstPercent, double stepPercent, Duration stepWait, Duration bake) {
            this(firstPercent, stepPercent, stepWait, bake, Map.of());
        }

        public static Plan of(DeploymentConfiguration config) {
            Plan moves = moves(config);
            return new Plan(moves.firstPercent(), moves.stepPercent(), moves.stepWait(), moves.bake(), pauses(config));
        }

        /** The first hook naming a stage holds it; ECS's defaults fill a timeout left out. */
        private static Map<String, PauseHook> pauses(DeploymentConfiguration config) {
            Map<String, PauseHook> pauses = new LinkedHashMap<>();
            for (DeploymentLifecycleHook hook : Optional.ofNullable(config.lifecycleHooks()).orElse(List.of())) {
                if (!"PAUSE".equals(hook.targetType()) || hook.lifecycleStages() == null) {
                    continue;
                }
                var timeout = hook.timeoutConfiguration();
                int minutes = timeout == null || timeout.timeoutInMinutes() == null ? DEFAULT_HOOK_TIMEOUT_MINUTES
                        : timeout.timeoutInMinutes();
                String action = timeout == null || timeout.action() == null ? DeploymentLifecycleHookAction.ROLLBACK
                        : timeout.action();
                for (String stage : hook.lifecycleStages()) {
                    pauses.putIfAbsent(stage, new PauseHook(Duration.ofMinutes(minutes), action));
                }
            }
            return pauses;
        }

        private static Plan moves(DeploymentConfiguration config) {
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

    /**
     * A PAUSE hook the shift waits at.
     *
     * @param hookStage the lifecycle stage the hook names
     * @param continued whether it was answered CONTINUE (a ROLLBACK answer rolls the deployment back instead)
     */
    public record Pause(String hookStage, String hookId, Instant since, Instant expiresAt, String timeoutAction,
                        boolean continued) {
        public Pause answeredContinue() {
            return new Pause(hookStage, hookId, since, expiresAt, timeoutAction, true);
        }
    }

    /**
     * Where a shift is: its stage, since when, and the share of production traffic green has (0 to 100); the
     * pause it waits at, if any, and the last gate passed on the way to its next stage (empty when none).
     */
    public record State(String stage, Instant since, double greenPercent, Optional<Pause> pause, String passedGate) {
        public State(String stage, Instant since, double greenPercent) {
            this(stage, since, greenPercent, Optional.empty(), "");
        }

        /** Before green starts: PRE_SCALE_UP, left at once unless a hook holds it. */
        public static State start(Instant now) {
            return new State(PRE_SCALE_UP, now, 0.0);
        }

        /** Whether the test rule forwards to green by now. */
        public boolean testOnGreen() {
            return !SCALE_UP.equals(stage) && !PRE_SCALE_UP.equals(stage);
        }

        /** Whether green's tasks may be started: not while the shift is held before its scale-up. */
        public boolean greenMayStart() {
            return !PRE_SCALE_UP.equals(stage);
        }

        /**
         * The stage to show as the deployment's lifecycleStage: a pause at a stage ECS names there shows that
         * stage (POST_SCALE_UP…); one before a production step shows the stage it is held in.
         */
        public String shownStage() {
            return pause.map(Pause::hookStage).filter(SHOWN_PAUSE_STAGES::contains).orElse(stage);
        }

        State pausedAt(Pause p) {
            return new State(stage, since, greenPercent, Optional.of(p), passedGate);
        }

        State passing(String gate) {
            return new State(stage, since, greenPercent, Optional.empty(), gate);
        }

        /** Whether blue may be scaled in. */
        public boolean blueReleased() {
            return CLEAN_UP.equals(stage);
        }
    }

    /** The lifecycle stages a pause shows as the deployment's stage (ECS's ServiceDeploymentLifecycleStage). */
    private static final Set<String> SHOWN_PAUSE_STAGES = Set.of(RECONCILE_SERVICE, PRE_SCALE_UP, POST_SCALE_UP,
            POST_TEST_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT);

    /** A hook's status changed: it began waiting (AWAITING_ACTION), was passed (SUCCEEDED) or timed out. */
    public record HookChange(Pause pause, String status) {
    }

    /**
     * The next state, or empty when the shift is done (blue gone after CLEAN_UP); when to look again; the hooks
     * whose status changed; and whether a hook's timeout asks for the deployment to be rolled back.
     */
    public record Step(Optional<State> state, Optional<Instant> recheckAt, List<HookChange> hooks, boolean rollBack) {
        public Step {
            hooks = List.copyOf(hooks);
        }

        public Step(Optional<State> state, Optional<Instant> recheckAt) {
            this(state, recheckAt, List.of(), false);
        }
    }

    /**
     * What the shift's moves depend on besides time.
     *
     * @param greenReady    whether all of green's tasks run and their targets are healthy
     * @param blueGone      whether no task of the older deployments is left
     * @param blueRevisions how many older deployments still have tasks (more than one: a RECONCILE_SERVICE stage)
     */
    public record Facts(boolean greenReady, boolean blueGone, int blueRevisions) {
    }

    public static Step advance(Plan plan, State state, boolean greenReady, boolean blueGone, Instant now) {
        return advance(plan, state, new Facts(greenReady, blueGone, 1), now, TrafficShift::newHookId);
    }

    /**
     * Advances the shift as far as the facts allow at {@code now}; each stage is left as soon as its condition
     * holds, so one call may pass several. A gate with a PAUSE hook is passed once its hook was continued or
     * timed out with CONTINUE; a timeout with ROLLBACK ends the call with {@link Step#rollBack()}.
     */
    public static Step advance(Plan plan, State state, Facts facts, Instant now, Supplier<String> hookIds) {
        State s = state;
        List<HookChange> hooks = new ArrayList<>();
        while (true) {
            if (s.pause().isPresent()) {
                Pause p = s.pause().get();
                if (p.continued()) {
                    hooks.add(new HookChange(p, DeploymentLifecycleHookStatus.SUCCEEDED));
                    s = s.passing(p.hookStage());
                } else if (!now.isBefore(p.expiresAt())) {
                    hooks.add(new HookChange(p, DeploymentLifecycleHookStatus.TIMED_OUT));
                    if (DeploymentLifecycleHookAction.ROLLBACK.equals(p.timeoutAction())) {
                        return new Step(Optional.of(s), Optional.empty(), hooks, true);
                    }
                    s = s.passing(p.hookStage());
                } else {
                    return new Step(Optional.of(s), Optional.of(p.expiresAt()), hooks, false);
                }
            }
            State next = next(plan, s, facts.greenReady(), now);
            if (next == null) {
                return new Step(facts.blueGone() ? Optional.empty() : Optional.of(s), Optional.empty(), hooks, false);
            }
            if (next.equals(s)) {
                return new Step(Optional.of(s), waitEnds(plan, s), hooks, false);
            }
            List<String> gates = gates(s, next, facts).stream().filter(plan.pauses()::containsKey).toList();
            int passed = gates.indexOf(s.passedGate());
            if (passed + 1 < gates.size()) {
                String gate = gates.get(passed + 1);
                PauseHook hook = plan.pauses().get(gate);
                Pause p = new Pause(gate, hookIds.get(), now, now.plus(hook.timeout()), hook.timeoutAction(), false);
                hooks.add(new HookChange(p, DeploymentLifecycleHookStatus.AWAITING_ACTION));
                s = s.pausedAt(p);
                continue;
            }
            // A stage entered after a pause starts its own clock then, not when the gate was first reached.
            s = gates.isEmpty() ? next : new State(next.stage(), now, next.greenPercent());
        }
    }

    /** The hook stages between two states, in the order ECS runs them. */
    private static List<String> gates(State from, State to, Facts facts) {
        return switch (from.stage()) {
            case PRE_SCALE_UP -> facts.blueRevisions() > 1 ? List.of(RECONCILE_SERVICE, PRE_SCALE_UP) : List.of(PRE_SCALE_UP);
            case SCALE_UP -> List.of(POST_SCALE_UP);
            case TEST_TRAFFIC_SHIFT -> List.of(POST_TEST_TRAFFIC_SHIFT, PRE_PRODUCTION_TRAFFIC_SHIFT);
            case PRODUCTION_TRAFFIC_SHIFT -> BAKE_TIME.equals(to.stage()) ? List.of(POST_PRODUCTION_TRAFFIC_SHIFT)
                    : List.of(PRE_PRODUCTION_TRAFFIC_SHIFT);
            default -> List.of();
        };
    }

    private static final java.security.SecureRandom HOOK_IDS = new java.security.SecureRandom();

    /** A pause hook's id as ECS forms them: "ecs-pause-" and 43 URL-safe base64 characters. */
    public static String newHookId() {
        byte[] bytes = new byte[32];
        HOOK_IDS.nextBytes(bytes);
        return "ecs-pause-" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The state after one move; the same state when nothing moves yet; null past CLEAN_UP's start. */
    private static State next(Plan plan, State s, boolean greenReady, Instant now) {
        return switch (s.stage()) {
            case PRE_SCALE_UP -> new State(SCALE_UP, now, 0.0);
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
