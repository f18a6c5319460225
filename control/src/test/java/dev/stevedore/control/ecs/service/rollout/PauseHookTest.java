package dev.stevedore.control.ecs.service.rollout;

import dev.stevedore.model.ecs.DeploymentConfiguration;
import dev.stevedore.model.ecs.DeploymentLifecycleHook;
import dev.stevedore.model.ecs.DeploymentLifecycleHookTimeoutConfiguration;
import dev.stevedore.model.ecs.LinearConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** PAUSE lifecycle hooks in the shift's course: where they hold it, what answers and timeouts do. */
class PauseHookTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final TrafficShift.Facts READY = new TrafficShift.Facts(true, false, 1);

    private final AtomicInteger ids = new AtomicInteger();
    private final Supplier<String> hookIds = () -> "ecs-pause-" + ids.incrementAndGet();

    private static TrafficShift.Plan plan(String strategy, String timeoutAction, int minutes, String... stages) {
        DeploymentConfiguration.Builder config = DeploymentConfiguration.builder().strategy(strategy).bakeTimeInMinutes(0)
                .lifecycleHooks(List.of(DeploymentLifecycleHook.builder().targetType("PAUSE")
                        .lifecycleStages(List.of(stages))
                        .timeoutConfiguration(DeploymentLifecycleHookTimeoutConfiguration.builder()
                                .timeoutInMinutes(minutes).action(timeoutAction).build())
                        .build()));
        if ("LINEAR".equals(strategy)) {
            config.linearConfiguration(LinearConfiguration.builder().stepPercent(50.0).stepBakeTimeInMinutes(1).build());
        }
        return TrafficShift.Plan.of(config.build());
    }

    private TrafficShift.Step advance(TrafficShift.Plan plan, TrafficShift.State state, int minute) {
        return TrafficShift.advance(plan, state, READY, T0.plus(Duration.ofMinutes(minute)), hookIds);
    }

    @Test
    void aPauseAfterTheTestShiftHoldsProductionTrafficUntilItIsContinued() {
        TrafficShift.Plan plan = plan("BLUE_GREEN", "ROLLBACK", 60, "POST_TEST_TRAFFIC_SHIFT");
        TrafficShift.Step paused = advance(plan, TrafficShift.State.start(T0), 0);
        TrafficShift.State state = paused.state().orElseThrow();

        assertThat(state.stage()).isEqualTo("TEST_TRAFFIC_SHIFT");
        assertThat(state.testOnGreen()).isTrue();
        assertThat(state.greenPercent()).isZero();
        assertThat(state.shownStage()).isEqualTo("POST_TEST_TRAFFIC_SHIFT");
        assertThat(paused.hooks()).extracting(TrafficShift.HookChange::status).containsExactly("AWAITING_ACTION");
        assertThat(paused.recheckAt()).contains(T0.plus(Duration.ofMinutes(60)));
        // Looked at again before anyone answers: still held, the same hook.
        TrafficShift.Step still = advance(plan, state, 30);
        assertThat(still.state()).contains(state);
        assertThat(still.hooks()).isEmpty();

        TrafficShift.State continued = state.pausedAt(state.pause().orElseThrow().answeredContinue());
        TrafficShift.Step moved = advance(plan, continued, 31);
        assertThat(moved.state().orElseThrow().stage()).isEqualTo("CLEAN_UP");
        assertThat(moved.hooks()).extracting(TrafficShift.HookChange::status).containsExactly("SUCCEEDED");
        assertThat(moved.rollBack()).isFalse();
    }

    @Test
    void aTimeoutDoesWhatItsActionSays() {
        TrafficShift.Plan goOn = plan("BLUE_GREEN", "CONTINUE", 10, "POST_SCALE_UP");
        TrafficShift.State held = advance(goOn, TrafficShift.State.start(T0), 0).state().orElseThrow();
        assertThat(held.stage()).isEqualTo("SCALE_UP");
        assertThat(held.testOnGreen()).isFalse();
        TrafficShift.Step timedOut = advance(goOn, held, 10);
        assertThat(timedOut.hooks()).extracting(TrafficShift.HookChange::status).containsExactly("TIMED_OUT");
        assertThat(timedOut.state().orElseThrow().stage()).isEqualTo("CLEAN_UP");

        TrafficShift.Plan back = plan("BLUE_GREEN", "ROLLBACK", 10, "POST_SCALE_UP");
        TrafficShift.State waiting = advance(back, TrafficShift.State.start(T0), 0).state().orElseThrow();
        TrafficShift.Step rolledBack = advance(back, waiting, 10);
        assertThat(rolledBack.rollBack()).isTrue();
        assertThat(rolledBack.hooks()).extracting(TrafficShift.HookChange::status).containsExactly("TIMED_OUT");
        assertThat(rolledBack.state().orElseThrow().stage()).isEqualTo("SCALE_UP");
    }

    @Test
    void aPauseBeforeScaleUpKeepsGreenFromStarting() {
        TrafficShift.Plan plan = plan("BLUE_GREEN", "ROLLBACK", 60, "PRE_SCALE_UP");
        TrafficShift.State held = advance(plan, TrafficShift.State.start(T0), 0).state().orElseThrow();
        assertThat(held.greenMayStart()).isFalse();
        assertThat(held.shownStage()).isEqualTo("PRE_SCALE_UP");

        TrafficShift.State continued = held.pausedAt(held.pause().orElseThrow().answeredContinue());
        TrafficShift.State scaling = TrafficShift.advance(plan, continued, new TrafficShift.Facts(false, false, 1),
                T0.plusSeconds(5), hookIds).state().orElseThrow();
        assertThat(scaling.stage()).isEqualTo("SCALE_UP");
        assertThat(scaling.greenMayStart()).isTrue();
    }

    @Test
    void aPauseBeforeProductionTrafficHoldsEveryLinearStep() {
        TrafficShift.Plan plan = plan("LINEAR", "ROLLBACK", 60, "POST_TEST_TRAFFIC_SHIFT", "PRE_PRODUCTION_TRAFFIC_SHIFT");
        TrafficShift.State s = advance(plan, TrafficShift.State.start(T0), 0).state().orElseThrow();
        List<String> seen = new java.util.ArrayList<>();
        for (int minute = 1; minute < 20 && seen.size() < 8; minute++) {
            TrafficShift.State answered = s;
            if (s.pause().isPresent()) {
                seen.add(s.pause().get().hookStage() + " answered");
                answered = s.pausedAt(s.pause().get().answeredContinue());
            }
            TrafficShift.Step step = advance(plan, answered, minute);
            if (step.state().isEmpty()) {
                break;
            }
            s = step.state().get();
            seen.add(s.stage() + ":" + s.greenPercent() + (s.pause().isPresent() ? " held" : ""));
        }
        // The test shift's pause, then one before each of the two production steps (the last, to 100 %, goes
        // straight on to CLEAN_UP: no bake time, no POST_PRODUCTION hook).
        assertThat(seen).containsSubsequence(
                "POST_TEST_TRAFFIC_SHIFT answered", "TEST_TRAFFIC_SHIFT:0.0 held",
                "PRE_PRODUCTION_TRAFFIC_SHIFT answered", "PRODUCTION_TRAFFIC_SHIFT:50.0",
                "PRODUCTION_TRAFFIC_SHIFT:50.0 held",
                "PRE_PRODUCTION_TRAFFIC_SHIFT answered", "CLEAN_UP:100.0");
    }

    @Test
    void theReconcileStageIsReachedOnlyWithSeveralOlderRevisions() {
        TrafficShift.Plan plan = plan("BLUE_GREEN", "ROLLBACK", 60, "RECONCILE_SERVICE");
        TrafficShift.State one = TrafficShift.advance(plan, TrafficShift.State.start(T0),
                new TrafficShift.Facts(false, false, 1), T0, hookIds).state().orElseThrow();
        assertThat(one.pause()).isEmpty();
        assertThat(one.stage()).isEqualTo("SCALE_UP");

        TrafficShift.State two = TrafficShift.advance(plan, TrafficShift.State.start(T0),
                new TrafficShift.Facts(false, false, 2), T0, hookIds).state().orElseThrow();
        assertThat(two.pause().orElseThrow().hookStage()).isEqualTo("RECONCILE_SERVICE");
        assertThat(two.greenMayStart()).isFalse();
    }

    @Test
    void hookIdsLookLikeEcsOnes() {
        assertThat(TrafficShift.newHookId()).matches("ecs-pause-[A-Za-z0-9_-]{43}");
    }
}
