package dev.stevedore.control.ecs.service.rollout;

import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.TaskSet;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.stevedore.control.ecs.service.rollout.TaskSetPlanTest.BLUE;
import static dev.stevedore.control.ecs.service.rollout.TaskSetPlanTest.GREEN;
import static dev.stevedore.control.ecs.service.rollout.TaskSetPlanTest.NOW;
import static dev.stevedore.control.ecs.service.rollout.TaskSetPlanTest.running;
import static dev.stevedore.control.ecs.service.rollout.TaskSetPlanTest.service;
import static dev.stevedore.control.ecs.service.rollout.TaskSetPlanTest.set;
import static dev.stevedore.control.ecs.service.rollout.TaskSetPlanTest.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the tasks say about a service's task sets: counts, stability, drained sets leaving, and the
 * service's totals and steady state.
 */
class TaskSetProgressTest {

    private static TaskSet setOf(Service service, String id) {
        return service.taskSets().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aSetAtItsCountIsSteadyAndTheServiceSaysSoWhenAllAre() {
        Service service = service(2, set(BLUE, "PRIMARY", 100), set(GREEN, "ACTIVE", 0));
        Progress.Result r = TaskSetProgress.apply(service, List.of(running(BLUE, Duration.ofMinutes(1)),
                running(BLUE, Duration.ofMinutes(1))), NOW);
        TaskSet blue = setOf(r.service(), BLUE);
        assertThat(blue.computedDesiredCount()).isEqualTo(2);
        assertThat(blue.runningCount()).isEqualTo(2);
        assertThat(blue.pendingCount()).isZero();
        assertThat(blue.stabilityStatus()).isEqualTo("STEADY_STATE");
        assertThat(blue.stabilityStatusAt()).isEqualTo(NOW);
        assertThat(blue.updatedAt()).isEqualTo(NOW);
        assertThat(setOf(r.service(), GREEN).stabilityStatus()).isEqualTo("STEADY_STATE");
        assertThat(r.service().runningCount()).isEqualTo(2);
        assertThat(r.service().pendingCount()).isZero();
        assertThat(r.events()).containsExactly("(service web) has reached a steady state.");

        // Nothing changed since: the set is left exactly as it was.
        Progress.Result again = TaskSetProgress.apply(r.service(), List.of(running(BLUE, Duration.ofMinutes(1)),
                running(BLUE, Duration.ofMinutes(1))), NOW.plusSeconds(30));
        assertThat(setOf(again.service(), BLUE)).isEqualTo(blue);
    }

    @Test
    void aSetShortOfItsCountOrWithPendingUnhealthyOrDrainingTasksIsStabilizing() {
        Service service = service(2, set(BLUE, "PRIMARY", 100));
        List<List<ServiceTask>> unsettled = List.of(
                List.of(running(BLUE, Duration.ofMinutes(1))),
                List.of(running(BLUE, Duration.ofMinutes(1)), task(BLUE, "PENDING", "RUNNING", null, null, false, false)),
                List.of(running(BLUE, Duration.ofMinutes(1)),
                        task(BLUE, "RUNNING", "RUNNING", NOW.minusSeconds(60), "UNKNOWN", false, false)),
                List.of(running(BLUE, Duration.ofMinutes(1)),
                        task(BLUE, "RUNNING", "RUNNING", NOW.minusSeconds(60), null, true, false)));
        for (List<ServiceTask> tasks : unsettled) {
            Progress.Result r = TaskSetProgress.apply(service, tasks, NOW);
            assertThat(setOf(r.service(), BLUE).stabilityStatus()).as("%s", tasks).isEqualTo("STABILIZING");
            assertThat(r.events()).isEmpty();
        }
        Progress.Result pending = TaskSetProgress.apply(service, unsettled.get(1), NOW);
        assertThat(setOf(pending.service(), BLUE).pendingCount()).isEqualTo(1);
        assertThat(pending.service().pendingCount()).isEqualTo(1);
        // Unchanged stability keeps the time it was reached.
        assertThat(setOf(pending.service(), BLUE).stabilityStatusAt()).isEqualTo(NOW.minusSeconds(600));
    }

    @Test
    void aDrainingSetLeavesWithItsLastTaskAndTheServiceNamesWhatLeft() {
        Service service = service(2, set(BLUE, "DRAINING", 100), set(GREEN, "PRIMARY", 100));
        ServiceTask stopping = task(BLUE, "RUNNING", "STOPPED", NOW.minusSeconds(60), null, false, false);
        Progress.Result draining = TaskSetProgress.apply(service, List.of(stopping), NOW);
        assertThat(setOf(draining.service(), BLUE).computedDesiredCount()).isZero();
        assertThat(TaskSetProgress.removed(service, draining.service())).isEmpty();

        ServiceTask stopped = task(BLUE, "STOPPED", "STOPPED", NOW.minusSeconds(60), null, false, false);
        Progress.Result gone = TaskSetProgress.apply(draining.service(), List.of(stopped), NOW);
        assertThat(gone.service().taskSets()).extracting(TaskSet::id).containsExactly(GREEN);
        assertThat(TaskSetProgress.removed(service, gone.service()))
                .containsExactly("arn:aws:ecs:us-east-1:123456789012:task-set/c/web/" + BLUE);
    }

    @Test
    void aServiceBeingDeletedDrainsItsSetsAndEndsInactive() {
        Service deleting = service(2, set(BLUE, "PRIMARY", 100)).toBuilder().status("DRAINING").build();
        Progress.Result r = TaskSetProgress.apply(deleting, List.of(running(BLUE, Duration.ofMinutes(1))), NOW);
        assertThat(setOf(r.service(), BLUE).status()).isEqualTo("DRAINING");
        assertThat(r.service().status()).isEqualTo("DRAINING");
        assertThat(r.events()).isEmpty();

        Progress.Result done = TaskSetProgress.apply(r.service(),
                List.of(task(BLUE, "STOPPED", "STOPPED", NOW.minusSeconds(60), null, false, false)), NOW);
        assertThat(done.service().taskSets()).isEmpty();
        assertThat(done.service().status()).isEqualTo("INACTIVE");
    }
}
