package dev.stevedore.control.ecs.agent;

import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.agent.AgentStates.InstanceRef;
import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.control.ecs.feed.EcsKey;
import dev.stevedore.control.ecs.feed.FeedEvent;
import dev.stevedore.control.ecs.feed.TaskSummary;
import dev.stevedore.control.ecs.task.TaskIndex;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.agent.DesiredTaskChanges;
import dev.stevedore.model.agent.DesiredTasks;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.store.InMemoryStateStore;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.Txn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance's desired tasks followed from the cluster feed, as the agent channel follows them:
 * what is read on connect, what goes out after each change, and what does not.
 */
class DesiredTaskViewTest {
    private final ReadRecordingStore store = new ReadRecordingStore(new InMemoryStateStore());
    private EcsHarness ecs;
    private String instance;
    private InstanceRef ref;
    private DesiredTaskView view;
    private final AtomicInteger deliveries = new AtomicInteger();
    /** The newest revision the feed has dispatched; its instance listeners are called before this one. */
    private final AtomicLong feedAt = new AtomicLong();
    private ClusterFeed.Subscription progress;

    @BeforeEach
    void setUp() {
        ecs = new EcsHarness(store);
        progress = ecs.api.clusterFeed().subscribeAll(events ->
                events.forEach(e -> feedAt.accumulateAndGet(e.revision(), Math::max)));
        ecs.call("CreateCluster", "{\"clusterName\": \"default\"}");
        ecs.call("RegisterTaskDefinition", """
                {"family": "web", "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 64}]}""");
        instance = ecs.registerInstance("default", 4096, 4096, "us-east-1a");
        ref = InstanceRef.parse(instance).orElseThrow();
    }

    @AfterEach
    void tearDown() {
        if (view != null) {
            view.close();
        }
        progress.close();
        ecs.api.close();
        store.close();
    }

    /** Opens the view as a session does, once the feed has seen every task written so far. */
    private DesiredTasks connect() {
        awaitFeed(latestTaskChange());
        return open();
    }

    private DesiredTasks open() {
        view = DesiredTaskView.open(ecs.api.clusterFeed(), ecs.api.agentStates(), ref, deliveries::incrementAndGet);
        return view.complete();
    }

    /** The complete state a new connection would start from now. */
    private DesiredTasks freshState() {
        awaitFeed(latestTaskChange());
        try (DesiredTaskView fresh = DesiredTaskView.open(ecs.api.clusterFeed(), ecs.api.agentStates(), ref,
                () -> { })) {
            return fresh.complete();
        }
    }

    /** What the agent would be sent after every change to the cluster's tasks up to now. */
    private Optional<DesiredTaskChanges> changes() {
        return changesUpTo(latestTaskChange());
    }

    private Optional<DesiredTaskChanges> changesUpTo(long revision) {
        awaitFeed(revision);
        return view.takeChanges();
    }

    private void awaitFeed(long revision) {
        await().atMost(Duration.ofSeconds(5)).until(() -> feedAt.get() >= revision);
    }

    private long latestTaskChange() {
        return store.range(EcsKeys.tasks(ref.scope(), "default")).stream().mapToLong(KeyValue::modRevision).max()
                .orElse(0);
    }

    private String runTask() {
        return ecs.call("RunTask", "{\"taskDefinition\": \"web\"}").at("/tasks/0/taskArn").asText();
    }

    private String startTask(String on) {
        return ecs.call("StartTask", "{\"taskDefinition\": \"web\", \"containerInstances\": [\"" + on + "\"]}")
                .at("/tasks/0/taskArn").asText();
    }

    /** The agent's report that the task runs; returns the task's record after it. */
    private KeyValue reportRunning(String arn) {
        ecs.call("SubmitTaskStateChange", "{\"task\": \"" + arn + "\", \"status\": \"RUNNING\"}");
        return ecs.store.get(keyOf(arn)).orElseThrow();
    }

    /** Deletes the task's record, as the stopped-task reaper does; returns the revision of the delete. */
    private long remove(String arn) {
        return ecs.store.commit(Txn.builder().delete(keyOf(arn)).build()).revision();
    }

    private String keyOf(String taskArn) {
        return EcsKeys.task(ref.scope(), "default", taskArn.substring(taskArn.lastIndexOf('/') + 1));
    }

    @Test
    void aTaskCarriesOnlyWhatTheAgentActsOn() {
        String arn = runTask();
        Task full = new TaskIndex(ecs.store).tasks(ref.scope(), "default").getFirst();

        Task pushed = connect().tasks().getFirst().task();

        assertThat(pushed).isEqualTo(Task.builder().taskArn(arn).desiredStatus("RUNNING").lastStatus("PENDING")
                .overrides(full.overrides())
                .containers(List.of(dev.stevedore.model.ecs.Container.builder().name("app")
                        .containerArn(full.containers().getFirst().containerArn()).build()))
                .build());
        assertThat(full.containers().getFirst().containerArn()).contains(":container/");
        assertThat(full.containerInstanceArn()).isEqualTo(instance);
    }

