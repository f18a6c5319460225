package dev.stevedore.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Task;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A first start as a new user has it: {@code up} on a machine whose Docker engine answers only
 * later serves the API at once, says it waits for the engine, and its agents join by themselves
 * once the engine answers, without a restart; then the README's first example task runs the
 * demo image {@code up} made and pushed to its own ECR, with nothing from outside this machine.
 */
@UsesDockerEngineAlone
class FirstStartOnDockerIT {
    private static final Duration JOIN = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void theAgentsJoinOnceDockerAnswersAndTheReadmesFirstTaskRuns() throws Exception {
        Path socket = dir.resolve("docker.sock");
        String registry = "127.0.0.1:" + StevedoreProcess.freePort();
        try (StevedoreProcess up = StevedoreProcess.start(dir.resolve("data"), StevedoreProcess.freePort(),
                List.of("--registry-port", registry.substring(registry.indexOf(':') + 1)),
                Map.of("DOCKER_HOST", "unix://" + socket));
             EcsClient ecs = up.ecs()) {
            await().atMost(JOIN).until(() -> up.output().contains("Press Ctrl-C"));
            assertThat(up.output()).contains("Local agent: waiting for the Docker engine at unix://" + socket);
            assertThat(instances(ecs)).isEmpty();

            try (DockerSocketProxy docker = DockerSocketProxy.open(socket)) {
                await().atMost(JOIN).until(() -> instances(ecs).stream().anyMatch(ContainerInstance::agentConnected));
                await().atMost(JOIN).until(() -> up.output().contains("Demo image:"));
                assertThat(up.output()).contains("the Docker engine at unix://" + socket + " answers now",
                        "It is Fargate capacity too", "Demo image: stevedore/busybox:latest",
                        "pushed to " + registry + "/stevedore/busybox:latest (ECR repository stevedore/busybox)");

                // The README's first example: the demo image as up's ECR holds it.
                ecs.registerTaskDefinition(r -> r.family("web").containerDefinitions(c -> c.name("web")
                        .image(registry + "/stevedore/busybox").memory(64)));
                String task = ecs.runTask(r -> r.taskDefinition("web")).tasks().getFirst().taskArn();
                try {
                    await().atMost(JOIN).until(() -> describe(ecs, task).lastStatus(), s -> !s.equals("PENDING")
                            && !s.equals("PROVISIONING"));
                    Task running = describe(ecs, task);
                    assertThat(running.lastStatus()).isEqualTo("RUNNING");
                    assertThat(Docker.isRunning(running.containers().getFirst().runtimeId())).isTrue();
                } finally {
                    ecs.stopTask(r -> r.task(task));
                    await().atMost(JOIN).until(() -> describe(ecs, task).lastStatus().equals("STOPPED"));
                }
            }
        } finally {
            // The name up gave the demo image for its push, on a port of this test's only.
            Docker.run(dir, null, "rmi", registry + "/stevedore/busybox:latest");
        }
    }

    private static List<ContainerInstance> instances(EcsClient ecs) {
        List<String> arns = ecs.listContainerInstances(r -> r.cluster("default")).containerInstanceArns();
        return arns.isEmpty() ? List.of()
                : ecs.describeContainerInstances(r -> r.cluster("default").containerInstances(arns)).containerInstances();
    }

    private static Task describe(EcsClient ecs, String task) {
        return ecs.describeTasks(r -> r.tasks(task)).tasks().getFirst();
    }
}
