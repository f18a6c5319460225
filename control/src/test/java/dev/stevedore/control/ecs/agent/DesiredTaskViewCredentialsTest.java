package dev.stevedore.control.ecs.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.agent.AgentStates.InstanceRef;
import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.model.agent.DesiredTaskChanges;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskCredentials;
import dev.stevedore.model.agent.TaskCredentialsRefresh;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.store.InMemoryStateStore;
import dev.stevedore.store.KeyValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The role credentials a task's assignment carries: minted when the task first reaches the view,
 * kept through the task's changes, replaced by refreshes only when due, never for a task on its way out.
 */
class DesiredTaskViewCredentialsTest {
    static final Instant NOW = Instant.parse("2026-12-07T05:00:00Z");

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final List<String> issuedFor = new ArrayList<>();
    private final AtomicLong serial = new AtomicLong();
    private EcsHarness ecs;
    private InstanceRef ref;
    private DesiredTaskView view;
    private final AtomicLong feedAt = new AtomicLong();
    private ClusterFeed.Subscription progress;

    /** Numbered credentials that expire an hour after NOW; due for refresh in the last half hour. */
    private final TaskRoleCredentials roles = new TaskRoleCredentials() {
        @Override
        public List<TaskCredentials> issue(Task task, TaskDefinition definition) {
            issuedFor.add(task.taskArn());
            long n = serial.incrementAndGet();
            return List.of(new TaskCredentials("id-" + task.taskArn().hashCode(), TaskCredentials.Role.TASK,
                    "arn:aws:iam::123456789012:role/app", "ASIA" + n, "secret" + n, "token" + n,
                    NOW.plus(Duration.ofHours(1))));
        }

        @Override
        public boolean dueForRefresh(Instant expiration, Instant now) {
            return !now.isBefore(expiration.minus(Duration.ofMinutes(30)));
        }
    };

    @BeforeEach
    void setUp() {
        ecs = new EcsHarness(store);
        progress = ecs.api.clusterFeed().subscribeAll(events ->
                events.forEach(e -> feedAt.accumulateAndGet(e.revision(), Math::max)));
        ecs.call("CreateCluster", "{\"clusterName\": \"default\"}");
        ecs.call("RegisterTaskDefinition", """
                {"family": "web", "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 64}]}""");
        ref = InstanceRef.parse(ecs.registerInstance("default", 4096, 4096, "us-east-1a")).orElseThrow();
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

    private void awaitFeed() {
        long latest = store.range(EcsKeys.tasks(ref.scope(), "default")).stream().mapToLong(KeyValue::modRevision)
                .max().orElse(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> feedAt.get() >= latest);
    }

    private TaskAssignment connect() {
        awaitFeed();
        view = DesiredTaskView.open(ecs.api.clusterFeed(), ecs.api.agentStates(), ref, roles, () -> { });
        return view.complete().tasks().getFirst();
    }

    private String runTask() {
        return ecs.call("RunTask", "{\"taskDefinition\": \"web\"}").at("/tasks/0/taskArn").asText();
    }

    @Test
    void aTaskGetsItsCredentialsOnceAndKeepsThemThroughItsChanges() {
        String arn = runTask();
        TaskAssignment first = connect();
        assertThat(first.taskRoleCredentials()).map(TaskCredentials::accessKeyId).contains("ASIA1");

        ecs.call("SubmitTaskStateChange", "{\"task\": \"" + arn + "\", \"status\": \"RUNNING\"}");
        ecs.call("StopTask", "{\"task\": \"" + arn + "\"}");
        awaitFeed();
        Optional<DesiredTaskChanges> changes = view.takeChanges();

        assertThat(changes).isPresent();
        assertThat(changes.get().tasks().getFirst().taskRoleCredentials()).map(TaskCredentials::accessKeyId)
                .contains("ASIA1");
        assertThat(issuedFor).containsExactly(arn);
    }

    @Test
    void credentialsAreRefreshedWhenDueAndTheRefreshIsWhatALaterConnectionStartsFrom() {
        String arn = runTask();
        connect();

        assertThat(view.refreshCredentials(NOW.plus(Duration.ofMinutes(29)))).isEmpty();
        Optional<TaskCredentialsRefresh> refresh = view.refreshCredentials(NOW.plus(Duration.ofMinutes(31)));

        assertThat(refresh).isPresent();
        assertThat(refresh.get().containerInstanceArn()).isEqualTo(ref.arn());
        assertThat(refresh.get().tasks()).singleElement().satisfies(set -> {
            assertThat(set.taskArn()).isEqualTo(arn);
            assertThat(set.credentials()).extracting(TaskCredentials::accessKeyId).containsExactly("ASIA2");
        });
        assertThat(view.pushed(arn).orElseThrow().taskRoleCredentials()).map(TaskCredentials::accessKeyId)
                .contains("ASIA2");
        assertThat(view.complete().tasks().getFirst().taskRoleCredentials()).map(TaskCredentials::accessKeyId)
                .contains("ASIA2");
    }

    @Test
    void aTaskOnItsWayOutGetsNoNewCredentials() {
        String arn = runTask();
        ecs.call("StopTask", "{\"task\": \"" + arn + "\"}");

        assertThat(connect().credentials()).isEmpty();
        assertThat(view.refreshCredentials(NOW.plus(Duration.ofHours(2)))).isEmpty();
        assertThat(issuedFor).isEmpty();
    }
}
