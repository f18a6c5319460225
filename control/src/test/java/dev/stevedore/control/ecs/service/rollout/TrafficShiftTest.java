package dev.stevedore.control.ecs.service.rollout;

import dev.stevedore.model.ecs.CanaryConfiguration;
import dev.stevedore.model.ecs.DeploymentConfiguration;
import dev.stevedore.model.ecs.LinearConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each strategy's course over time, driven as the scheduler drives it: one advance per look, a movable clock. */
class TrafficShiftTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A shift followed minute by minute: the (stage, green %) it is in after each look. */
    private static List<String> course(DeploymentConfiguration config, int minutes, int greenReadyAtMinute,
                                       int blueGoneAtMinute) {
        TrafficShift.Plan plan = TrafficShift.Plan.of(config);
        TrafficShift.State state = TrafficShift.State.start(T0);
        List<String> seen = new ArrayList<>();
        for (int m = 0; m <= minutes; m++) {
            Instant now = T0.plus(Duration.ofMinutes(m));
            TrafficShift.Step step = TrafficShift.advance(plan, state, m >= greenReadyAtMinute,
                    m >= blueGoneAtMinute, now);
            if (step.state().isEmpty()) {
                seen.add(m + ":done");
                return seen;
            }
            state = step.state().get();
            seen.add(m + ":" + state.stage() + "@" + state.greenPercent());
        }
        return seen;
    }

    @Test
    void blueGreenMovesAllTrafficInOneStepOnceGreenIsReadyThenBakesThenReleasesBlue() {
        DeploymentConfiguration config = DeploymentConfiguration.builder().strategy("BLUE_GREEN")
                .bakeTimeInMinutes(3).build();
        assertThat(course(config, 10, 2, 6)).containsExactly(
                "0:SCALE_UP@0.0", "1:SCALE_UP@0.0",
                "2:BAKE_TIME@100.0", "3:BAKE_TIME@100.0", "4:BAKE_TIME@100.0",
                "5:CLEAN_UP@100.0", "6:done");
    }

    @Test
    void linearMovesStepPercentEveryStepBakeTime() {
        DeploymentConfiguration config = DeploymentConfiguration.builder().strategy("LINEAR").bakeTimeInMinutes(0)
                .linearConfiguration(LinearConfiguration.builder().stepPercent(30.0).stepBakeTimeInMinutes(2).build())
                .build();
        assertThat(course(config, 20, 1, 0)).containsExactly(
                "0:SCALE_UP@0.0",
                "1:PRODUCTION_TRAFFIC_SHIFT@30.0", "2:PRODUCTION_TRAFFIC_SHIFT@30.0",
                "3:PRODUCTION_TRAFFIC_SHIFT@60.0", "4:PRODUCTION_TRAFFIC_SHIFT@60.0",
                "5:PRODUCTION_TRAFFIC_SHIFT@90.0", "6:PRODUCTION_TRAFFIC_SHIFT@90.0",
                // the last step is what is left; no step bake after 100 %, and no bake time configured
                "7:done");
    }

    @Test
    void linearDefaultsAreTenPercentEverySixMinutes() {
        TrafficShift.Plan plan = TrafficShift.Plan.of(DeploymentConfiguration.builder().strategy("LINEAR").build());
        assertThat(plan.firstPercent()).isEqualTo(10.0);
        assertThat(plan.stepWait()).isEqualTo(Duration.ofMinutes(6));
    }

    @Test
    void canaryMovesCanaryPercentThenTheRestAfterCanaryBakeTime() {
        DeploymentConfiguration config = DeploymentConfiguration.builder().strategy("CANARY").bakeTimeInMinutes(2)
                .canaryConfiguration(CanaryConfiguration.builder().canaryPercent(12.5).canaryBakeTimeInMinutes(3)
                        .build())
                .build();
        assertThat(course(config, 20, 0, 9)).containsExactly(
                "0:PRODUCTION_TRAFFIC_SHIFT@12.5", "1:PRODUCTION_TRAFFIC_SHIFT@12.5", "2:PRODUCTION_TRAFFIC_SHIFT@12.5",
                "3:BAKE_TIME@100.0", "4:BAKE_TIME@100.0",
                "5:CLEAN_UP@100.0", "6:CLEAN_UP@100.0", "7:CLEAN_UP@100.0", "8:CLEAN_UP@100.0",
                "9:done");
    }

    @Test
    void aLatePassMakesOneStepAndHoldsItForTheWholeWait() {
        TrafficShift.Plan plan = TrafficShift.Plan.of(DeploymentConfiguration.builder().strategy("LINEAR")
                .linearConfiguration(LinearConfiguration.builder().stepPercent(10.0).stepBakeTimeInMinutes(1).build())
                .build());
        TrafficShift.State at10 = new TrafficShift.State("PRODUCTION_TRAFFIC_SHIFT", T0, 10.0);
        TrafficShift.Step late = TrafficShift.advance(plan, at10, true, false, T0.plus(Duration.ofMinutes(30)));
        assertThat(late.state().orElseThrow().greenPercent()).isEqualTo(20.0);
        assertThat(late.recheckAt()).contains(T0.plus(Duration.ofMinutes(31)));
    }

    @Test
    void theTestRuleMovesToGreenOnlyOnceGreenIsReady() {
        TrafficShift.Plan plan = TrafficShift.Plan.of(DeploymentConfiguration.builder().strategy("BLUE_GREEN").build());
        TrafficShift.State scaling = TrafficShift.State.start(T0);
        assertThat(TrafficShift.advance(plan, scaling, false, false, T0.plusSeconds(60)).state().orElseThrow()
                .testOnGreen()).isFalse();
        assertThat(TrafficShift.advance(plan, scaling, true, false, T0.plusSeconds(60)).state().orElseThrow()
                .testOnGreen()).isTrue();
    }

    @Test
    void weightsSplitElbsLargestTotal() {
        assertThat(TrafficShift.greenWeight(0.0)).isZero();
        assertThat(TrafficShift.greenWeight(100.0)).isEqualTo(999);
        assertThat(TrafficShift.greenWeight(12.5)).isEqualTo(125);
        assertThat(TrafficShift.greenWeight(0.1)).isEqualTo(1);
    }
}
