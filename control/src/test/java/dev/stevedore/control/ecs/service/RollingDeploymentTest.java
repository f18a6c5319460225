package dev.stevedore.control.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.ecs.feed.FeedEvent;
import dev.stevedore.control.ecs.feed.TaskSummary;
import dev.stevedore.control.ecs.service.rollout.RolloutSettings;
import dev.stevedore.store.InMemoryStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rolling deployments observed change by change: every task change the store sees is checked
 * against the deployment configuration (never more than maximumPercent wanted, never fewer than
 * minimumHealthyPercent healthy once the service had them), and the circuit breaker trips and
 * rolls back when the new revision's tasks keep dying.
 */
class RollingDeploymentTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration HEALTHY_AFTER = Duration.ofMillis(300);

    private EcsHarness ecs;
    private FakeAgents agents;

    @BeforeEach
    void setUp() {
        ecs = new EcsHarness(new InMemoryStateStore(), new RolloutSettings(HEALTHY_AFTER, Duration.ofMillis(500)));
        ecs.call("CreateCluster", "{\"clusterName\": \"c\"}");
        for (String zone : List.of("us-east-1a", "us-east-1b")) {
            ecs.registerInstance("c", 8192, 16384, zone);
        }
        agents = new FakeAgents(ecs, "c");
    }

    @AfterEach
    void tearDown() {
        agents.close();
        ecs.api.close();
    }

    private void register(String family, String image) {
        ecs.call("RegisterTaskDefinition", """
                {"family": "%s", "containerDefinitions": [{"name": "app", "image": "%s", "memory": 64}]}
                """.formatted(family, image));
    }

    private JsonNode service(String name) {
        return ecs.call("DescribeServices", "{\"cluster\": \"c\", \"services\": [\"" + name + "\"]}").at("/services/0");
    }

    private boolean stableOn(String name, String taskDefinitionSuffix) {
        JsonNode s = service(name);
        return s.at("/deployments").size() == 1 && s.at("/runningCount").asInt() == s.at("/desiredCount").asInt()
                && s.at("/deployments/0/rolloutState").asText().equals("COMPLETED")
                && s.at("/taskDefinition").asText().endsWith(taskDefinitionSuffix);
    }

    /** Counts wanted and healthy tasks after every change, as the scheduler's rules define them. */
    private static final class Watcher {
        final Map<String, TaskSummary> tasks = new ConcurrentHashMap<>();
        final Queue<String> violations = new ConcurrentLinkedQueue<>();
        volatile int maxWanted;
        volatile boolean checkMinimum;
        final int minHealthy;
        final int maxTotal;

        Watcher(int minHealthy, int maxTotal) {
            this.minHealthy = minHealthy;
            this.maxTotal = maxTotal;
        }

        void onEvents(List<FeedEvent> events) {
            for (FeedEvent e : events) {
                if (e.deleted() || e.task().isEmpty() || e.task().get().serviceName().isEmpty()) {
                    continue;
                }
                tasks.merge(e.storeKey(), e.task().get(), (a, b) -> a.versionOrZero() > b.versionOrZero() ? a : b);
            }
            Instant now = Instant.now();
            int wanted = 0;
            int healthy = 0;
            for (TaskSummary t : tasks.values()) {
                if (t.wanted() && !t.isStopped()) {
                    wanted++;
                }
                // Conservative: healthy only if RUNNING, wanted and past the healthy delay with margin.
                if (t.wanted() && t.isRunning() && t.startedAt() != null
                        && !now.isBefore(t.startedAt().plus(HEALTHY_AFTER))) {
                    healthy++;
                }
            }
            maxWanted = Math.max(maxWanted, wanted);
            if (wanted > maxTotal) {
                violations.add(wanted + " tasks wanted, more than the maximum " + maxTotal);
            }
            int runningWanted = (int) tasks.values().stream().filter(t -> t.wanted() && t.isRunning()).count();
            if (checkMinimum && runningWanted < minHealthy) {
                violations.add("only " + runningWanted + " tasks running, fewer than the minimum " + minHealthy);
            }
        }
    }

    @Test
    void aRollingUpdateStaysWithinMinimumHealthyAndMaximumPercent() {
        register("web", "busybox:1");
        register("web", "busybox:2");
        ecs.call("CreateService", """
                {"cluster": "c", "serviceName": "api", "taskDefinition": "web:1", "desiredCount": 4,
                 "deploymentConfiguration": {"minimumHealthyPercent": 50, "maximumPercent": 150}}""");
        await().atMost(WAIT).until(() -> stableOn("api", ":1"));
        Watcher watcher = new Watcher(2, 6);
        try (var sub = ecs.api.clusterFeed().subscribeAll(watcher::onEvents)) {
            ecs.call("ListTasks", "{\"cluster\": \"c\", \"serviceName\": \"api\"}");
            // Seed the watcher with the tasks as they are.
            ecs.store.range("/ecs/" + EcsHarness.ACCOUNT + "/" + EcsHarness.REGION + "/tasks/c/").forEach(kv ->
                    watcher.tasks.put(kv.key(), dev.stevedore.control.state.Records.decode(kv.value(), TaskSummary.class)));
            watcher.checkMinimum = true;
            JsonNode updated = ecs.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"api\", \"taskDefinition\": \"web:2\"}")
                    .at("/service");
            assertThat(updated.at("/deployments")).hasSize(2);
            assertThat(updated.at("/deployments/0/status").asText()).isEqualTo("PRIMARY");
            assertThat(updated.at("/deployments/1/status").asText()).isEqualTo("ACTIVE");
            await().atMost(WAIT).until(() -> stableOn("api", ":2"));
        }
        assertThat(watcher.violations).isEmpty();
        assertThat(watcher.maxWanted).isGreaterThan(4);  // it did use the room above 100%
        List<String> images = new ArrayList<>();
        ecs.call("ListTasks", "{\"cluster\": \"c\", \"serviceName\": \"api\"}").at("/taskArns").forEach(arn ->
                images.add(ecs.call("DescribeTasks", "{\"cluster\": \"c\", \"tasks\": [\"" + arn.asText() + "\"]}")
                        .at("/tasks/0/taskDefinitionArn").asText()));
        assertThat(images).hasSize(4).allSatisfy(td -> assertThat(td).endsWith("web:2"));
    }

    @Test
    void aServiceIsNotSteadyWhileTasksItStoppedStillRun() {
        register("web", "busybox:1");
        register("web", "busybox:2");
        agents.stopAfter(Duration.ofMillis(1500));
        ecs.call("CreateService", "{\"cluster\": \"c\", \"serviceName\": \"api\", \"taskDefinition\": \"web:1\", "
                + "\"desiredCount\": 3}");
        await().atMost(WAIT).until(() -> stableOn("api", ":1"));
        // ECS counts a task as running until it has stopped, so the waiter services-stable (one
        // deployment, runningCount equal to desiredCount) cannot pass while old tasks still run.
        ecs.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"api\", \"taskDefinition\": \"web:2\"}");
        await().atMost(WAIT).until(() -> waiterWouldPass("api"));
        assertThat(tasksNotStopped("api")).as("tasks not yet STOPPED when the service looked stable")
                .hasSize(3).allSatisfy(td -> assertThat(td).endsWith("web:2"));
        // Scaled in: the two tasks told to stop still run (for 1.5 s), and still count.
        ecs.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"api\", \"desiredCount\": 1}");
        await().atMost(WAIT).until(() -> ecs.call("ListTasks", "{\"cluster\": \"c\", \"serviceName\": \"api\", "
                + "\"desiredStatus\": \"STOPPED\"}").at("/taskArns").size() == 2 + 3);
        sleepMillis(300);
        assertThat(tasksNotStopped("api")).hasSize(3);
        assertThat(service("api").at("/runningCount").asInt()).isEqualTo(3);
        assertThat(waiterWouldPass("api")).isFalse();
        await().atMost(WAIT).until(() -> waiterWouldPass("api"));
        assertThat(tasksNotStopped("api")).hasSize(1);
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** What {@code aws ecs wait services-stable} checks. */
    private boolean waiterWouldPass(String name) {
        JsonNode s = service(name);
        return s.at("/deployments").size() == 1 && s.at("/runningCount").asInt() == s.at("/desiredCount").asInt();
    }

    /** The task definitions of the service's tasks whose last status is not STOPPED. */
    private List<String> tasksNotStopped(String name) {
        List<String> out = new ArrayList<>();
        for (String desired : List.of("RUNNING", "STOPPED")) {
            ecs.call("ListTasks", "{\"cluster\": \"c\", \"serviceName\": \"" + name + "\", \"desiredStatus\": \""
                    + desired + "\"}").at("/taskArns").forEach(arn -> {
                        JsonNode t = ecs.call("DescribeTasks", "{\"cluster\": \"c\", \"tasks\": [\"" + arn.asText()
                                + "\"]}").at("/tasks/0");
                        if (!t.at("/lastStatus").asText().equals("STOPPED")) {
                            out.add(t.at("/taskDefinitionArn").asText());
                        }
                    });
        }
        return out;
    }

    @Test
    void maximumOfOneHundredPercentStopsBeforeItStarts() {
        register("web", "busybox:1");
        register("web", "busybox:2");
        ecs.call("CreateService", """
                {"cluster": "c", "serviceName": "api", "taskDefinition": "web:1", "desiredCount": 3,
                 "deploymentConfiguration": {"minimumHealthyPercent": 0, "maximumPercent": 100}}""");
        await().atMost(WAIT).until(() -> stableOn("api", ":1"));
        Watcher watcher = new Watcher(0, 3);
        try (var sub = ecs.api.clusterFeed().subscribeAll(watcher::onEvents)) {
            ecs.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"api\", \"taskDefinition\": \"web:2\"}");
            await().atMost(WAIT).until(() -> stableOn("api", ":2"));
        }
        assertThat(watcher.violations).isEmpty();
    }

    @Test
    void theCircuitBreakerRollsBackADeploymentWhoseTasksCrashAfterStarting() {
        register("web", "busybox:1");
        register("crashy", "busybox:crash");
        ecs.call("CreateService", """
                {"cluster": "c", "serviceName": "api", "taskDefinition": "web", "desiredCount": 2,
                 "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": true, "rollback": true}}}""");
        await().atMost(WAIT).until(() -> stableOn("api", "web:1"));
        String good = service("api").at("/deployments/0/id").asText();
        agents.behave("crashy", FakeAgents.Behaviour.CRASH_AFTER_START);
        ecs.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"api\", \"taskDefinition\": \"crashy\"}");
        String bad = service("api").at("/deployments/0/id").asText();
        await().atMost(WAIT).until(() -> stableOn("api", "web:1"));
        JsonNode s = service("api");
        assertThat(s.at("/deployments/0/id").asText()).isEqualTo(good);
        List<String> events = new ArrayList<>();
        s.at("/events").forEach(e -> events.add(e.at("/message").asText()));
        assertThat(events).contains(
                "(service api) (deployment " + bad + ") deployment failed: tasks failed to start.",
                "(service api) rolling back to deployment " + good + ".",
                "(service api) (deployment " + good + ") deployment completed.");
        assertThat(events.indexOf("(service api) rolling back to deployment " + good + "."))
                .isLessThan(events.indexOf("(service api) (deployment " + bad + ") deployment failed: tasks failed to start."));
    }

    @Test
    void theCircuitBreakerWithoutRollbackLeavesTheFailedDeploymentFailed() {
        register("web", "busybox:1");
        register("broken", "busybox:missing");
        ecs.call("CreateService", """
                {"cluster": "c", "serviceName": "api", "taskDefinition": "web", "desiredCount": 1,
                 "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": true, "rollback": false}}}""");
        await().atMost(WAIT).until(() -> stableOn("api", "web:1"));
        agents.behave("broken", FakeAgents.Behaviour.FAIL_TO_START);
        ecs.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"api\", \"taskDefinition\": \"broken\"}");
        await().atMost(WAIT).until(() -> service("api").at("/deployments/0/rolloutState").asText().equals("FAILED"));
        JsonNode s = service("api");
        assertThat(s.at("/deployments/0/rolloutStateReason").asText())
                .isEqualTo("ECS deployment circuit breaker: tasks failed to start.");
        assertThat(s.at("/deployments/0/failedTasks").asInt()).isGreaterThanOrEqualTo(3);
        // The old deployment keeps its task: a failed deployment launches nothing and replaces nothing.
        assertThat(s.at("/deployments/1/runningCount").asInt()).isEqualTo(1);
    }
}
