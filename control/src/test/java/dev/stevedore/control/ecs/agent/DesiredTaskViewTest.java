package dev.stevedore.control.ecs.agent;

import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.ecs.agent.AgentStates.InstanceRef;
import dev.stevedore.model.agent.DesiredTaskChanges;
import dev.stevedore.model.agent.DesiredTasks;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.control.ecs.task.TaskIndex;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.Txn;
import dev.stevedore.store.Watch;
import dev.stevedore.store.WatchEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance's desired tasks followed from the store's watch, as the agent channel follows them:
 * what goes out after each change, and what does not.
 */
class DesiredTaskViewTest {
    private EcsHarness ecs;
    private String instance;
    private InstanceRef ref;
    private DesiredTaskView view;
    private final List<WatchEvent> delivered = new CopyOnWriteArrayList<>();
    private int taken;
    private Watch watch;

    @BeforeEach
    void setUp() {
        ecs = new EcsHarness();
        ecs.call("CreateCluster", "{\"clusterName\": \"default\"}");
        ecs.call("RegisterTaskDefinition", """
                {"family": "web", "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 64}]}""");
        instance = ecs.registerInstance("default", 4096, 4096, "us-east-1a");
        ref = InstanceRef.parse(instance).orElseThrow();
    }

    @AfterEach
    void tearDown() {
        if (watch != null) {
            watch.close();
        }
    }

    /** Loads the view and follows the cluster's tasks from where it was read, as a session does. */
    private DesiredTasks connect() {
        view = DesiredTaskView.load(ecs.api.agentStates(), ref);
        DesiredTasks complete = view.complete();
        watch = ecs.store.watch(AgentStates.tasksPrefix(ref), view.revision(), delivered::addAll);
        return complete;
    }

    /** Folds in every change to the cluster's tasks up to now and takes what the agent would be sent. */
    private Optional<DesiredTaskChanges> changes() {
        long latest = ecs.store.range(AgentStates.tasksPrefix(ref)).stream().mapToLong(KeyValue::modRevision).max()
                .orElse(0);
        return changesUpTo(latest);
    }

    private Optional<DesiredTaskChanges> changesUpTo(long revision) {
        await().until(() -> delivered.stream().anyMatch(e -> e.revision() >= revision) || revision <= view.revision());
        List<WatchEvent> batch = new ArrayList<>();
        for (WatchEvent e : delivered.subList(taken, delivered.size())) {
            if (view.mayConcern(e)) {
                batch.add(e);
            }
        }
        taken = delivered.size();
        view.apply(batch);
        return view.takeChanges();
    }

    private String runTask() {
        return ecs.call("RunTask", "{\"taskDefinition\": \"web\"}").at("/tasks/0/taskArn").asText();
    }

    @Test
    void aTaskCarriesOnlyWhatTheAgentActsOn() {
        String arn = runTask();
        Task full = new TaskIndex(ecs.store).tasks(ref.scope(), "default").getFirst();

        Task pushed = connect().tasks().getFirst().task();

        assertThat(pushed).isEqualTo(Task.builder().taskArn(arn).desiredStatus("RUNNING").lastStatus("PENDING")
                .overrides(full.overrides()).build());
        assertThat(full.containerInstanceArn()).isEqualTo(instance);
    }

    @Test
    void aNewTaskIsOneChangeThatFollowsOnFromTheCompleteState() {
        DesiredTasks complete = connect();
        assertThat(complete.tasks()).isEmpty();

        String arn = runTask();

        DesiredTaskChanges changes = changes().orElseThrow();
        assertThat(changes.baseRevision()).isEqualTo(complete.revision());
        assertThat(changes.revision()).isGreaterThan(complete.revision());
        assertThat(changes.tasks()).extracting(a -> a.task().taskArn()).containsExactly(arn);
        assertThat(changes.tasks().getFirst().taskDefinition().family()).isEqualTo("web");
        assertThat(changes.removedTaskArns()).isEmpty();
        assertThat(changes()).isEmpty();
    }

    @Test
    void theAgentsOwnReportsDoNotComeBackButAStopDoes() {
        String arn = runTask();
        connect();

        ecs.call("SubmitTaskStateChange", "{\"task\": \"" + arn + "\", \"status\": \"RUNNING\"}");
        assertThat(changes()).isEmpty();

        ecs.call("StopTask", "{\"task\": \"" + arn + "\", \"reason\": \"done\"}");
        DesiredTaskChanges stop = changes().orElseThrow();
        assertThat(stop.tasks()).singleElement().satisfies(a -> {
            assertThat(a.task().desiredStatus()).isEqualTo("STOPPED");
            assertThat(a.task().stoppedReason()).isEqualTo("done");
        });

        ecs.call("SubmitTaskStateChange", "{\"task\": \"" + arn + "\", \"status\": \"STOPPED\"}");
        assertThat(changes()).isEmpty();
        // Still listed, so the agent keeps the containers until the task is removed.
        assertThat(view.pushed(arn)).isPresent();
    }

    @Test
    void aRemovedTaskIsNamedOnceAndNoLongerCountsAsPushed() {
        String arn = runTask();
        long base = connect().revision();

        long deleted = ecs.store.commit(Txn.builder()
                .delete(AgentStates.tasksPrefix(ref) + arn.substring(arn.lastIndexOf('/') + 1)).build()).revision();

        DesiredTaskChanges changes = changesUpTo(deleted).orElseThrow();
        assertThat(changes.removedTaskArns()).containsExactly(arn);
        assertThat(changes.tasks()).isEmpty();
        assertThat(changes.revision()).isGreaterThan(base);
        assertThat(view.pushed(arn)).isEmpty();
        assertThat(view.complete().tasks()).isEmpty();
    }

    @Test
    void tasksOfOtherInstancesAreNotLookedAt() {
        connect();
        String other = ecs.registerInstance("default", 4096, 4096, "us-east-1b");
        ecs.call("StartTask", "{\"taskDefinition\": \"web\", \"containerInstances\": [\"" + other + "\"]}");
        await().until(() -> !delivered.isEmpty());

        assertThat(delivered).noneMatch(view::mayConcern);
        assertThat(changes()).isEmpty();
    }

    @Test
    void aChangeCountsAgainstWhatWasSentNotWhatWasSeen() {
        String arn = runTask();
        connect();
        ecs.call("StopTask", "{\"task\": \"" + arn + "\", \"reason\": \"first\"}");
        DesiredTaskChanges first = changes().orElseThrow();

        // A reconnect sends the complete state; nothing is left over for the changes after it.
        DesiredTasks again = view.complete();

        assertThat(again.tasks()).extracting(TaskAssignment::task).extracting(Task::desiredStatus)
                .containsExactly("STOPPED");
        assertThat(again.revision()).isEqualTo(first.revision());
        assertThat(view.takeChanges()).isEmpty();
    }
}
