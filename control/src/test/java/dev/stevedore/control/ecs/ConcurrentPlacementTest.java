package dev.stevedore.control.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.AwsException;
import dev.stevedore.store.SqliteStateStore;
import dev.stevedore.store.StateStore;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Random concurrent workloads of RunTask, StopTask, agent reports and attribute writes against a few
 * small instances; afterwards every instance's remaining resources must equal what it registered
 * minus what its unstopped tasks reserve, never below zero, no host port may be held by two tasks,
 * and every attribute written must still be there. Runs on the in-memory store and on SQLite, whose
 * group commit keeps several of the plan applier's batches in flight at once.
 */
class ConcurrentPlacementTest {
    private static final String[] SIZES = {
            "{\"family\": \"small\", \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"x\", \"memory\": 64, \"cpu\": 128}]}",
            "{\"family\": \"large\", \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"x\", \"memory\": 300, \"cpu\": 512}]}",
            "{\"family\": \"port\", \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"x\", \"memory\": 32, "
                    + "\"portMappings\": [{\"containerPort\": 80, \"hostPort\": 8080}]}]}",
            "{\"family\": \"twoports\", \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"x\", \"memory\": 32, "
                    + "\"portMappings\": [{\"containerPort\": 80, \"hostPort\": 9090}, {\"containerPort\": 53, \"hostPort\": 5353, \"protocol\": \"udp\"}]}]}"};
    private static final Map<String, int[]> RESERVES = Map.of(
            "small", new int[] {128, 64}, "large", new int[] {512, 300}, "port", new int[] {0, 32},
            "twoports", new int[] {0, 32});

    @RepeatedTest(5)
    void parallelPlacementsNeverOverCommit() throws Exception {
        runWorkload(new EcsHarness());
    }

    @RepeatedTest(3)
    void parallelPlacementsNeverOverCommitWithBatchesInFlight(@TempDir Path dir) throws Exception {
        try (StateStore store = SqliteStateStore.open(dir.resolve("state.db"))) {
            EcsHarness ecs = new EcsHarness(store);
            runWorkload(ecs);
            ecs.api.close();
        }
    }

