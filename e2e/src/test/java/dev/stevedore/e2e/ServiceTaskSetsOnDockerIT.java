package dev.stevedore.e2e;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.ProtectedTask;
import software.amazon.awssdk.services.ecs.model.ScaleUnit;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskSet;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.stevedore.e2e.ServiceCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-in protection and the EXTERNAL deployment controller on real agents and containers,
 * through the AWS SDK: protected tasks survive a scale-in and go once unprotected; a blue/green
 * switch with task sets, each set's containers following its scale.
 */
@UsesDockerEngine
class ServiceTaskSetsOnDockerIT extends OnServiceCluster {
    ServiceTaskSetsOnDockerIT() {
        super("tasksets", "--task-healthy-after", "2");
    }

    @Test
    void protectedTasksSurviveAScaleInAndGoOnceUnprotected() {
        String td = cluster.register("guarded", "sleep", "3600");
        cluster.createSettled("guarded", td, 3, 100, 200);
        List<String> all = cluster.tasks("guarded", DesiredStatus.RUNNING).stream().map(Task::taskArn).toList();
        List<String> guarded = all.subList(0, 2);
        List<ProtectedTask> set = cluster.ecs.updateTaskProtection(b -> b.cluster(cluster.name).tasks(guarded)
                .protectionEnabled(true).expiresInMinutes(30)).protectedTasks();
        assertThat(set).extracting(ProtectedTask::protectionEnabled).containsExactly(true, true);

        cluster.ecs.updateService(b -> b.cluster(cluster.name).service("guarded").desiredCount(1));
        eventually("the unprotected task stopped and the protected ones kept", () -> {
            Set<String> running = cluster.containers("guarded").stream().map(Docker.Running::taskArn)
                    .collect(Collectors.toSet());
            return running.equals(Set.copyOf(guarded)) && cluster.events("guarded").stream()
                    .anyMatch(e -> e.contains("was unable to scale in due to (reason 1 tasks under protection)"));
        });
        assertThat(cluster.ecs.getTaskProtection(b -> b.cluster(cluster.name).tasks(guarded)).protectedTasks())
                .allSatisfy(p -> assertThat(p.protectionEnabled()).isTrue());

        cluster.ecs.updateTaskProtection(b -> b.cluster(cluster.name).tasks(guarded).protectionEnabled(false));
        eventually("scaled in to one once unprotected", () -> cluster.settledOn("guarded", td, 1));
        assertThat(cluster.containers("guarded")).hasSize(1);
    }

    @Test
    void aBlueGreenSwitchWithTaskSetsMovesTheContainersAsTheScalesSay() {
        String blue = cluster.register("bluegreen", "sleep", "3600");
        String green = cluster.register("bluegreen", "sleep", "3601");
        cluster.ecs.createService(b -> b.cluster(cluster.name).serviceName("bluegreen").desiredCount(2)
                .deploymentController(c -> c.type("EXTERNAL")));
        TaskSet blueSet = cluster.ecs.createTaskSet(b -> b.cluster(cluster.name).service("bluegreen")
                .taskDefinition(blue).scale(s -> s.unit(ScaleUnit.PERCENT).value(100.0))).taskSet();
        cluster.ecs.updateServicePrimaryTaskSet(b -> b.cluster(cluster.name).service("bluegreen")
                .primaryTaskSet(blueSet.taskSetArn()));
        eventually("blue runs two containers", () -> revisions().equals(List.of(1, 1)) && steady(blueSet));

        TaskSet greenSet = cluster.ecs.createTaskSet(b -> b.cluster(cluster.name).service("bluegreen")
                .taskDefinition(green).scale(s -> s.unit(ScaleUnit.PERCENT).value(0.0))).taskSet();
        assertThat(greenSet.status()).isEqualTo("ACTIVE");
        assertThat(greenSet.computedDesiredCount()).isZero();
        cluster.ecs.updateTaskSet(b -> b.cluster(cluster.name).service("bluegreen").taskSet(greenSet.taskSetArn())
                .scale(s -> s.unit(ScaleUnit.PERCENT).value(100.0)));
        eventually("blue and green side by side", () -> revisions().equals(List.of(1, 1, 2, 2)) && steady(greenSet));

        cluster.ecs.updateServicePrimaryTaskSet(b -> b.cluster(cluster.name).service("bluegreen")
                .primaryTaskSet(greenSet.taskSetArn()));
        assertThat(cluster.service("bluegreen").taskDefinition()).isEqualTo(green);
        cluster.ecs.updateTaskSet(b -> b.cluster(cluster.name).service("bluegreen").taskSet(blueSet.taskSetArn())
                .scale(s -> s.unit(ScaleUnit.PERCENT).value(0.0)));
        eventually("only green runs", () -> revisions().equals(List.of(2, 2)));
        cluster.ecs.deleteTaskSet(b -> b.cluster(cluster.name).service("bluegreen").taskSet(blueSet.taskSetArn()));
        eventually("blue gone", () -> cluster.service("bluegreen").taskSets().size() == 1);
        TaskSet last = cluster.service("bluegreen").taskSets().getFirst();
        assertThat(last.id()).isEqualTo(greenSet.id());
        assertThat(last.status()).isEqualTo("PRIMARY");
        assertThat(last.runningCount()).isEqualTo(2);
        assertThat(last.stabilityStatusAsString()).isEqualTo("STEADY_STATE");
    }

    /** The revisions of the bluegreen family's running containers, sorted. */
    private List<Integer> revisions() {
        return cluster.containers("bluegreen").stream().map(Docker.Running::revision).sorted().toList();
    }

    private boolean steady(TaskSet set) {
        return cluster.ecs.describeTaskSets(b -> b.cluster(cluster.name).service("bluegreen").taskSets(set.taskSetArn()))
                .taskSets().getFirst().stabilityStatusAsString().equals("STEADY_STATE");
    }
}
