package dev.stevedore.e2e;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.SchedulingStrategy;
import software.amazon.awssdk.services.ecs.model.Task;

import java.time.Duration;
import java.util.List;

import static dev.stevedore.e2e.ServiceCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Services when hosts change, with real agent processes and real containers: a draining instance
 * gives its service tasks to the others and keeps its standalone task, a DAEMON service follows the
 * instances as they join, drain and leave (and a service waiting for capacity takes the one that
 * joins), an agent killed for good has its tasks replaced elsewhere once its host is declared lost
 * ({@code --host-lost-after 5}; default 15), and one that comes back stops what it was running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@UsesDockerEngine
class ServiceHostsOnDockerIT extends OnServiceCluster {
    ServiceHostsOnDockerIT() {
        super("hosts", "--task-healthy-after", "2", "--host-lost-after", "5");
    }

    private void setState(String instanceArn, ContainerInstanceStatus status) {
        assertThat(cluster.ecs.updateContainerInstancesState(b -> b.cluster(cluster.name)
                .containerInstances(instanceArn).status(status)).failures()).isEmpty();
    }

    private void deleteService(String service) {
        cluster.ecs.deleteService(b -> b.cluster(cluster.name).service(service).force(true));
        eventually(service + " inactive", () -> cluster.service(service).status().equals("INACTIVE"));
    }

    @Test
    @Order(1)
    void aDrainingInstanceHandsItsServiceTasksToTheOthersAndKeepsItsStandaloneTask() {
        String td = cluster.register("drain", "sleep", "3600");
        String solo = cluster.register("drain-solo", "sleep", "3600");
        cluster.ecs.createService(b -> b.cluster(cluster.name).serviceName("drain").taskDefinition(td).desiredCount(3));
        eventually("3 tasks", () -> cluster.settledOn("drain", td, 3));
        String drained = cluster.instanceArn(cluster.agentIn("us-east-1a"));
        assertThat(cluster.tasks("drain", DesiredStatus.RUNNING)).extracting(Task::containerInstanceArn)
                .as("spread over the three zones").contains(drained).doesNotHaveDuplicates();
        String standalone = cluster.ecs.startTask(b -> b.cluster(cluster.name).taskDefinition(solo)
                .containerInstances(drained)).tasks().getFirst().taskArn();
        eventually("the standalone task runs", () -> cluster.task(standalone).lastStatus().equals("RUNNING"));

        setState(drained, ContainerInstanceStatus.DRAINING);
        eventually("the service's tasks off the draining instance", () -> cluster.settledOn("drain", td, 3)
                && cluster.tasks("drain", DesiredStatus.RUNNING).stream()
                        .noneMatch(t -> t.containerInstanceArn().equals(drained)));
        assertThat(cluster.containers("drain")).hasSize(3)
                .noneSatisfy(c -> assertThat(c.containerInstanceArn()).isEqualTo(drained));
        Task stillThere = cluster.task(standalone);
        assertThat(stillThere.lastStatus()).isEqualTo("RUNNING");
        assertThat(stillThere.desiredStatus()).isEqualTo("RUNNING");
        assertThat(cluster.containers("drain-solo")).singleElement()
                .satisfies(c -> assertThat(c.containerInstanceArn()).isEqualTo(drained));
        List<Task> moved = cluster.tasks("drain", DesiredStatus.STOPPED);
        assertThat(moved).singleElement().satisfies(t -> {
            assertThat(t.containerInstanceArn()).isEqualTo(drained);
            assertThat(t.stopCodeAsString()).isEqualTo("ServiceSchedulerInitiated");
        });
        eventually("the draining instance counts only the standalone task", () -> cluster.instances().stream()
                .filter(i -> i.containerInstanceArn().equals(drained)).findFirst().orElseThrow()
                .runningTasksCount() == 1);
        assertThat(cluster.instances()).filteredOn(i -> i.containerInstanceArn().equals(drained))
                .singleElement().satisfies(i -> assertThat(i.status()).isEqualTo("DRAINING"));

        setState(drained, ContainerInstanceStatus.ACTIVE);
        cluster.ecs.stopTask(b -> b.cluster(cluster.name).task(standalone));
        deleteService("drain");
        eventually("no container left", () -> cluster.containers("drain").isEmpty()
                && cluster.containers("drain-solo").isEmpty());
    }

