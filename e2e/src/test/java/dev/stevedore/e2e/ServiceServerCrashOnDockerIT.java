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
 * kill -9 of the server in the middle of a rolling deployment, with real agents and containers:
 * the server restarted on the same data directory and port finishes the deployment it had
 * started, and no task runs twice.
 */
class ServiceServerCrashOnDockerIT extends OnServiceCluster {
    ServiceServerCrashOnDockerIT() {
        super("crash", "--task-healthy-after", "2");
    }

    @Test
    void aRollingDeploymentInterruptedByKillingTheServerFinishesAfterItsRestartWithNoTaskTwice() throws Exception {
        String v1 = cluster.register("crash", "sleep", "3600");
        String v2 = cluster.register("crash", "sleep", "3601");
        cluster.createSettled("web", v1, 4, 50, 150);

        Service updated = cluster.ecs.updateService(b -> b.cluster(cluster.name).service("web").taskDefinition(v2))
                .service();
        String deployment = updated.deployments().getFirst().id();
        // Kill it as soon as old and new tasks coexist.
        await("tasks of both revisions wanted").atMost(ServiceCluster.WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    List<Task> wanted = cluster.tasks("web", DesiredStatus.RUNNING);
                    return wanted.stream().anyMatch(t -> t.taskDefinitionArn().equals(v1))
                            && wanted.stream().anyMatch(t -> t.taskDefinitionArn().equals(v2));
                });
        cluster.killAndRestartServer();
        cluster.awaitConnected(3);

        eventually("4 tasks of revision 2", () -> cluster.settledOn("web", v2, 4));
        Service done = cluster.service("web");
        assertThat(done.deployments()).singleElement().satisfies(d -> {
            assertThat(d.id()).as("the deployment started before the kill").isEqualTo(deployment);
            assertThat(d.rolloutStateAsString()).isEqualTo("COMPLETED");
            assertThat(d.runningCount()).isEqualTo(4);
        });
        // Give a duplicate every chance to show up: nothing starts once the service is steady.
        Thread.sleep(3_000);
        assertThat(cluster.tasks("web", DesiredStatus.RUNNING)).hasSize(4)
                .allSatisfy(t -> assertThat(t.taskDefinitionArn()).isEqualTo(v2));
        List<Docker.Running> containers = cluster.containers("crash");
        assertThat(containers).hasSize(4).allSatisfy(c -> assertThat(c.revision()).isEqualTo(2));
        assertThat(containers).extracting(Docker.Running::taskArn).doesNotHaveDuplicates();
        assertThat(cluster.events("web")).contains("(service web) (deployment " + deployment + ") deployment completed.");
        // Every task the deployment ever started ran once: each has exactly one container, running or not.
        for (Task t : cluster.tasks("web", DesiredStatus.STOPPED)) {
            assertThat(Docker.containers("com.amazonaws.ecs.task-arn", t.taskArn())).hasSizeLessThanOrEqualTo(1);
        }
    }
}