    private static void runWorkload(EcsHarness ecs) throws Exception {
        ecs.call("CreateCluster", "{}");
        for (String td : SIZES) {
            ecs.call("RegisterTaskDefinition", td);
        }
        List<String> instances = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            instances.add(ecs.registerInstance("default", 2048, 1500, "us-east-1" + (char) ('a' + i % 3)));
        }
        ConcurrentLinkedQueue<String> placed = new ConcurrentLinkedQueue<>();
        AtomicInteger placements = new AtomicInteger();
        long seed = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Map<String, String> lastAttribute = new java.util.concurrent.ConcurrentHashMap<>();
        // Each worker's failure travels back in its future and fails the test on this thread.
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            Random random = new Random(seed + w);
            String worker = "w" + w;
            workers.add(pool.submit(() -> {
                for (int i = 0; i < 40; i++) {
                    int action = random.nextInt(11);
                    try {
                        if (action == 10) {
                            // Someone else writing an instance: the applier's compare-and-set must notice.
                            String instance = instances.get(random.nextInt(instances.size()));
                            ecs.call("PutAttributes", "{\"attributes\": [{\"name\": \"" + worker + "\", \"value\": \"v"
                                    + i + "\", \"targetId\": \"" + instance + "\"}]}");
                            lastAttribute.put(instance + " " + worker, "v" + i);
                        } else if (action < 6) {
                            String family = new String[] {"small", "large", "port", "twoports"}[random.nextInt(4)];
                            JsonNode r = ecs.call("RunTask", "{\"taskDefinition\": \"" + family + "\", \"count\": "
                                    + (1 + random.nextInt(3)) + "}");
                            r.get("tasks").forEach(t -> placed.add(t.get("taskArn").asText()));
                            placements.addAndGet(r.get("tasks").size());
                        } else if (!placed.isEmpty()) {
                            String task = placed.poll();
                            if (task == null) {
                                continue;
                            }
                            if (action < 8) {
                                ecs.call("SubmitTaskStateChange", "{\"task\": \"" + task + "\", \"status\": \"RUNNING\"}");
                                placed.add(task);
                            } else {
                                ecs.call("StopTask", "{\"task\": \"" + task + "\"}");
                                ecs.call("SubmitTaskStateChange", "{\"task\": \"" + task + "\", \"status\": \"STOPPED\"}");
                            }
                        }
                    } catch (AwsException e) {
                        throw new AssertionError("seed " + seed + ": " + e.code() + " " + e.getMessage(), e);
                    }
                }
                return null;
            }));
        }
        pool.shutdown();
        for (Future<?> w : workers) {
            w.get(60, TimeUnit.SECONDS);
        }
        assertThat(placements.get()).as("seed %d placed something", seed).isPositive();
        // Stops reach the instances through the plan applier's watch; wait for it to catch up.
        await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> checkInvariants(ecs, instances, seed));
        lastAttribute.forEach((instanceAndName, value) -> {
            String[] parts = instanceAndName.split(" ");
            JsonNode instance = ecs.call("DescribeContainerInstances", "{\"containerInstances\": [\"" + parts[0] + "\"]}")
                    .at("/containerInstances/0");
            assertThat(instance.get("attributes").toString()).as("seed %d: attribute %s of %s", seed, parts[1], parts[0])
                    .contains("{\"name\":\"" + parts[1] + "\",\"value\":\"" + value + "\"");
        });
    }

    private static void checkInvariants(EcsHarness ecs, List<String> instances, long seed) {
        Map<String, int[]> reserved = new HashMap<>();
        Map<String, Set<String>> ports = new HashMap<>();
        Map<String, Integer> running = new HashMap<>();
        for (JsonNode arn : ecs.call("ListTasks", "{}").get("taskArns")) {
            JsonNode task = ecs.call("DescribeTasks", "{\"tasks\": [\"" + arn.asText() + "\"]}").at("/tasks/0");
            if (task.get("lastStatus").asText().equals("STOPPED")) {
                continue;
            }
            String instance = task.get("containerInstanceArn").asText();
            String family = task.get("taskDefinitionArn").asText().replaceAll(".*/([a-z]+):\\d+", "$1");
            int[] r = RESERVES.get(family);
            reserved.merge(instance, r.clone(), (a, b) -> new int[] {a[0] + b[0], a[1] + b[1]});
            Set<String> used = ports.computeIfAbsent(instance, k -> new HashSet<>());
            if (family.equals("port")) {
                assertThat(used.add("tcp:8080")).as("seed %d: 8080 twice on %s", seed, instance).isTrue();
            } else if (family.equals("twoports")) {
                assertThat(used.add("tcp:9090")).as("seed %d: 9090 twice on %s", seed, instance).isTrue();
                assertThat(used.add("udp:5353")).as("seed %d: 5353 twice on %s", seed, instance).isTrue();
            }
            if (task.get("lastStatus").asText().equals("RUNNING")) {
                running.merge(instance, 1, Integer::sum);
            }
        }
        for (String arn : instances) {
            JsonNode instance = ecs.call("DescribeContainerInstances", "{\"containerInstances\": [\"" + arn + "\"]}")
                    .at("/containerInstances/0");
            int[] r = reserved.getOrDefault(arn, new int[2]);
            assertThat(TasksTest.remaining(instance, "CPU")).as("seed %d cpu of %s", seed, arn).isEqualTo(2048 - r[0]);
            assertThat(TasksTest.remaining(instance, "MEMORY")).as("seed %d memory of %s", seed, arn).isEqualTo(1500 - r[1]);
            assertThat(TasksTest.remaining(instance, "MEMORY")).isNotNegative();
            List<String> remainingPorts = TasksTest.remainingPorts(instance);
            Set<String> used = ports.getOrDefault(arn, Set.of());
            assertThat(remainingPorts.contains("8080")).isEqualTo(used.contains("tcp:8080"));
            assertThat(remainingPorts.contains("9090")).isEqualTo(used.contains("tcp:9090"));
            assertThat(instance.get("runningTasksCount").asInt()).as("seed %d running count", seed)
                    .isEqualTo(running.getOrDefault(arn, 0));
        }
    }
}