    @Test
    @Order(2)
    void aDaemonServiceRunsOneTaskOnEachInstanceAsInstancesJoinDrainAndLeave() {
        String td = cluster.register("daemon", "sleep", "3600");
        cluster.ecs.createService(b -> b.cluster(cluster.name).serviceName("daemon").taskDefinition(td)
                .schedulingStrategy(SchedulingStrategy.DAEMON));
        eventually("one task on each of the 3 instances", () -> cluster.settledOn("daemon", td, 3)
                && oneContainerOnEach(cluster.instances()));

        // A replica service that wants one task on more instances than there are waits for another.
        String wide = cluster.register("wide", "sleep", "3600");
        cluster.ecs.createService(b -> b.cluster(cluster.name).serviceName("wide").taskDefinition(wide)
                .desiredCount(4).placementConstraints(c -> c.type("distinctInstance")));
        eventually("3 of 4 placed", () -> cluster.service("wide").runningCount() == 3 && cluster.events("wide")
                .stream().anyMatch(e -> e.startsWith("(service wide) was unable to place a task")));

        String joined = cluster.startAgent("us-east-1d");
        cluster.awaitConnected(4);
        long connectedAt = System.nanoTime();
        String joinedArn = cluster.instanceArn(joined);
        eventually("the fourth task on the new instance", () -> cluster.settledOn("wide", wide, 4));
        assertThat(Duration.ofNanos(System.nanoTime() - connectedAt)).as("placed once the agent connected, "
                + "not at the next placement retry (15 s)").isLessThan(Duration.ofSeconds(10));
        eventually("one task on each of the 4 instances", () -> cluster.settledOn("daemon", td, 4)
                && oneContainerOnEach(cluster.instances()));
        deleteService("wide");

        String drained = cluster.instanceArn(cluster.agentIn("us-east-1a"));
        setState(drained, ContainerInstanceStatus.DRAINING);
        eventually("none on the draining instance", () -> cluster.settledOn("daemon", td, 3)
                && cluster.containers("daemon").stream().noneMatch(c -> c.containerInstanceArn().equals(drained)));
        assertThat(cluster.service("daemon").desiredCount()).isEqualTo(3);
        setState(drained, ContainerInstanceStatus.ACTIVE);
        eventually("back on the reactivated instance", () -> cluster.settledOn("daemon", td, 4)
                && oneContainerOnEach(cluster.instances()));

        // The joined agent goes away and its instance is deregistered with its task still on it.
        String leftBehind = cluster.tasks("daemon", DesiredStatus.RUNNING).stream()
                .filter(t -> t.containerInstanceArn().equals(joinedArn)).findFirst().orElseThrow().taskArn();
        cluster.agents.get(joined).close();
        cluster.ecs.deregisterContainerInstance(b -> b.cluster(cluster.name).containerInstance(joinedArn).force(true));
        eventually("3 tasks again", () -> cluster.service("daemon").desiredCount() == 3
                && cluster.tasks("daemon", DesiredStatus.RUNNING).size() == 3);
        // Recorded STOPPED for the agent that is gone; the stop code says who got there first: the
        // daemon scheduler (the instance is no longer eligible) or the lost-host controller.
        eventually("the deregistered instance's task stopped", () -> cluster.task(leftBehind).lastStatus()
                .equals("STOPPED"));
        assertThat(cluster.task(leftBehind).stopCodeAsString()).isIn("TerminationNotice", "ServiceSchedulerInitiated");
        assertThat(cluster.tasks("daemon", DesiredStatus.RUNNING)).extracting(Task::containerInstanceArn)
                .doesNotContain(joinedArn).doesNotHaveDuplicates();
        cluster.removeContainersOf(joinedArn);
        eventually("settled on the 3 instances", () -> cluster.settledOn("daemon", td, 3));
        deleteService("daemon");
    }

    /** Exactly one running container of the daemon on each ACTIVE instance, and none elsewhere. */
    private boolean oneContainerOnEach(List<ContainerInstance> instances) {
        List<String> active = instances.stream().filter(i -> i.status().equals("ACTIVE"))
                .map(ContainerInstance::containerInstanceArn).sorted().toList();
        return cluster.containers("daemon").stream().map(Docker.Running::containerInstanceArn).sorted().toList()
                .equals(active);
    }

