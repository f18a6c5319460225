package dev.stevedore.control.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ecs.agent.AgentStates;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** RunTask, StartTask, StopTask, agent reports and the resources they take and give back. */
class TasksTest {
    EcsHarness ecs;

    @BeforeEach
    void setUp() {
        ecs = new EcsHarness();
        ecs.call("CreateCluster", "{\"clusterName\": \"default\"}");
        ecs.call("RegisterTaskDefinition", """
                {"family": "web", "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 256, "cpu": 256,
                 "portMappings": [{"containerPort": 80, "hostPort": 8080}]}]}""");
    }

    static int remaining(JsonNode instance, String name) {
        for (JsonNode r : instance.get("remainingResources")) {
            if (r.get("name").asText().equals(name)) {
                return r.get("integerValue").asInt();
            }
        }
        throw new AssertionError(name);
    }

    static List<String> remainingPorts(JsonNode instance) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : instance.get("remainingResources")) {
            if (r.get("name").asText().equals("PORTS")) {
                r.get("stringSetValue").forEach(p -> out.add(p.asText()));
            }
        }
        return out;
    }

    JsonNode describeInstance(String arn) {
        return ecs.call("DescribeContainerInstances", "{\"containerInstances\": [\"" + arn + "\"]}")
                .at("/containerInstances/0");
    }

    @Test
    void runTaskWithoutInstancesIsRefused() {
        ecs.fails("RunTask", "{\"taskDefinition\": \"web\"}", "InvalidParameterException");
    }

    @Test
    void runTaskPlacesATaskAndTakesItsResources() {
        String instance = ecs.registerInstance("default", 1024, 1000, "us-east-1a");
        JsonNode r = ecs.call("RunTask", "{\"taskDefinition\": \"web\", \"startedBy\": \"me\"}");
        assertThat(r.get("failures")).isEmpty();
        JsonNode task = r.at("/tasks/0");
        assertThat(task.get("taskArn").asText()).matches("arn:aws:ecs:us-east-1:123456789012:task/default/[0-9a-f]{32}");
        assertThat(task.get("lastStatus").asText()).isEqualTo("PENDING");
        assertThat(task.get("desiredStatus").asText()).isEqualTo("RUNNING");
        assertThat(task.get("group").asText()).isEqualTo("family:web");
        assertThat(task.get("launchType").asText()).isEqualTo("EC2");
        assertThat(task.get("containerInstanceArn").asText()).isEqualTo(instance);
        assertThat(task.get("availabilityZone").asText()).isEqualTo("us-east-1a");
        assertThat(task.at("/containers/0/name").asText()).isEqualTo("app");
        assertThat(task.get("version").asLong()).isEqualTo(1);

        JsonNode after = describeInstance(instance);
        assertThat(remaining(after, "CPU")).isEqualTo(768);
        assertThat(remaining(after, "MEMORY")).isEqualTo(744);
        assertThat(remainingPorts(after)).contains("8080", "22");
        assertThat(after.get("pendingTasksCount").asInt()).isEqualTo(1);
    }

    @Test
    void aTaskTooBigForEveryInstanceIsAFailureWithTheClosestInstance() {
        String instance = ecs.registerInstance("default", 1024, 200, "us-east-1a");
        JsonNode r = ecs.call("RunTask", "{\"taskDefinition\": \"web\"}");
        assertThat(r.get("tasks")).isEmpty();
        assertThat(r.at("/failures/0/reason").asText()).isEqualTo("RESOURCE:MEMORY");
        assertThat(r.at("/failures/0/arn").asText()).isEqualTo(instance);
        assertThat(remaining(describeInstance(instance), "MEMORY")).isEqualTo(200);
    }

    @Test
    void aStaticHostPortIsNeverBookedTwiceOnOneInstance() {
        ecs.registerInstance("default", 4096, 4096, "us-east-1a");
        JsonNode r = ecs.call("RunTask", "{\"taskDefinition\": \"web\", \"count\": 2}");
        assertThat(r.get("tasks")).hasSize(1);
        assertThat(r.at("/failures/0/reason").asText()).isEqualTo("RESOURCE:PORTS");
    }

    @Test
    void aStopCommittedJustBeforeTheServerDiedGivesItsResourcesBackOnceItRestarts() {
        String instance = ecs.registerInstance("default", 1024, 1000, "us-east-1a");
        String task = ecs.call("RunTask", "{\"taskDefinition\": \"web\"}").at("/tasks/0/taskArn").asText();
        assertThat(remaining(describeInstance(instance), "CPU")).isEqualTo(768);
        // The server dies; then what an agent's STOPPED report had committed before it did: the task
        // record alone, the instance record it frees resources on not yet written.
        ecs.api.close();
        String key = EcsKeys.tasks(new EcsScope(EcsHarness.ACCOUNT, EcsHarness.REGION), "default")
                + task.substring(task.lastIndexOf('/') + 1);
        dev.stevedore.store.KeyValue kv = ecs.store.get(key).orElseThrow();
        dev.stevedore.model.ecs.Task stopped = dev.stevedore.control.state.Records.decode(kv.value(),
                dev.stevedore.model.ecs.Task.class).toBuilder().lastStatus("STOPPED").desiredStatus("STOPPED").build();
        ecs.store.commit(dev.stevedore.store.Txn.builder()
                .put(key, dev.stevedore.control.state.Records.encode(stopped)).build());

        EcsHarness restarted = new EcsHarness(ecs.store);
        ecs = restarted;
        // Nothing else happens in the cluster: the restarted server corrects the record by itself.
        await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode freed = describeInstance(instance);
            assertThat(remaining(freed, "CPU")).isEqualTo(1024);
            assertThat(remaining(freed, "MEMORY")).isEqualTo(1000);
            assertThat(freed.get("pendingTasksCount").asInt()).isZero();
        });
    }

    @Test
    void agentReportsMoveTheTaskForwardAndStoppedGivesResourcesBack() {
        String instance = ecs.registerInstance("default", 1024, 1000, "us-east-1a");
        String task = ecs.call("RunTask", "{\"taskDefinition\": \"web\"}").at("/tasks/0/taskArn").asText();
        ecs.call("SubmitTaskStateChange", """
                {"task": "%s", "status": "RUNNING", "containers": [{"containerName": "app", "status": "RUNNING",
                 "runtimeId": "abc", "networkBindings": [{"bindIP": "0.0.0.0", "containerPort": 80, "hostPort": 8080, "protocol": "tcp"}]}]}
                """.formatted(task));
        JsonNode running = ecs.call("DescribeTasks", "{\"tasks\": [\"" + task + "\"]}").at("/tasks/0");
        assertThat(running.get("lastStatus").asText()).isEqualTo("RUNNING");
        assertThat(running.get("startedAt")).isNotNull();
        assertThat(running.at("/containers/0/networkBindings/0/hostPort").asInt()).isEqualTo(8080);
        // The plan applier follows agent reports; instance counters catch up shortly after.
        await().untilAsserted(() -> assertThat(describeInstance(instance).get("runningTasksCount").asInt()).isEqualTo(1));

        // A late PENDING report never moves the task backwards.
        ecs.call("SubmitTaskStateChange", "{\"task\": \"" + task + "\", \"status\": \"PENDING\"}");
        assertThat(ecs.call("DescribeTasks", "{\"tasks\": [\"" + task + "\"]}").at("/tasks/0/lastStatus").asText())
                .isEqualTo("RUNNING");

        ecs.call("StopTask", "{\"task\": \"" + task + "\", \"reason\": \"done here\"}");
        ecs.call("SubmitTaskStateChange", """
                {"task": "%s", "status": "STOPPED", "containers": [{"containerName": "app", "status": "STOPPED", "exitCode": 143}]}
                """.formatted(task));
        JsonNode stopped = ecs.call("DescribeTasks", "{\"tasks\": [\"" + task + "\"]}").at("/tasks/0");
        assertThat(stopped.get("lastStatus").asText()).isEqualTo("STOPPED");
        assertThat(stopped.get("stopCode").asText()).isEqualTo("UserInitiated");
        assertThat(stopped.get("stoppedReason").asText()).isEqualTo("done here");
        assertThat(stopped.at("/containers/0/exitCode").asInt()).isEqualTo(143);
        await().untilAsserted(() -> {
            JsonNode freed = describeInstance(instance);
            assertThat(remaining(freed, "CPU")).isEqualTo(1024);
            assertThat(remaining(freed, "MEMORY")).isEqualTo(1000);
            assertThat(remainingPorts(freed)).doesNotContain("8080");
            assertThat(freed.get("runningTasksCount").asInt()).isZero();
        });

        // Reporting STOPPED twice gives nothing back twice; a new task can use the port again.
        ecs.call("SubmitTaskStateChange", "{\"task\": \"" + task + "\", \"status\": \"STOPPED\"}");
        assertThat(ecs.call("RunTask", "{\"taskDefinition\": \"web\"}").get("tasks")).hasSize(1);
        assertThat(remaining(describeInstance(instance), "CPU")).isEqualTo(768);
    }

    @Test
    void anEssentialExitIsReportedWithItsStopCode() {
        ecs.registerInstance("default", 1024, 1000, "us-east-1a");
        String task = ecs.call("RunTask", "{\"taskDefinition\": \"web\"}").at("/tasks/0/taskArn").asText();
        ecs.call("SubmitTaskStateChange", "{\"task\": \"" + task + "\", \"status\": \"RUNNING\"}");
        ecs.call("SubmitTaskStateChange", "{\"task\": \"" + task + "\", \"status\": \"STOPPED\", "
                + "\"reason\": \"Essential container in task exited\"}");
        JsonNode stopped = ecs.call("DescribeTasks", "{\"tasks\": [\"" + task + "\"]}").at("/tasks/0");
        assertThat(stopped.get("stopCode").asText()).isEqualTo("EssentialContainerExited");
        assertThat(stopped.get("desiredStatus").asText()).isEqualTo("STOPPED");
    }

    @Test
    void aTaskThatNeverRanStopsWithTaskFailedToStart() {
        ecs.registerInstance("default", 1024, 1000, "us-east-1a");
        String task = ecs.call("RunTask", "{\"taskDefinition\": \"web\"}").at("/tasks/0/taskArn").asText();
        ecs.call("SubmitTaskStateChange", "{\"task\": \"" + task + "\", \"status\": \"STOPPED\", "
                + "\"reason\": \"CannotPullContainerError: manifest unknown\"}");
        JsonNode stopped = ecs.call("DescribeTasks", "{\"tasks\": [\"" + task + "\"]}").at("/tasks/0");
        assertThat(stopped.get("stopCode").asText()).isEqualTo("TaskFailedToStart");
        assertThat(stopped.get("stoppedReason").asText()).startsWith("CannotPullContainerError");
    }

    @Test
    void startTaskUsesTheNamedInstancesAndReportsMissingOnes() {
        String instance = ecs.registerInstance("default", 1024, 1000, "us-east-1a");
        JsonNode r = ecs.call("StartTask", "{\"taskDefinition\": \"web\", \"containerInstances\": [\"" + instance
                + "\", \"0123456789abcdef0123456789abcdef\"]}");
        assertThat(r.get("tasks")).hasSize(1);
        assertThat(r.at("/tasks/0/containerInstanceArn").asText()).isEqualTo(instance);
        assertThat(r.at("/failures/0/reason").asText()).isEqualTo("MISSING");
    }

    @Test
    void clientTokenMakesRunTaskIdempotent() {
        ecs.registerInstance("default", 4096, 4096, "us-east-1a");
        ecs.call("RegisterTaskDefinition", "{\"family\": \"plain\", \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"x\", \"memory\": 16}]}");
        String first = ecs.call("RunTask", "{\"taskDefinition\": \"plain\", \"clientToken\": \"tok-1\"}").at("/tasks/0/taskArn").asText();
        String again = ecs.call("RunTask", "{\"taskDefinition\": \"plain\", \"clientToken\": \"tok-1\"}").at("/tasks/0/taskArn").asText();
        assertThat(again).isEqualTo(first);
        ecs.fails("RunTask", "{\"taskDefinition\": \"plain\", \"count\": 2, \"clientToken\": \"tok-1\"}", "ConflictException");
        assertThat(ecs.call("ListTasks", "{\"family\": \"plain\"}").get("taskArns")).hasSize(1);
    }

    @Test
    void concurrentRunTasksWithOneClientTokenRunTheTasksOnce() throws Exception {
        ecs.registerInstance("default", 4096, 4096, "us-east-1a");
        ecs.call("RegisterTaskDefinition", "{\"family\": \"plain\", \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"x\", \"memory\": 16}]}");
        for (int round = 0; round < 5; round++) {
            String token = "same-" + round;
            java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
            java.util.Set<String> answers = java.util.concurrent.ConcurrentHashMap.newKeySet();
            // Each call's failure travels back in its future and fails the test on this thread.
            List<java.util.concurrent.Future<?>> calls = new ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
                for (int i = 0; i < 8; i++) {
                    calls.add(pool.submit(() -> {
                        gate.await();
                        JsonNode r = ecs.call("RunTask", "{\"taskDefinition\": \"plain\", \"count\": 2, \"clientToken\": \"" + token + "\"}");
                        List<String> arns = new ArrayList<>();
                        r.get("tasks").forEach(t -> arns.add(t.get("taskArn").asText()));
                        answers.add(String.join(",", arns));
                        return null;
                    }));
                }
                gate.countDown();
            }
            for (java.util.concurrent.Future<?> call : calls) {
                call.get();
            }
            assertThat(answers).as("every call answers with the same tasks").hasSize(1);
        }
        assertThat(ecs.call("ListTasks", "{\"family\": \"plain\"}").get("taskArns")).hasSize(10);
    }

    @Test
    void listTasksFiltersAndDescribeReportsMissing() {
        String instance = ecs.registerInstance("default", 4096, 4096, "us-east-1a");
        ecs.call("RegisterTaskDefinition", "{\"family\": \"plain\", \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"x\", \"memory\": 16}]}");
        ecs.call("RunTask", "{\"taskDefinition\": \"plain\", \"count\": 3, \"startedBy\": \"batch\"}");
        String web = ecs.call("RunTask", "{\"taskDefinition\": \"web\"}").at("/tasks/0/taskArn").asText();
        assertThat(ecs.call("ListTasks", "{}").get("taskArns")).hasSize(4);
        assertThat(ecs.call("ListTasks", "{\"family\": \"web\"}").get("taskArns")).hasSize(1);
        assertThat(ecs.call("ListTasks", "{\"startedBy\": \"batch\"}").get("taskArns")).hasSize(3);
        assertThat(ecs.call("ListTasks", "{\"containerInstance\": \"" + instance + "\"}").get("taskArns")).hasSize(4);
        assertThat(ecs.call("ListTasks", "{\"desiredStatus\": \"STOPPED\"}").get("taskArns")).isEmpty();
        JsonNode page = ecs.call("ListTasks", "{\"maxResults\": 3}");
        assertThat(page.get("taskArns")).hasSize(3);
        assertThat(ecs.call("ListTasks", "{\"maxResults\": 3, \"nextToken\": \"" + page.get("nextToken").asText() + "\"}")
                .get("taskArns")).hasSize(1);
        ecs.fails("ListTasks", "{\"startedBy\": \"batch\", \"family\": \"plain\"}", "InvalidParameterException");
        JsonNode d = ecs.call("DescribeTasks", "{\"tasks\": [\"" + web + "\", \"ffffffffffffffffffffffffffffffff\"]}");
        assertThat(d.get("tasks")).hasSize(1);
        assertThat(d.at("/failures/0/reason").asText()).isEqualTo("MISSING");
    }

    @Test
    void listTasksPagesThroughMoreTasksThanOneStoreScanWithSparseMatches() {
        ecs.registerInstance("default", 1_000_000, 1_000_000, "us-east-1a");
        ecs.call("RegisterTaskDefinition", "{\"family\": \"plain\", \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"x\", \"memory\": 16}]}");
        java.util.Set<String> rare = new java.util.HashSet<>();
        for (int i = 0; i < 70; i++) {
            String by = i % 7 == 3 ? "rare" : "common";
            ecs.call("RunTask", "{\"taskDefinition\": \"plain\", \"count\": 10, \"startedBy\": \"" + by + "\"}")
                    .get("tasks").forEach(t -> {
                        if (by.equals("rare")) {
                            rare.add(t.get("taskArn").asText());
                        }
                    });
        }
        // 700 tasks, 100 of them "rare" and scattered among the others: pages of 30 must find each once.
        List<String> listed = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = ecs.call("ListTasks", "{\"startedBy\": \"rare\", \"maxResults\": 30"
                    + (token == null ? "" : ", \"nextToken\": \"" + token + "\"") + "}");
            page.get("taskArns").forEach(a -> listed.add(a.asText()));
            token = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
            pages++;
        } while (token != null);
        assertThat(listed).hasSize(100).doesNotHaveDuplicates();
        assertThat(new java.util.HashSet<>(listed)).isEqualTo(rare);
        assertThat(pages).isEqualTo(4);
        JsonNode all = ecs.call("ListTasks", "{\"maxResults\": 100}");
        assertThat(all.get("taskArns")).hasSize(100);
        assertThat(all.hasNonNull("nextToken")).isTrue();
        ecs.fails("ListTasks", "{\"startedBy\": \"common\", \"nextToken\": \"" + all.get("nextToken").asText() + "\"}",
                "InvalidParameterException");
    }

    @Test
    void runTaskFindsTheInstanceItsCallerJustSawConnect() {
        // The plan applier sees the store through the feed, a step behind; a RunTask must not be
        // placed against a view older than what its caller read. Each task takes host port 8080,
        // so each round's task fits only on the instance that round connected.
        for (int round = 0; round < 40; round++) {
            String instance = ecs.registerInstance("default", 1024, 1024, "us-east-1a");
            AgentStates.InstanceRef ref = AgentStates.InstanceRef.parse(instance).orElseThrow();
            ecs.api.agentStates().setConnected(ref, false);
            ecs.api.agentStates().setConnected(ref, true);
            JsonNode r = ecs.call("RunTask", "{\"taskDefinition\": \"web\"}");
            assertThat(r.get("failures")).as("round %d", round).isEmpty();
            assertThat(r.at("/tasks/0/containerInstanceArn").asText()).isEqualTo(instance);
        }
    }

    @Test
    void disconnectedAgentsGetNoPlacements() {
        String instance = ecs.registerInstance("default", 4096, 4096, "us-east-1a");
        ecs.api.agentStates().setConnected(AgentStates.InstanceRef.parse(instance).orElseThrow(), false);
        JsonNode r = ecs.call("RunTask", "{\"taskDefinition\": \"web\"}");
        assertThat(r.get("tasks")).isEmpty();
        assertThat(r.at("/failures/0/reason").asText()).isEqualTo("AGENT");
    }
}
