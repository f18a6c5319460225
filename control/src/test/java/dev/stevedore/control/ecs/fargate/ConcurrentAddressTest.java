package dev.stevedore.control.ecs.fargate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ec2.AddressClaim;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.state.Records;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.SqliteStateStore;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Random concurrent launches, stops and agent reports against two small subnets, half of them
 * Fargate tasks and half awsvpc tasks on the cluster's own instances (the EC2 launch type), which
 * take addresses of the same subnets: no address is ever held by two live tasks, every live task's
 * address is claimed for it, and once everything has stopped every address has come back. On the
 * in-memory store and on SQLite, whose group commit keeps several of the applier's batches (with
 * their claims and releases) in flight at once.
 */
class ConcurrentAddressTest {
    private static final String WEB = """
            {"family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
             "cpu": "256", "memory": "512",
             "containerDefinitions": [{"name": "app", "image": "busybox", "essential": true}]}""";
    private static final String API = """
            {"family": "api", "networkMode": "awsvpc", "requiresCompatibilities": ["EC2"],
             "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 64, "essential": true}]}""";

    @RepeatedTest(3)
    void addressesAreNeverHandedOutTwice() throws Exception {
        runWorkload(new EcsHarness());
    }

    @RepeatedTest(2)
    void addressesAreNeverHandedOutTwiceWithBatchesInFlight(@TempDir Path dir) throws Exception {
        try (StateStore store = SqliteStateStore.open(dir.resolve("state.db"))) {
            EcsHarness ecs = new EcsHarness(store);
            runWorkload(ecs);
            ecs.api.close();
        }
    }