    @Test
    @Order(3)
    void theTasksOfAnAgentKilledForGoodRunElsewhereOnceItsHostIsLost() throws Exception {
        String td = cluster.register("lost", "sleep", "3600");
        cluster.ecs.createService(b -> b.cluster(cluster.name).serviceName("lost").taskDefinition(td).desiredCount(3));
        eventually("3 tasks", () -> cluster.settledOn("lost", td, 3));
        String victimId = cluster.agentIn("us-east-1b");
        String victimArn = cluster.instanceArn(victimId);
        List<Task> onVictim = cluster.tasks("lost", DesiredStatus.RUNNING).stream()
                .filter(t -> t.containerInstanceArn().equals(victimArn)).toList();
        assertThat(onVictim).isNotEmpty();

        cluster.agents.get(victimId).kill();
        // The containers outlive their agent; the service must not count them any more.
        assertThat(cluster.containers("lost")).filteredOn(c -> c.containerInstanceArn().equals(victimArn))
                .hasSameSizeAs(onVictim);
        eventually("replaced on the other instances", () -> cluster.tasks("lost", DesiredStatus.RUNNING).stream()
                .filter(t -> t.lastStatus().equals("RUNNING") && !t.containerInstanceArn().equals(victimArn))
                .count() == 3 && cluster.service("lost").deployments().size() == 1);
        for (Task t : onVictim) {
            Task stopped = cluster.task(t.taskArn());
            assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
            assertThat(stopped.stopCodeAsString()).isEqualTo("TerminationNotice");
            assertThat(stopped.stoppedReason()).startsWith("Host EC2 (instance " + victimId + ") lost");
        }
        List<Task> running = cluster.tasks("lost", DesiredStatus.RUNNING);
        assertThat(running).hasSize(3).allSatisfy(t -> assertThat(t.containerInstanceArn()).isNotEqualTo(victimArn));
        assertThat(cluster.containers("lost")).filteredOn(c -> !c.containerInstanceArn().equals(victimArn))
                .extracting(Docker.Running::taskArn)
                .containsExactlyInAnyOrderElementsOf(running.stream().map(Task::taskArn).toList());
        assertThat(cluster.service("lost").runningCount()).isEqualTo(3);

        cluster.removeContainersOf(victimArn);
        assertThat(cluster.containers("lost")).hasSize(3);
    }

    @Test
    @Order(4)
    void anAgentThatReturnsAfterItsHostWasDeclaredLostStopsTheContainersOfTheTasksItLost() throws Exception {
        String td = cluster.register("returns", "sleep", "3600");
        String zone = "us-east-1c";
        String agentId = cluster.agentIn(zone);
        String instanceArn = cluster.instanceArn(agentId);
        cluster.ecs.createService(b -> b.cluster(cluster.name).serviceName("returns").taskDefinition(td)
                .desiredCount(2).placementConstraints(c -> c.type("distinctInstance")));
        eventually("2 tasks", () -> cluster.settledOn("returns", td, 2));
        List<Task> lost = cluster.tasks("returns", DesiredStatus.RUNNING).stream()
                .filter(t -> t.containerInstanceArn().equals(instanceArn)).toList();
        assertThat(lost).hasSize(1);
        String leftover = lost.getFirst().containers().getFirst().runtimeId();

        cluster.agents.get(agentId).kill();
        eventually("its task stopped", () -> cluster.task(lost.getFirst().taskArn()).lastStatus().equals("STOPPED"));
        assertThat(Docker.isRunning(leftover)).as("the container outlives its agent").isTrue();

        cluster.restartAgent(agentId);
        eventually("the agent back", () -> cluster.instances().stream()
                .anyMatch(i -> i.containerInstanceArn().equals(instanceArn) && i.agentConnected()));
        eventually("the returned agent stopped the lost task's container", () -> !Docker.isRunning(leftover));
        assertThat(cluster.task(lost.getFirst().taskArn()).stopCodeAsString()).isEqualTo("TerminationNotice");
        eventually("2 tasks", () -> cluster.settledOn("returns", td, 2));
    }
}
