package dev.stevedore.e2e;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;

import java.time.Duration;
import java.util.List;

import static dev.stevedore.e2e.ServiceCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of the server as UpdateService returns, and in the middle of a rolling deployment, with
 * real agents and containers: the server restarted on the same data directory and port finishes
 * the deployment it had accepted, and no task runs twice.
 */
@UsesDockerEngine
class ServiceServerCrashOnDockerIT extends OnServiceCluster {
    ServiceServerCrashOnDockerIT() {
        super("crash", "--task-healthy-after", "2");
    }

    @Test
    void aDeploymentWhoseServerIsKilledAsUpdateServiceReturnsRunsAfterTheRestart() throws Exception {
        String v1 = cluster.register("accepted", "sleep", "3600");
        String v2 = cluster.register("accepted", "sleep", "3601");
        cluster.createSettled("accepted", v1, 4, 50, 150);

        String deployment = cluster.ecs.updateService(b -> b.cluster(cluster.name).service("accepted")
                .taskDefinition(v2)).service().deployments().getFirst().id();
        cluster.killAndRestartServer();
        cluster.awaitConnected(3);

        assertFinishedOnce("accepted", deployment, v2, 4);
    }

    @Test
    void aRollingDeploymentInterruptedByKillingTheServerFinishesAfterItsRestartWithNoTaskTwice() throws Exception {
        String v1 = cluster.register("crash", "sleep", "3600");
        String v2 = cluster.register("crash", "sleep", "3601");
        cluster.createSettled("web", v1, 4, 50, 150);

        String deployment = cluster.ecs.updateService(b -> b.cluster(cluster.name).service("web").taskDefinition(v2))
                .service().deployments().getFirst().id();
        // Kill it as soon as old and new tasks coexist.
        await("tasks of both revisions wanted").atMost(ServiceCluster.WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    List<Task> wanted = cluster.tasks("web", DesiredStatus.RUNNING);
                    return wanted.stream().anyMatch(t -> t.taskDefinitionArn().equals(v1))
                            && wanted.stream().anyMatch(t -> t.taskDefinitionArn().equals(v2));
                });
        cluster.killAndRestartServer();
        cluster.awaitConnected(3);

        assertFinishedOnce("web", deployment, v2, 4);
    }

    /**
     * The deployment completed on {@code count} tasks of {@code revision} and stays so, with exactly
     * their containers running and no task started twice.
     */
    private void assertFinishedOnce(String service, String deployment, String revision, int count)
            throws InterruptedException {
        eventually(count + " tasks of " + revision, () -> cluster.settledOn(service, revision, count));
        Service done = cluster.service(service);
        assertThat(done.deployments()).singleElement().satisfies(d -> {
            assertThat(d.id()).as("the deployment started before the kill").isEqualTo(deployment);
            assertThat(d.rolloutStateAsString()).isEqualTo("COMPLETED");
            assertThat(d.runningCount()).isEqualTo(count);
        });
        // Give a duplicate every chance to show up: nothing starts once the service is steady.
        Thread.sleep(3_000);
        List<Task> running = cluster.tasks(service, DesiredStatus.RUNNING);
        assertThat(running).hasSize(count).allSatisfy(t -> assertThat(t.taskDefinitionArn()).isEqualTo(revision));
        List<Docker.Running> containers = cluster.containers(ServiceCluster.family(revision));
        assertThat(containers).extracting(Docker.Running::taskArn)
                .containsExactlyInAnyOrderElementsOf(running.stream().map(Task::taskArn).toList());
        assertThat(containers).allSatisfy(c -> assertThat(c.revision()).isEqualTo(ServiceCluster.revision(revision)));
        assertThat(cluster.events(service)).containsOnlyOnce(
                "(service " + service + ") (deployment " + deployment + ") deployment completed.");
        // Events may miss a task started just before the kill, but never name one twice.
        assertThat(cluster.taskIdsInEvents(service, "has started")).doesNotHaveDuplicates();
        // Every task the service ever started ran at most once: one container each, running or not.
        for (Task t : cluster.tasks(service, DesiredStatus.STOPPED)) {
            assertThat(Docker.containers("com.amazonaws.ecs.task-arn", t.taskArn())).hasSizeLessThanOrEqualTo(1);
        }
    }
}