    @Test
    void connectingReadsTheInstancesOwnTasksOneByOneAndNoOtherTask() {
        String other = ecs.registerInstance("default", 4096, 4096, "us-east-1b");
        List<String> mine = List.of(startTask(instance), startTask(instance));
        startTask(other);
        startTask(other);
        startTask(other);
        awaitFeed(latestTaskChange());

        store.recordThisThread();
        DesiredTasks complete = open();
        store.stopRecording();

        assertThat(store.ranges).isEmpty();
        assertThat(store.gets).filteredOn(key -> key.startsWith(EcsKeys.tasks(ref.scope(), "default")))
                .containsExactlyInAnyOrderElementsOf(mine.stream().map(this::keyOf).toList());
        assertThat(complete.tasks()).extracting(a -> a.task().taskArn()).containsExactlyInAnyOrderElementsOf(mine);
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
    void aTaskLeavingItsTargetGroupsIsToldToRunUntilItMovesOnToStopping() {
        String arn = runTask();
        reportRunning(arn);
        connect();

        // The service scheduler's stop of a registered task: desired STOPPED, DEACTIVATING while it drains.
        Task running = dev.stevedore.control.state.Records.decode(ecs.store.get(keyOf(arn)).orElseThrow().value(),
                Task.class);
        Task deactivating = running.toBuilder().desiredStatus("STOPPED").lastStatus("DEACTIVATING")
                .stopCode("ServiceSchedulerInitiated").stoppedReason("Scaling activity initiated by (deployment d)")
                .version(running.version() + 1).build();
        write(deactivating);
        assertThat(changes()).isEmpty();
        assertThat(view.pushed(arn).orElseThrow().task().desiredStatus()).isEqualTo("RUNNING");

        write(deactivating.toBuilder().lastStatus("STOPPING").version(deactivating.version() + 1).build());
        DesiredTaskChanges stop = changes().orElseThrow();
        assertThat(stop.tasks()).singleElement().satisfies(a -> {
            assertThat(a.task().desiredStatus()).isEqualTo("STOPPED");
            assertThat(a.task().stoppedReason()).isEqualTo("Scaling activity initiated by (deployment d)");
        });
    }

    private void write(Task task) {
        ecs.store.commit(Txn.builder().put(keyOf(task.taskArn()), dev.stevedore.control.state.Records.encode(task))
                .build());
    }

    @Test
    void aStoppedTaskStaysListedUntilItIsRemoved() {
        String arn = runTask();
        DesiredTasks desired = freshState();
        assertThat(desired.tasks()).extracting(a -> a.task().taskArn()).containsExactly(arn);
        assertThat(desired.tasks().getFirst().taskDefinition().family()).isEqualTo("web");

        ecs.call("StopTask", "{\"task\": \"" + arn + "\"}");
        assertThat(freshState().tasks().getFirst().task().desiredStatus()).isEqualTo("STOPPED");

        ecs.call("SubmitTaskStateChange", "{\"task\": \"" + arn + "\", \"status\": \"STOPPED\"}");
        // Still listed, as STOPPED, so the agent keeps its containers until the task is removed.
        assertThat(freshState().tasks().getFirst().task().lastStatus()).isEqualTo("STOPPED");
    }

    @Test
    void aRemovedTaskIsNamedOnceAndNoLongerCountsAsPushed() {
        String arn = runTask();
        long base = connect().revision();

        long deleted = remove(arn);

        DesiredTaskChanges changes = changesUpTo(deleted).orElseThrow();
        assertThat(changes.removedTaskArns()).containsExactly(arn);
        assertThat(changes.tasks()).isEmpty();
        assertThat(changes.revision()).isGreaterThan(base);
        assertThat(view.pushed(arn)).isEmpty();
        assertThat(view.complete().tasks()).isEmpty();
    }

    @Test
    void tasksOfOtherInstancesAreNotDelivered() {
        connect();
        String other = ecs.registerInstance("default", 4096, 4096, "us-east-1b");

        startTask(other);

        assertThat(changes()).isEmpty();
        assertThat(deliveries.get()).isZero();
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

    @Test
    void everyPushFollowsOnFromTheOneBeforeSoTheAgentCanFoldThemAll() {
        String kept = runTask();
        DesiredTasks folded = connect();
        List<Long> revisions = new ArrayList<>(List.of(folded.revision()));

        String stopped = runTask();
        String removed = runTask();
        folded = fold(folded, revisions);
        ecs.call("SubmitTaskStateChange", "{\"task\": \"" + kept + "\", \"status\": \"RUNNING\"}");
        ecs.call("StopTask", "{\"task\": \"" + stopped + "\", \"reason\": \"enough\"}");
        folded = fold(folded, revisions);
        long deleted = remove(removed);
        awaitFeed(deleted);
        folded = fold(folded, revisions);

        assertThat(revisions).doesNotHaveDuplicates().isSorted();
        assertThat(folded.tasks()).extracting(a -> a.task().taskArn() + " " + a.task().desiredStatus())
                .containsExactly(kept + " RUNNING", stopped + " STOPPED");
        assertThat(folded.tasks()).extracting(TaskAssignment::task).extracting(Task::taskArn)
                .containsExactlyElementsOf(freshState().tasks().stream().map(a -> a.task().taskArn()).toList());
    }

    /** Folds the next push into the agent's state as the agent does; a gap would throw. */
    private DesiredTasks fold(DesiredTasks state, List<Long> revisions) {
        Optional<DesiredTaskChanges> next = changes();
        next.ifPresent(c -> revisions.add(c.revision()));
        return next.map(state::apply).orElse(state);
    }

    // ---- a record read newer than the listing -----------------------------------------------------

    @Test
    void aChangeOlderThanTheRecordReadIsNotAppliedOverIt() {
        String arn = runTask();
        long listedAt = ecs.store.currentRevision();
        KeyValue running = reportRunning(arn);
        ecs.call("StopTask", "{\"task\": \"" + arn + "\", \"reason\": \"done\"}");
        KeyValue stopping = ecs.store.get(keyOf(arn)).orElseThrow();
        // Listed at one revision, read two changes later: both changes are still to be delivered.
        DesiredTaskView late = DesiredTaskView.load(ecs.api.agentStates(), ref, listedAt, List.of(keyOf(arn)));

        DesiredTasks complete = late.complete();
        assertThat(complete.revision()).isEqualTo(listedAt);
        assertThat(complete.tasks().getFirst().task().desiredStatus()).isEqualTo("STOPPED");

        late.apply(List.of(put(running)));
        // Applied, the older record would have gone out as "RUNNING again".
        assertThat(late.takeChanges()).isEmpty();
        assertThat(late.pushed(arn).orElseThrow().task().desiredStatus()).isEqualTo("STOPPED");

        // An agent that ignored the complete state (its revision was no newer than the one it had)
        // gets the task again at the revision of the record, and can fold it onto the complete state.
        late.apply(List.of(put(stopping)));
        DesiredTaskChanges again = late.takeChanges().orElseThrow();
        assertThat(again.baseRevision()).isEqualTo(listedAt);
        assertThat(again.revision()).isEqualTo(stopping.modRevision());
        assertThat(again.tasks()).extracting(a -> a.task().desiredStatus()).containsExactly("STOPPED");
        assertThat(complete.apply(again).tasks()).extracting(a -> a.task().desiredStatus()).containsExactly("STOPPED");
        assertThat(late.takeChanges()).isEmpty();
    }

    @Test
    void aTaskGoneBeforeItWasReadIsNamedGoneWhenItsDeleteArrives() {
        String arn = runTask();
        long listedAt = ecs.store.currentRevision();
        KeyValue running = reportRunning(arn);
        long deleted = remove(arn);
        DesiredTaskView late = DesiredTaskView.load(ecs.api.agentStates(), ref, listedAt, List.of(keyOf(arn)));

        DesiredTasks complete = late.complete();
        assertThat(complete.tasks()).isEmpty();

        late.apply(List.of(put(running)));
        assertThat(late.takeChanges()).isEmpty();

        late.apply(List.of(deletion(keyOf(arn), deleted)));
        DesiredTaskChanges gone = late.takeChanges().orElseThrow();
        assertThat(gone.removedTaskArns()).containsExactly(arn);
        assertThat(gone.baseRevision()).isEqualTo(listedAt);
        assertThat(gone.revision()).isEqualTo(deleted);
        assertThat(complete.apply(gone).tasks()).isEmpty();
    }

    @Test
    void aRecordReadNoNewerThanTheListingOwesNothing() {
        String arn = runTask();
        awaitFeed(latestTaskChange());
        long listedAt = ecs.store.currentRevision();
        DesiredTaskView onTime = DesiredTaskView.load(ecs.api.agentStates(), ref, listedAt, List.of(keyOf(arn)));
        onTime.complete();

        onTime.apply(List.of(put(reportRunning(arn))));

        assertThat(onTime.takeChanges()).isEmpty();
    }

    /** The feed's event for a task record put on this test's instance. */
    private FeedEvent put(KeyValue kv) {
        return new FeedEvent(EcsKey.parse(kv.key()).orElseThrow(), false, kv, kv.modRevision(),
                Optional.of(Records.decode(kv.value(), TaskSummary.class)), Optional.of(instance));
    }

    private FeedEvent deletion(String key, long revision) {
        return new FeedEvent(EcsKey.parse(key).orElseThrow(), true, new KeyValue(key, new byte[0], 0, revision, 0),
                revision, Optional.empty(), Optional.of(instance));
    }
}
