package dev.stevedore.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Placement as a user sees it with the AWS CLI, against three real agents in three zones: spread
 * over zones, distinctInstance, memberOf on a custom attribute, the cluster query language in
 * list-container-instances, and a task too big for every instance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@UsesDockerEngine
class PlacementOnDockerIT {
    static final String IMAGE = "stevedore-test/busybox:latest";
    final String cluster = "placement-" + Long.toHexString(System.nanoTime());
    final List<AgentProcess> agents = new ArrayList<>();
    StevedoreProcess server;
    EcsClient ecs;
    AwsCli aws;
    Map<String, String> zoneOfInstance = new HashMap<>();

    @BeforeAll
    void start() throws Exception {
        Path root = Files.createTempDirectory("stevedore-placement");
        int port = StevedoreProcess.freePort();
        server = StevedoreProcess.start(root.resolve("server"), port);
        ecs = server.ecs();
        aws = new AwsCli("http://127.0.0.1:" + port);
        aws.ok("ecs", "create-cluster", "--cluster-name", cluster);
        String[] zones = {"us-east-1a", "us-east-1b", "us-east-1c"};
        for (int i = 0; i < zones.length; i++) {
            agents.add(AgentProcess.start(port, cluster, root.resolve("agent-" + i), "i-00000000000000p0" + i,
                    zones[i], 1024, 512));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> connected().size() == 3);
        for (ContainerInstance i : connected()) {
            i.attributes().stream().filter(a -> a.name().equals("ecs.availability-zone"))
                    .forEach(a -> zoneOfInstance.put(i.containerInstanceArn(), a.value()));
        }
        aws.ok("ecs", "register-task-definition", "--family", "sleeper", "--container-definitions",
                "[{\"name\":\"main\",\"image\":\"" + IMAGE + "\",\"memory\":16,\"command\":[\"sleep\",\"600\"]}]");
    }

    @AfterAll
    void stop() {
        agents.forEach(AgentProcess::close);
        if (ecs != null) {
            ecs.close();
        }
        if (server != null) {
            server.close();
        }
        Docker.removeCluster("arn:aws:ecs:" + InProcessStevedore.REGION + ":" + InProcessStevedore.ACCOUNT
                + ":cluster/" + cluster);
    }

    List<ContainerInstance> connected() {
        List<String> arns = ecs.listContainerInstances(b -> b.cluster(cluster)).containerInstanceArns();
        return arns.isEmpty() ? List.of() : ecs.describeContainerInstances(b -> b.cluster(cluster).containerInstances(arns))
                .containerInstances().stream().filter(ContainerInstance::agentConnected).toList();
    }

    @Test
    void spreadOverZonesPutsOneTaskInEachZone() {
        JsonNode r = aws.ok("ecs", "run-task", "--cluster", cluster, "--task-definition", "sleeper", "--count", "3",
                "--group", "spread-test",
                "--placement-strategy", "type=spread,field=attribute:ecs.availability-zone");
        List<String> zones = new ArrayList<>();
        r.get("tasks").forEach(t -> zones.add(t.get("availabilityZone").asText()));
        assertThat(zones).containsExactlyInAnyOrder("us-east-1a", "us-east-1b", "us-east-1c");
    }

    @Test
    void distinctInstanceLeavesTheFourthTaskUnplaced() {
        JsonNode r = aws.ok("ecs", "run-task", "--cluster", cluster, "--task-definition", "sleeper", "--count", "4",
                "--group", "distinct-test", "--placement-constraints", "type=distinctInstance");
        Set<String> hosts = new HashSet<>();
        r.get("tasks").forEach(t -> hosts.add(t.get("containerInstanceArn").asText()));
        assertThat(r.get("tasks")).hasSize(3);
        assertThat(hosts).hasSize(3);
        assertThat(r.at("/failures/0/reason").asText()).isEqualTo("DistinctInstance placement constraint unsatisfied.");
    }

    @Test
    void memberOfACustomAttributeChoosesOnlyTheMarkedInstance() {
        String marked = connected().get(1).containerInstanceArn();
        aws.ok("ecs", "put-attributes", "--cluster", cluster, "--attributes",
                "name=tier,value=gold,targetId=" + marked);
        JsonNode r = aws.ok("ecs", "run-task", "--cluster", cluster, "--task-definition", "sleeper", "--count", "3",
                "--placement-constraints", "type=memberOf,expression=attribute:tier == gold");
        assertThat(r.get("tasks")).hasSize(3);
        r.get("tasks").forEach(t -> assertThat(t.get("containerInstanceArn").asText()).isEqualTo(marked));
        JsonNode listed = aws.ok("ecs", "list-container-instances", "--cluster", cluster,
                "--filter", "attribute:tier == gold");
        assertThat(listed.get("containerInstanceArns")).hasSize(1);
        assertThat(listed.at("/containerInstanceArns/0").asText()).isEqualTo(marked);
        JsonNode byZone = aws.ok("ecs", "list-container-instances", "--cluster", cluster,
                "--filter", "attribute:ecs.availability-zone in [us-east-1a, us-east-1c]");
        assertThat(byZone.get("containerInstanceArns")).hasSize(2);
        AwsCli.Result bad = aws.run("ecs", "list-container-instances", "--cluster", cluster, "--filter", "attribute:tier ==");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("InvalidParameterException");
    }

    @Test
    void aTaskTooBigForEveryInstanceIsReportedWithTheReasonAndTheClosestInstance() {
        aws.ok("ecs", "register-task-definition", "--family", "too-big", "--container-definitions",
                "[{\"name\":\"main\",\"image\":\"" + IMAGE + "\",\"memory\":2048}]");
        JsonNode r = aws.ok("ecs", "run-task", "--cluster", cluster, "--task-definition", "too-big");
        assertThat(r.get("tasks")).isEmpty();
        assertThat(r.at("/failures/0/reason").asText()).isEqualTo("RESOURCE:MEMORY");
        assertThat(zoneOfInstance).containsKey(r.at("/failures/0/arn").asText());
        assertThat(r.at("/failures/0/detail").asText()).contains("memory");
    }
}
