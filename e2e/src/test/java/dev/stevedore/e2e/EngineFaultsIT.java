package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.host.AgentConfig;
import dev.stevedore.agent.host.AgentHost;
import dev.stevedore.agent.runtime.DockerContainerRuntime;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * The Docker engine failing under a real agent, seen through a real control plane: the engine
 * killed (SIGKILL) and started again while a task's container dies, and the engine answering
 * every call with a 500. The engine is one of the test's own ({@link PrivateDockerEngine}), never
 * the machine's, which other tests use meanwhile; the agent reaches it through a socket proxy
 * that can refuse ({@link DockerSocketProxy}).
 *
 * <p>The engine runs with {@code --live-restore}: that is the case in which there is something to
 * find out on reconnecting (which containers live on, which died meanwhile and with what exit
 * code). Without it every container dies with the daemon, which the agent reports as any other
 * container death, the same path as the task that dies here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@UsesDockerEngine
class EngineFaultsIT {
    static final String IMAGE = "stevedore-test/busybox:latest";
    static final String TASK_ARN_LABEL = "com.amazonaws.ecs.task-arn";
    final String cluster = "faults-" + Long.toHexString(System.nanoTime());
    Path root;
    PrivateDockerEngine engine;
    DockerSocketProxy proxy;
    InProcessStevedore stevedore;
    DockerContainerRuntime runtime;
    AgentHost agent;
    EcsClient ecs;
    ClusterTasks tasks;
    /** A task that runs through every fault, and the one container it must keep. */
    String survivor;
    String survivorContainer;

    @BeforeAll
    void start() throws Exception {
        root = Files.createTempDirectory("stevedore-faults");
        engine = PrivateDockerEngine.start(root.resolve("engine"), true, IMAGE);
        proxy = DockerSocketProxy.open(root.resolve("proxy.sock"), engine.socket());
        stevedore = InProcessStevedore.start(root.resolve("server"));
        ecs = stevedore.ecs();
        ecs.createCluster(b -> b.clusterName(cluster));
        tasks = new ClusterTasks(ecs, cluster);
        runtime = DockerContainerRuntime.connect(URI.create("unix://" + root.resolve("proxy.sock")));
        agent = AgentHost.start(AgentConfig.of(stevedore.endpoint(), InProcessStevedore.REGION,
                AgentCredentials.of(InProcessStevedore.ACCESS_KEY, InProcessStevedore.SECRET_KEY), cluster,
                root.resolve("agent")), runtime, Clock.systemUTC());
        await().atMost(Duration.ofSeconds(30)).until(tasks::agentConnected);
        // Host network mode: the private engine's bridge is not wired to anything.
        ecs.registerTaskDefinition(b -> b.family("sleeper").networkMode(NetworkMode.HOST)
                .containerDefinitions(ContainerDefinition.builder().name("main").image(IMAGE).memory(16)
                        .command("sleep", "600").stopTimeout(1).build()));
    }

    @AfterAll
    void stop() {
        Closeables.closeAll(agent, runtime, proxy, ecs, stevedore, engine);
        if (root != null) {
            PrivateDockerEngine.deleteTree(root);
        }
    }

    String runTask() {
        return ecs.runTask(b -> b.cluster(cluster).taskDefinition("sleeper")).tasks().get(0).taskArn();
    }

    String containerOf(String taskArn) {
        return tasks.describe(taskArn).containers().get(0).runtimeId();
    }

    /** The survivor is RUNNING as the control plane knows it, in its one container, which runs. */
    void assertSurvivorUntouched() {
        assertThat(tasks.describe(survivor).lastStatus()).isEqualTo("RUNNING");
        assertThat(engine.containers(TASK_ARN_LABEL, survivor)).containsExactly(survivorContainer);
        assertThat(engine.isRunning(survivorContainer)).isTrue();
    }

    @Test
    @Order(1)
    void afterTheEngineIsKilledAndStartedAgainTheAgentReportsTheContainerThatDiedMeanwhile() {
        survivor = runTask();
        String victim = runTask();
        tasks.awaitStatus(survivor, "RUNNING");
        tasks.awaitStatus(victim, "RUNNING");
        survivorContainer = containerOf(survivor);
        long victimPid = engine.pidOf(containerOf(victim));

        engine.kill();
        // While the engine is away, the container's process is killed: no engine sees it die.
        ProcessHandle.of(victimPid).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(victimPid).isEmpty());
        assertThat(tasks.describe(victim).lastStatus()).as("nothing is known of the death yet").isEqualTo("RUNNING");
        engine.startDaemon();

        Task stopped = tasks.awaitStatus(victim, "STOPPED");
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
        assertThat(stopped.stoppedReason()).isEqualTo("Essential container in task exited");
        assertThat(stopped.containers().get(0).lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(137);
        assertSurvivorUntouched();
        assertThat(tasks.agentConnected()).isTrue();
    }

    @Test
    @Order(2)
    void anEngineThatRefusesCallsFailsNewTasksWithItsReasonAndServesAgainOnceItAnswers() {
        proxy.refuse(true);
        String refused;
        try {
            refused = runTask();
            Task failed = tasks.awaitStatus(refused, "STOPPED");
            assertThat(failed.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
            assertThat(failed.stoppedReason()).startsWith("CannotPullContainerError: ").contains(DockerSocketProxy.REFUSAL);
            assertThat(failed.containers().get(0).reason()).isEqualTo(failed.stoppedReason());
            assertThat(tasks.describe(survivor).lastStatus()).isEqualTo("RUNNING");
        } finally {
            proxy.refuse(false);
        }
        System.out.printf("EngineFaultsIT: %d engine calls answered 500 while refusing%n", proxy.refusals());

        assertThat(engine.containers(TASK_ARN_LABEL, refused)).as("nothing half-made").isEmpty();
        String after = runTask();
        tasks.awaitStatus(after, "RUNNING");
        assertThat(engine.containers(TASK_ARN_LABEL, after)).containsExactly(containerOf(after));
        assertSurvivorUntouched();
    }
}
