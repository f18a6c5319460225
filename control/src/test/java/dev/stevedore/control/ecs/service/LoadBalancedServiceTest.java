package dev.stevedore.control.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ecs.agent.DesiredTaskView;
import dev.stevedore.control.ecs.fargate.VpcFixture;
import dev.stevedore.control.elb.TargetRef;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.store.InMemoryStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Services behind load balancers, with the real API, service scheduler and agents that act on what
 * they are told (a DEACTIVATING task is told to keep running), over target groups kept in the store
 * ({@link InMemoryTargets}) whose health the tests decide.
 */
class LoadBalancedServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private InMemoryStateStore store;
    private InMemoryTargets targets;
    private ServiceFixture f;
    private String group;

    @BeforeEach
    void setUp() {
        store = new InMemoryStateStore();
        targets = new InMemoryTargets(store);
        f = new ServiceFixture(store, targets);
        registerWeb("busybox");
        VpcFixture.subnet(store, "subnet-a", "vpc-1", "us-east-1a", "10.0.0.0/24");
        VpcFixture.subnet(store, "subnet-b", "vpc-1", "us-east-1b", "10.0.1.0/24");
        VpcFixture.securityGroup(store, "sg-default", "vpc-1", "default");
        f.ecs.registerInstance("c", 4096, 8192, "us-east-1a", "m5.xlarge", VpcFixture.AWSVPC_CAPABLE);
        f.ecs.registerInstance("c", 4096, 8192, "us-east-1b", "m5.xlarge", VpcFixture.AWSVPC_CAPABLE);
        group = targets.group("web-tg", "ip");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void eachRunningTaskIsRegisteredAtItsAddressAndContainerPort() {
        create(2);
        await().atMost(WAIT).until(() -> f.stable("web") && targets.registered(group).size() == 2);

        Set<TargetRef> expected = f.tasks("web").stream().map(arn -> new TargetRef(address(describe(arn)), 80))
                .collect(Collectors.toSet());
        assertThat(Set.copyOf(targets.registered(group))).isEqualTo(expected);
        assertThat(f.events("web")).anyMatch(e -> e.startsWith("(service web) registered ")
                && e.endsWith(" targets in (target-group " + group + ")"));
        JsonNode lb = f.service("web").at("/loadBalancers/0");
        assertThat(lb.path("targetGroupArn").asText()).isEqualTo(group);
        assertThat(lb.path("containerName").asText()).isEqualTo("app");
        assertThat(lb.path("containerPort").asInt()).isEqualTo(80);
        assertThat(f.service("web").path("healthCheckGracePeriodSeconds").asInt()).isEqualTo(30);
    }

    @Test
    void aTaskScaledInLeavesItsTargetGroupAndIsStoppedOnlyOnceItsTargetHasDrained() {
        targets.holdDrains();
        create(1);
        await().atMost(WAIT).until(() -> f.stable("web") && targets.registered(group).size() == 1);
        String arn = f.tasks("web").getFirst();
        TargetRef target = targets.registered(group).getFirst();

        f.scale("web", 0);
        await().atMost(WAIT).until(() -> "DEACTIVATING".equals(describe(arn).path("lastStatus").asText()));
        JsonNode deactivating = describe(arn);
        assertThat(deactivating.path("desiredStatus").asText()).isEqualTo("STOPPED");
        assertThat(targets.registered(group)).isEmpty();  // deregistered as it was told to stop
        // The scheduler keeps looking at the drain, and meanwhile the agent is told the task is to run.
        await().atMost(WAIT).until(() -> targets.askedWhileDraining(target) >= 2);
        assertThat(describe(arn).path("lastStatus").asText()).isEqualTo("DEACTIVATING");
        assertThat(DesiredTaskView.toldToAgent(stored(arn)).desiredStatus()).isEqualTo("RUNNING");
        assertThat(f.events("web")).contains("(service web) has begun draining connections on 1 tasks.",
                "(service web) deregistered 1 targets in (target-group " + group + ")");

        targets.release(target);
        await().atMost(WAIT).until(() -> "STOPPED".equals(describe(arn).path("lastStatus").asText()));
        JsonNode stopped = describe(arn);
        assertThat(stopped.path("stopCode").asText()).isEqualTo("ServiceSchedulerInitiated");
        assertThat(stopped.path("stoppedReason").asText()).startsWith("Scaling activity initiated by (deployment ");
        await().atMost(WAIT).until(() -> f.events("web").contains(
                "(service web) has stopped 1 running tasks: (task " + arn.substring(arn.lastIndexOf('/') + 1) + ")."));
    }

    @Test
    void stopTaskDeregistersTheTaskBeforeItsAgentStopsIt() {
        targets.holdDrains();
        create(1);
        await().atMost(WAIT).until(() -> f.stable("web") && targets.registered(group).size() == 1);
        String arn = f.tasks("web").getFirst();
        TargetRef target = targets.registered(group).getFirst();

        JsonNode answered = f.call("StopTask", "{\"cluster\": \"c\", \"task\": \"" + arn + "\"}").path("task");
        assertThat(answered.path("lastStatus").asText()).isEqualTo("DEACTIVATING");
        assertThat(answered.path("desiredStatus").asText()).isEqualTo("STOPPED");
        assertThat(targets.registered(group)).doesNotContain(target);
        await().atMost(WAIT).until(() -> targets.askedWhileDraining(target) >= 2);
        assertThat(describe(arn).path("lastStatus").asText()).isEqualTo("DEACTIVATING");

        targets.release(target);
        await().atMost(WAIT).until(() -> "STOPPED".equals(describe(arn).path("lastStatus").asText()));
        assertThat(describe(arn).path("stopCode").asText()).isEqualTo("UserInitiated");
        // Its replacement is registered in its place.
        await().atMost(WAIT).until(() -> f.tasks("web").size() == 1 && !f.tasks("web").contains(arn)
                && targets.registered(group).size() == 1);
    }

    @Test
    void deletingTheServiceDrainsItsTasksBeforeItBecomesInactive() {
        targets.holdDrains();
        create(2);
        await().atMost(WAIT).until(() -> f.stable("web") && targets.registered(group).size() == 2);
        List<TargetRef> registered = targets.registered(group);

        f.call("DeleteService", "{\"cluster\": \"c\", \"service\": \"web\", \"force\": true}");
        await().atMost(WAIT).until(() -> targets.registered(group).isEmpty()
                && registered.stream().allMatch(t -> targets.askedWhileDraining(t) >= 2));
        assertThat(f.service("web").path("status").asText()).isEqualTo("DRAINING");

        registered.forEach(targets::release);
        await().atMost(WAIT).until(() -> "INACTIVE".equals(f.service("web").path("status").asText()));
        // The records of the stopped tasks' targets are gone too.
        assertThat(store.range(dev.stevedore.control.ecs.EcsKeys.serviceTaskTargets(VpcFixture.SCOPE, "c", "web")))
                .isEmpty();
    }

    @Test
    void aTaskThatDiesIsTakenOutOfItsTargetGroup() {
        f.agents.behave("web", FakeAgents.Behaviour.CRASH_AFTER_START);
        f.agents.crashAfter(Duration.ofSeconds(2));
        create(1);
        await().atMost(WAIT).until(() -> targets.registered(group).size() == 1);
        String arn = f.tasks("web").getFirst();
        TargetRef target = targets.registered(group).getFirst();

        await().atMost(WAIT).until(() -> "STOPPED".equals(describe(arn).path("lastStatus").asText()));
        // The record goes in the transaction that takes the target out.
        await().atMost(WAIT).until(() -> store.get(taskTargetsKey(arn)).isEmpty());
        assertThat(targets.deregistrations()).contains(target);
        assertThat(describe(arn).path("stopCode").asText()).isEqualTo("EssentialContainerExited");
    }

    @Test
    void aTaskItsTargetGroupFindsUnhealthyIsReplacedWithEcsReason() {
        create(2, 0);
        await().atMost(WAIT).until(() -> f.stable("web") && targets.registered(group).size() == 2);
        String arn = f.tasks("web").getFirst();
        TargetRef target = new TargetRef(address(describe(arn)), 80);

        targets.verdict(target, "unhealthy");
        await().atMost(WAIT).until(() -> "STOPPED".equals(describe(arn).path("lastStatus").asText()));
        targets.verdict(target, "healthy");  // the address may be handed to the replacement

        JsonNode stopped = describe(arn);
        assertThat(stopped.path("stoppedReason").asText())
                .isEqualTo("Task failed ELB health checks in (target-group " + group + ")");
        assertThat(stopped.path("stopCode").asText()).isEqualTo("ServiceSchedulerInitiated");
        String id = arn.substring(arn.lastIndexOf('/') + 1);
        assertThat(f.events("web")).anyMatch(e -> e.startsWith("(service web) (task " + id + ") (port 80) is unhealthy "
                + "in (target-group web-tg) due to (reason Health checks failed with these codes: [502])"));
        await().atMost(WAIT).until(() -> f.tasks("web").size() == 2 && targets.registered(group).size() == 2);
    }

    @Test
    void aRollingDeploymentStopsOldTasksOnlyOnceTheNewTargetsAreHealthy() {
        create(2);
        await().atMost(WAIT).until(() -> f.stable("web") && targets.registered(group).size() == 2);
        List<String> old = f.tasks("web");
        targets.registered(group).forEach(t -> targets.verdict(t, "healthy"));
        targets.defaultVerdict("initial");

        String revision2 = registerWeb("busybox:2");
        f.deploy("web", revision2);
        await().atMost(WAIT).until(() -> targets.registered(group).size() == 4);
        List<TargetRef> fresh = new ArrayList<>(targets.registered(group));
        old.forEach(arn -> fresh.remove(new TargetRef(address(describe(arn)), 80)));
        assertThat(fresh).hasSize(2);
        // Passes go by while the new targets are still being checked: the old tasks keep serving.
        await().atMost(WAIT).until(() -> targets.asked(fresh.get(0)) >= 3 && targets.asked(fresh.get(1)) >= 3);
        for (String arn : old) {
            assertThat(describe(arn).path("desiredStatus").asText()).isEqualTo("RUNNING");
        }
        assertThat(f.service("web").at("/deployments/0/rolloutState").asText()).isEqualTo("IN_PROGRESS");

        targets.defaultVerdict("healthy");
        await().atMost(WAIT).until(() -> f.stable("web") && f.tasks("web").stream().noneMatch(old::contains));
        for (String arn : old) {
            await().atMost(WAIT).until(() -> "STOPPED".equals(describe(arn).path("lastStatus").asText()));
        }
        assertThat(targets.registered(group)).hasSize(2).containsExactlyInAnyOrderElementsOf(fresh);
    }

    @Test
    void removingTheLoadBalancersRollsOutTasksThatAreNotRegisteredAndDrainsTheOldOnes() {
        create(1);
        await().atMost(WAIT).until(() -> f.stable("web") && targets.registered(group).size() == 1);
        String old = f.tasks("web").getFirst();

        JsonNode updated = f.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"web\", "
                + "\"loadBalancers\": []}").path("service");
        assertThat(updated.path("loadBalancers")).isEmpty();
        assertThat(updated.path("deployments")).hasSize(2);
        await().atMost(WAIT).until(() -> f.stable("web") && !f.tasks("web").contains(old));
        await().atMost(WAIT).until(() -> "STOPPED".equals(describe(old).path("lastStatus").asText()));
        assertThat(targets.registered(group)).isEmpty();
    }

    @Test
    void aBridgeTaskIsRegisteredAsItsInstanceAndHostPort() {
        f.call("RegisterTaskDefinition", """
                {"family": "bridge-web", "networkMode": "bridge",
                 "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 64,
                   "portMappings": [{"containerPort": 80, "hostPort": 8080}]}]}""");
        String instanceGroup = targets.group("bridge-tg", "instance");
        f.call("CreateService", """
                {"cluster": "c", "serviceName": "bridge", "taskDefinition": "bridge-web", "desiredCount": 1,
                 "loadBalancers": [{"targetGroupArn": "%s", "containerName": "app", "containerPort": 80}]}"""
                .formatted(instanceGroup));
        await().atMost(WAIT).until(() -> f.stable("bridge") && targets.registered(instanceGroup).size() == 1);

        String instanceArn = describe(f.tasks("bridge").getFirst()).path("containerInstanceArn").asText();
        String ec2Id = f.call("DescribeContainerInstances", "{\"cluster\": \"c\", \"containerInstances\": [\""
                + instanceArn + "\"]}").at("/containerInstances/0/ec2InstanceId").asText();
        assertThat(targets.registered(instanceGroup)).containsExactly(new TargetRef(ec2Id, 8080));
    }

    private String registerWeb(String image) {
        return f.call("RegisterTaskDefinition", """
                {"family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["EC2"],
                 "containerDefinitions": [{"name": "app", "image": "%s", "memory": 64, "essential": true,
                   "portMappings": [{"containerPort": 80}]}]}""".formatted(image))
                .at("/taskDefinition/taskDefinitionArn").asText();
    }

    private void create(int desired) {
        create(desired, 30);
    }

    private void create(int desired, int graceSeconds) {
        f.call("CreateService", """
                {"cluster": "c", "serviceName": "web", "taskDefinition": "web", "desiredCount": %d,
                 "healthCheckGracePeriodSeconds": %d,
                 "loadBalancers": [{"targetGroupArn": "%s", "containerName": "app", "containerPort": 80}],
                 "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a", "subnet-b"]}}}"""
                .formatted(desired, graceSeconds, group));
    }

    private JsonNode describe(String arn) {
        return f.call("DescribeTasks", "{\"cluster\": \"c\", \"tasks\": [\"" + arn + "\"]}").at("/tasks/0");
    }

    private Task stored(String arn) {
        String key = "/ecs/" + dev.stevedore.control.ecs.EcsHarness.ACCOUNT + "/" + dev.stevedore.control.ecs.EcsHarness.REGION
                + "/tasks/c/" + arn.substring(arn.lastIndexOf('/') + 1);
        return Records.decode(store.get(key).orElseThrow().value(), Task.class);
    }

    private static String taskTargetsKey(String arn) {
        return dev.stevedore.control.ecs.EcsKeys.taskTargets(VpcFixture.SCOPE, "c", "web",
                arn.substring(arn.lastIndexOf('/') + 1));
    }

    private static String address(JsonNode task) {
        return VpcFixture.details(task.at("/attachments/0")).get("privateIPv4Address");
    }
}
