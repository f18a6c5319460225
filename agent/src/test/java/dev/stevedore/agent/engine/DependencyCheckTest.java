package dev.stevedore.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.agent.engine.Dependency.Condition;
import dev.stevedore.agent.engine.DependencyCheck.Result;
import dev.stevedore.agent.runtime.HealthStatus;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DependencyCheckTest {

    private static final ContainerRecord PENDING = ContainerRecord.pending("dep");
    private static final ContainerRecord RUNNING = ContainerRecord.found("dep", "id", "n").running(HealthStatus.STARTING, List.of());
    private static final ContainerRecord EXITED_0 = RUNNING.exited(true, OptionalInt.of(0), Optional.empty(), HealthStatus.NONE);
    private static final ContainerRecord EXITED_3 = RUNNING.exited(true, OptionalInt.of(3), Optional.empty(), HealthStatus.NONE);
    private static final ContainerRecord FAILED = PENDING.failed("CannotPullContainerError: nope");

    private static Result check(Condition condition, ContainerRecord target) {
        return DependencyCheck.evaluate(new Dependency("dep", condition), Optional.of(target), true);
    }

    @Test
    void startIsMetOnceTheDependencyRanEvenIfItExitedSince() {
        assertThat(check(Condition.START, PENDING)).isInstanceOf(Result.Waiting.class);
        assertThat(check(Condition.START, RUNNING)).isInstanceOf(Result.Met.class);
        assertThat(check(Condition.START, EXITED_3)).isInstanceOf(Result.Met.class);
        assertThat(check(Condition.START, FAILED)).isInstanceOfSatisfying(Result.Failed.class,
                f -> assertThat(f.why()).contains("never started").contains("CannotPullContainerError"));
    }

    @Test
    void completeNeedsAnExitWithAnyCode() {
        assertThat(check(Condition.COMPLETE, RUNNING)).isInstanceOf(Result.Waiting.class);
        assertThat(check(Condition.COMPLETE, EXITED_3)).isInstanceOf(Result.Met.class);
        assertThat(check(Condition.COMPLETE, FAILED)).isInstanceOf(Result.Failed.class);
    }

    @Test
    void successNeedsExitCodeZero() {
        assertThat(check(Condition.SUCCESS, RUNNING)).isInstanceOf(Result.Waiting.class);
        assertThat(check(Condition.SUCCESS, EXITED_0)).isInstanceOf(Result.Met.class);
        assertThat(check(Condition.SUCCESS, EXITED_3)).isInstanceOfSatisfying(Result.Failed.class,
                f -> assertThat(f.why()).isEqualTo("dep exited with code 3"));
    }

    @Test
    void healthyNeedsAPassedHealthCheck() {
        assertThat(check(Condition.HEALTHY, RUNNING)).isInstanceOf(Result.Waiting.class);
        assertThat(check(Condition.HEALTHY, RUNNING.withHealth(HealthStatus.HEALTHY))).isInstanceOf(Result.Met.class);
        assertThat(check(Condition.HEALTHY, RUNNING.withHealth(HealthStatus.UNHEALTHY))).isInstanceOfSatisfying(Result.Failed.class,
                f -> assertThat(f.why()).isEqualTo("dep is unhealthy"));
        assertThat(check(Condition.HEALTHY, EXITED_0)).isInstanceOf(Result.Failed.class);
        assertThat(DependencyCheck.evaluate(new Dependency("dep", Condition.HEALTHY), Optional.of(RUNNING), false))
                .isInstanceOfSatisfying(Result.Failed.class, f -> assertThat(f.why()).contains("no health check"));
    }

    @Test
    void aMissingContainerCanNeverBeMet() {
        assertThat(DependencyCheck.evaluate(new Dependency("dep", Condition.START), Optional.empty(), false))
                .isInstanceOf(Result.Failed.class);
    }

    @Test
    void theFailureReasonNamesBothContainersAndTheCondition() {
        assertThat(DependencyCheck.failureReason("app", new Dependency("init", Condition.SUCCESS), "init exited with code 3"))
                .isEqualTo("CannotStartContainerError: dependency of container app on init (condition SUCCESS) cannot be met: "
                        + "init exited with code 3");
    }
}
