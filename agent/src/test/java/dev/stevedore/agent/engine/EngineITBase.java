package dev.stevedore.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import dev.stevedore.agent.runtime.ContainerRuntime;
import dev.stevedore.agent.runtime.ContainerRuntimeException;
import dev.stevedore.agent.runtime.ContainerStatus;
import dev.stevedore.agent.runtime.DockerContainerRuntime;
import dev.stevedore.model.agent.DesiredTasks;
import dev.stevedore.model.agent.TaskAssignment;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task engines on the real Docker engine. Every test is its own container instance (a unique
 * ARN, which labels all its containers), with its own data directory and recording reporter;
 * everything it made is removed afterwards.
 */
abstract class EngineITBase {

    static final String SETUP_HINT = "Run `bin/setup-test-env` as root first: it starts dockerd and builds the test images.";
    static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);
    static final Duration PATIENCE = Duration.ofSeconds(30);
    static DockerContainerRuntime runtime;

    @TempDir
    Path dataDir;

    final String testId = RUN_ID + "-" + UUID.randomUUID().toString().substring(0, 6);
    final String cluster = TestTasks.ACCOUNT_PREFIX + "cluster/it-" + testId;
    final String instance = TestTasks.ACCOUNT_PREFIX + "container-instance/it-" + testId + "/" + UUID.randomUUID();
    final RecordingReporter reporter = new RecordingReporter();
    private final List<TaskEngine> engines = new ArrayList<>();
    private final Set<String> volumes = new HashSet<>();
    private final Set<String> taskIds = new HashSet<>();
    private final Set<String> networks = new HashSet<>();
    private long revision;

    @BeforeAll
    static void connectToDocker() {
        runtime = DockerContainerRuntime.connectDefault();
        try {
            runtime.hostInfo();
        } catch (ContainerRuntimeException e) {
            fail("Docker engine not reachable (" + e.getMessage() + "). " + SETUP_HINT);
        }
        if (runtime.inspectImage(TestTasks.IMAGE).isEmpty()) {
            fail("Test image " + TestTasks.IMAGE + " is missing. " + SETUP_HINT);
        }
    }

    @AfterAll
    static void disconnect() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @AfterEach
    void removeEverythingTheTestMade() {
        engines.forEach(TaskEngine::close);
        for (ContainerStatus c : runtime.listContainers(Map.of(Labels.CONTAINER_INSTANCE, instance))) {
            runtime.removeContainer(c.id());
        }
        volumes.forEach(runtime::removeVolume);
        networks.forEach(runtime::removeNetwork);
        taskIds.forEach(id -> new CgroupV1TaskCgroups(Path.of("/sys/fs/cgroup"), "stevedore").remove(id));
    }

    /** Fast polling, short stop timeouts, quick report retries; stopped containers are kept unless a test says otherwise. */
    EngineSettings settings() {
        return EngineSettings.defaults()
                .withPollInterval(Duration.ofSeconds(1))
                .withDefaultStopTimeout(Duration.ofSeconds(2))
                .withReportRetry(Duration.ofMillis(100), Duration.ofMillis(500));
    }

    TaskEngine startEngine(StateReporter reporter, EngineSettings settings) {
        return startEngine(runtime, reporter, settings);
    }

    TaskEngine startEngine(ContainerRuntime on, StateReporter reporter, EngineSettings settings) {
        return startEngine(on, reporter, settings, TaskRoutes.NONE);
    }

    TaskEngine startEngine(ContainerRuntime on, StateReporter reporter, EngineSettings settings, TaskRoutes routes) {
        return startEngine(on, reporter, settings, routes, SecretStores.NONE);
    }

    TaskEngine startEngine(ContainerRuntime on, StateReporter reporter, EngineSettings settings, TaskRoutes routes,
                           SecretStores secrets) {
        TaskEngine engine = new TaskEngine(on, new AgentIdentity(cluster, instance, dataDir), reporter, Clock.systemUTC(), settings,
                routes, secrets, java.util.Optional.empty());
        engines.add(engine);
        engine.start();
        return engine;
    }

    TaskEngine startEngine() {
        return startEngine(reporter, settings());
    }

    String newTaskArn() {
        String arn = TestTasks.newTaskArn("it-" + testId);
        taskIds.add(arn.substring(arn.lastIndexOf('/') + 1));
        return arn;
    }

    String family(String purpose) {
        return "it-" + purpose;
    }

    /** A volume name the test owns and removes. */
    String volumeName(String purpose) {
        String name = "stevedore-it-" + purpose + "-" + testId;
        volumes.add(name);
        return name;
    }

    /** A Docker network the test made or made the engine make, removed after its containers. */
    void trackNetwork(String name) {
        networks.add(name);
    }

    void trackVolume(String name) {
        volumes.add(name);
    }

    DesiredTasks desired(TaskAssignment... tasks) {
        return TestTasks.desired(instance, ++revision, tasks);
    }

    DesiredTasks desiredAt(long rev, TaskAssignment... tasks) {
        revision = Math.max(revision, rev);
        return TestTasks.desired(instance, rev, tasks);
    }

    TaskSnapshot awaitTask(TaskEngine engine, String taskArn, String lastStatus) {
        await().atMost(PATIENCE).until(() -> engine.task(taskArn).map(t -> t.lastStatus().equals(lastStatus)).orElse(false));
        return engine.task(taskArn).orElseThrow();
    }

    void awaitReported(String taskArn, String transition) {
        await().atMost(PATIENCE).until(() -> reporter.transitions(taskArn).contains(transition));
    }

    List<ContainerStatus> containersOf(String taskArn) {
        return runtime.listContainers(Map.of(Labels.TASK_ARN, taskArn, Labels.CONTAINER_INSTANCE, instance));
    }

    String runtimeId(TaskEngine engine, String taskArn, String container) {
        return engine.task(taskArn).orElseThrow().container(container).orElseThrow().runtimeId().orElseThrow();
    }

    /** What the task's state file says the control plane has acknowledged. */
    WireStatus acknowledged(String taskArn) throws IOException {
        Path file = new TaskStateStore(dataDir).file(taskArn);
        return Files.exists(file) ? TaskStateCodec.decode(Files.readAllBytes(file)).reported() : WireStatus.NONE;
    }

    static String httpGet(int port) throws IOException {
        return httpGet("127.0.0.1", port);
    }

    static String httpGet(String host, int port) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://" + host + ":" + port + "/").toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes());
        } finally {
            c.disconnect();
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertRunning(String dockerId) {
        assertThat(runtime.inspectContainer(dockerId).running()).as("container %s runs", dockerId).isTrue();
    }
}
