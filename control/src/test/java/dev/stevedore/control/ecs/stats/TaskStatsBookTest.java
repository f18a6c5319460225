package dev.stevedore.control.ecs.stats;

import dev.stevedore.control.MovableClock;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.agent.AgentStates.InstanceRef;
import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.control.ecs.feed.ClusterRef;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskStatsReport.TaskUsage;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.store.InMemoryStateStore;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.Txn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TaskStatsBookTest {
    private static final EcsScope SCOPE = new EcsScope("123456789012", "us-east-1");
    private static final String PREFIX = "/ecs/123456789012/us-east-1/";
    private static final InstanceRef I1 = InstanceRef.parse(
            "arn:aws:ecs:us-east-1:123456789012:container-instance/c/i1").orElseThrow();
    private static final InstanceRef I2 = InstanceRef.parse(
            "arn:aws:ecs:us-east-1:123456789012:container-instance/c/i2").orElseThrow();
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    private final StateStore store = new InMemoryStateStore();
    private final MovableClock clock = new MovableClock(T0);
    private final ClusterFeed feed = ClusterFeed.start(store);
    private final TaskStatsBook book = new TaskStatsBook(store, feed, clock);

    @AfterEach
    void close() {
        book.close();
        feed.close();
    }

    private static String arn(String id) {
        return "arn:aws:ecs:us-east-1:123456789012:task/c/" + id;
    }

    private void putTask(String id, InstanceRef instance, String group, String lastStatus) {
        String json = """
                {"taskArn": "%s", "containerInstanceArn": "%s", "group": "%s", "lastStatus": "%s",
                 "desiredStatus": "RUNNING", "version": 1}""".formatted(arn(id), instance.arn(), group, lastStatus);
        store.commit(Txn.builder().put(PREFIX + "tasks/c/" + id, json.getBytes(StandardCharsets.UTF_8)).build());
    }

    private static Optional<TaskAssignment> pushed(String id) {
        return Optional.of(TaskAssignment.of(Task.builder().taskArn(arn(id)).desiredStatus("RUNNING").build(),
                TaskDefinition.builder().family("f").build()));
    }

    private boolean report(InstanceRef from, String id, double cpu, long memory) {
        return book.record(from, pushed(id), new TaskUsage(arn(id), cpu, memory));
    }

    @Test
    void keepsOneSamplePerSpacingForTheLastHourAndTheNewestBesides() {
        putTask("a", I1, "service:web", "RUNNING");
        for (int i = 0; i < 400; i++) {
            assertThat(report(I1, "a", i, 1000 + i)).isTrue();
            clock.advance(Duration.ofSeconds(10));
        }
        report(I1, "a", 400, 1400);
        // 401 reports 10 s apart: the ring keeps every third, the last hour of them, then the newest.
        var history = book.history(arn("a"));
        assertThat(history).hasSize(StatsRing.CAPACITY + 1);
        assertThat(history.getLast()).isEqualTo(new TaskStatsSample(T0.plusSeconds(4000), 400, 1400));
        assertThat(history.getFirst().at()).isAfterOrEqualTo(clock.instant().minus(TaskStatsBook.WINDOW));
        assertThat(history).extracting(TaskStatsSample::at).isSorted();
        assertThat(book.latest(arn("a"))).contains(history.getLast());
    }

    @Test
    void sumsEachGroupsFreshSamples() {
        putTask("a", I1, "service:web", "RUNNING");
        putTask("b", I1, "service:web", "RUNNING");
        putTask("c", I2, "family:batch", "RUNNING");
        report(I1, "a", 0.5, 100);
        report(I1, "b", 0.25, 50);
        report(I2, "c", 1, 7);
        ClusterRef cluster = new ClusterRef(SCOPE, "c");

        assertThat(book.useByGroup()).isEqualTo(Map.of(
                new TaskStatsBook.GroupRef(cluster, "service:web"), new TaskStatsBook.GroupUse(2, 0.75, 150),
                new TaskStatsBook.GroupRef(cluster, "family:batch"), new TaskStatsBook.GroupUse(1, 1, 7)));

        clock.advance(TaskStatsBook.FRESH.plusSeconds(1));
        report(I2, "c", 2, 8);
        // a and b are silent now: counted nowhere, though their history stays for the hour.
        assertThat(book.useByGroup()).isEqualTo(Map.of(
                new TaskStatsBook.GroupRef(cluster, "family:batch"), new TaskStatsBook.GroupUse(1, 2, 8)));
        assertThat(book.history(arn("a"))).hasSize(1);

        clock.advance(TaskStatsBook.WINDOW.plusSeconds(1));
        assertThat(book.useByGroup()).isEmpty();
        assertThat(book.taskCount()).isZero();
    }

    @Test
    void refusesReportsOfTasksNotPushedToTheAgentNotOnItsInstanceOrStopped() {
        putTask("a", I1, "service:web", "RUNNING");
        putTask("s", I1, "service:web", "STOPPED");

        assertThat(book.record(I1, Optional.empty(), new TaskUsage(arn("a"), 1, 1))).isFalse();
        assertThat(book.record(I1, pushed("other"), new TaskUsage(arn("a"), 1, 1))).isFalse();
        assertThat(report(I2, "a", 1, 1)).isFalse();
        assertThat(report(I1, "s", 1, 1)).isFalse();
        assertThat(report(I1, "gone", 1, 1)).isFalse();
        assertThat(book.taskCount()).isZero();
        assertThat(book.history(arn("a"))).isEmpty();
    }

    @Test
    void aTaskThatStopsOrIsDeletedLosesItsStats() {
        putTask("a", I1, "service:web", "RUNNING");
        putTask("b", I1, "service:web", "RUNNING");
        report(I1, "a", 1, 1);
        report(I1, "b", 1, 1);

        putTask("a", I1, "service:web", "STOPPED");
        store.commit(Txn.builder().delete(PREFIX + "tasks/c/b").build());

        await().atMost(Duration.ofSeconds(5)).until(() -> book.taskCount() == 0);
        assertThat(book.history(arn("a"))).isEmpty();
        assertThat(report(I1, "a", 1, 1)).isFalse();
    }

    @Test
    void sumsAGroupsHistoryPointByPointFromEachTasksNewestFreshSample() {
        putTask("a", I1, "service:web", "RUNNING");
        putTask("b", I1, "service:web", "RUNNING");
        putTask("c", I2, "family:batch", "RUNNING");
        TaskStatsBook.GroupRef web = new TaskStatsBook.GroupRef(new ClusterRef(SCOPE, "c"), "service:web");
        // T0 is on a 30 s boundary: a reports at T0 + 1 s and T0 + 31 s, b only at T0 + 31 s.
        clock.advance(Duration.ofSeconds(1));
        report(I1, "a", 0.5, 100);
        report(I2, "c", 4, 4000);
        clock.advance(Duration.ofSeconds(30));
        report(I1, "a", 0.25, 200);
        report(I1, "b", 1, 10);
        clock.advance(Duration.ofSeconds(9));

        assertThat(book.groupHistory(web)).containsExactly(
                new TaskStatsSample(T0.plusSeconds(30), 0.5, 100),
                new TaskStatsSample(T0.plusSeconds(40), 1.25, 210));
        // The newest point is what the metrics export for the group.
        assertThat(book.useByGroup().get(web)).isEqualTo(new TaskStatsBook.GroupUse(2, 1.25, 210));

        clock.advance(TaskStatsBook.FRESH);
        // Silent for over a minute: the tasks count in no point from then on.
        assertThat(book.groupHistory(web)).extracting(TaskStatsSample::at)
                .containsExactly(T0.plusSeconds(30), T0.plusSeconds(60), T0.plusSeconds(90));
        assertThat(book.groupHistory(new TaskStatsBook.GroupRef(new ClusterRef(SCOPE, "c"), "service:none"))).isEmpty();
    }

    @Test
    void listenersHearOfEachKeptSampleWithItsGroup() {
        putTask("a", I1, "service:web", "RUNNING");
        java.util.List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TaskStats.Subscription s = book.subscribe((group, taskArn) -> heard.add(group.group() + " " + taskArn))) {
            report(I1, "a", 1, 1);
            book.record(I2, Optional.empty(), new TaskUsage(arn("a"), 1, 1));
        }
        report(I1, "a", 1, 1);

        assertThat(heard).containsExactly("service:web " + arn("a"));
    }
}