    private static void runWorkload(EcsHarness ecs) throws Exception {
        ecs.call("CreateCluster", "{}");
        ecs.call("RegisterTaskDefinition", WEB);
        ecs.call("RegisterTaskDefinition", API);
        // Two /28s: 22 addresses for up to 8 workers × 3 tasks at a time, so they run out now and then.
        VpcFixture.subnet(ecs.store, "subnet-a", "vpc-1", "us-east-1a", "10.1.0.0/28");
        VpcFixture.subnet(ecs.store, "subnet-b", "vpc-1", "us-east-1b", "10.1.0.16/28");
        VpcFixture.securityGroup(ecs.store, "sg-default", "vpc-1", "default");
        ecs.registerInstance(PlatformPool.CLUSTER, 65536, 131072, "us-east-1a");
        // The cluster's own: hosts without an interface limit in both zones, and an m5.large (two
        // awsvpc tasks at most) that refuses some with RESOURCE:ENI.
        ecs.registerInstance("default", 65536, 131072, "us-east-1a", "stevedore.host", VpcFixture.AWSVPC_CAPABLE);
        ecs.registerInstance("default", 65536, 131072, "us-east-1b", "stevedore.host", VpcFixture.AWSVPC_CAPABLE);
        ecs.registerInstance("default", 2048, 7680, "us-east-1a", "m5.large", VpcFixture.AWSVPC_CAPABLE);
        String pool = PlatformPool.CLUSTER;
        long seed = System.nanoTime();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Map<String, AtomicInteger> addressed = Map.of("EC2", new AtomicInteger(), "FARGATE", new AtomicInteger());
        ExecutorService workers = Executors.newFixedThreadPool(8);
        for (int w = 0; w < 8; w++) {
            Random random = new Random(seed + w);
            boolean ec2 = w % 2 == 1;
            // An agent reports as its instance's cluster: the platform pool's, or the task's own.
            String reporter = ec2 ? "default" : pool;
            workers.execute(() -> {
                try {
                    for (int round = 0; round < 12; round++) {
                        JsonNode tasks = ecs.call("RunTask", """
                                {"taskDefinition": "%s", "launchType": "%s", "count": %d,
                                 "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a", "subnet-b"]}}}"""
                                .formatted(ec2 ? "api" : "web", ec2 ? "EC2" : "FARGATE", 1 + random.nextInt(3)))
                                .path("tasks");
                        boolean last = round == 11;
                        for (JsonNode t : tasks) {
                            if ("STOPPED".equals(t.path("lastStatus").asText())) {
                                continue;  // no address was free: nothing to take down
                            }
                            addressed.get(t.path("launchType").asText()).incrementAndGet();
                            String arn = t.path("taskArn").asText();
                            String attachment = EcsHarness.arn("attachment/" + t.at("/attachments/0/id").asText());
                            report(ecs, "SubmitAttachmentStateChanges", reporter, attachment, "ATTACHED");
                            if (last) {
                                continue;  // left running, for the check at rest
                            }
                            if (random.nextBoolean()) {
                                ecs.call("SubmitTaskStateChange", """
                                        {"cluster": "%s", "task": "%s", "status": "RUNNING"}""".formatted(reporter, arn));
                            }
                            ecs.call("StopTask", "{\"task\": \"" + arn + "\"}");
                            // Either order of the two last reports happens with a real agent's retries.
                            if (random.nextBoolean()) {
                                ecs.call("SubmitTaskStateChange", """
                                        {"cluster": "%s", "task": "%s", "status": "STOPPED"}""".formatted(reporter, arn));
                                report(ecs, "SubmitAttachmentStateChanges", reporter, attachment, "DETACHED");
                            } else {
                                report(ecs, "SubmitAttachmentStateChanges", reporter, attachment, "DETACHED");
                                ecs.call("SubmitTaskStateChange", """
                                        {"cluster": "%s", "task": "%s", "status": "STOPPED"}""".formatted(reporter, arn));
                            }
                        }
                        assertLiveAddressesDistinct(ecs);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
        }
        workers.shutdown();
        assertThat(workers.awaitTermination(3, TimeUnit.MINUTES)).isTrue();
        assertThat(failures).isEmpty();
        assertThat(addressed.values()).as("both launch types took addresses").allMatch(n -> n.get() > 0);
        // At rest, with the last round's tasks still up: each holds its own claimed address.
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertClaimsMatchLiveTasks(ecs));
        for (JsonNode arn : ecs.call("ListTasks", "{\"desiredStatus\": \"RUNNING\"}").path("taskArns")) {
            JsonNode t = ecs.call("DescribeTasks", "{\"tasks\": [\"" + arn.asText() + "\"]}").at("/tasks/0");
            String attachment = EcsHarness.arn("attachment/" + t.at("/attachments/0/id").asText());
            String reporter = "EC2".equals(t.path("launchType").asText()) ? "default" : pool;
            ecs.call("StopTask", "{\"task\": \"" + arn.asText() + "\"}");
            ecs.call("SubmitTaskStateChange", """
                    {"cluster": "%s", "task": "%s", "status": "STOPPED"}""".formatted(reporter, arn.asText()));
            report(ecs, "SubmitAttachmentStateChanges", reporter, attachment, "DETACHED");
        }
        assertThat(ecs.call("ListTasks", "{\"desiredStatus\": \"RUNNING\"}").path("taskArns")).isEmpty();
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(ecs.store.range(Ec2Keys.subnetAddresses(VpcFixture.SCOPE, "subnet-a"))).isEmpty();
            assertThat(ecs.store.range(Ec2Keys.subnetAddresses(VpcFixture.SCOPE, "subnet-b"))).isEmpty();
            assertThat(ecs.store.range(Ec2Keys.networkInterfaces(VpcFixture.SCOPE))).isEmpty();
        });
    }

    private static void report(EcsHarness ecs, String operation, String pool, String attachment, String status) {
        ecs.call(operation, """
                {"cluster": "%s", "attachments": [{"attachmentArn": "%s", "status": "%s"}]}"""
                .formatted(pool, attachment, status));
    }

    /** Every task that is not STOPPED holds a distinct address, and exactly those addresses are claimed, each for its task. */
    private static void assertClaimsMatchLiveTasks(EcsHarness ecs) {
        Map<String, String> claims = claims(ecs);
        Map<String, String> live = new HashMap<>();
        for (Map.Entry<String, String> t : liveAddresses(ecs).entrySet()) {
            assertThat(live.put(t.getValue(), t.getKey())).as("address " + t.getValue() + " held twice").isNull();
        }
        assertThat(claims).isEqualTo(live);
    }

    /** No two tasks that are not STOPPED hold one address, at any moment. */
    private static void assertLiveAddressesDistinct(EcsHarness ecs) {
        assertThat(liveAddresses(ecs).values()).doesNotHaveDuplicates();
    }

    private static Map<String, String> claims(EcsHarness ecs) {
        Map<String, String> claims = new HashMap<>();
        for (String subnet : List.of("subnet-a", "subnet-b")) {
            for (KeyValue kv : ecs.store.range(Ec2Keys.subnetAddresses(VpcFixture.SCOPE, subnet))) {
                claims.put(kv.key().substring(kv.key().lastIndexOf('/') + 1),
                        Records.decode(kv.value(), AddressClaim.class).taskArn());
            }
        }
        return claims;
    }

    /** Each task that is not STOPPED, by ARN, with the address its attachment names. */
    private static Map<String, String> liveAddresses(EcsHarness ecs) {
        Map<String, String> live = new HashMap<>();
        for (KeyValue kv : ecs.store.range("/ecs/" + EcsHarness.ACCOUNT + "/" + EcsHarness.REGION + "/tasks/")) {
            JsonNode t = Records.decode(kv.value(), JsonNode.class);
            if (!"STOPPED".equals(t.path("lastStatus").asText())) {
                for (JsonNode d : t.at("/attachments/0/details")) {
                    if ("privateIPv4Address".equals(d.path("name").asText())) {
                        live.put(t.path("taskArn").asText(), d.path("value").asText());
                    }
                }
            }
        }
        return live;
    }
}
