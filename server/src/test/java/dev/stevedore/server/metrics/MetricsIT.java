package dev.stevedore.server.metrics;

import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.channel.ChannelClientSettings;
import dev.stevedore.agent.engine.Labels;
import dev.stevedore.agent.host.AgentConfig;
import dev.stevedore.agent.host.AgentHost;
import dev.stevedore.agent.runtime.DockerContainerRuntime;
import dev.stevedore.server.ControlPlane;
import dev.stevedore.server.ControlPlaneConfig;
import dev.stevedore.server.RootCredentials;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code /metrics} of a control plane and of an agent on the local Docker engine, read with a strict
 * text-format parser after a burst of RunTask calls made with the AWS SDK: the counts are those of the
 * calls made.
 */
class MetricsIT {
    private static final String KEY = "AKIASTEVEDOREMETRICS";
    private static final String SECRET = "metrics/test/secret/0123456789abcdefghij";
    private static final String IMAGE = "stevedore-test/busybox:latest";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int BURST = 12;
    private static final int TOO_BIG = 3;

    @TempDir
    Path dataDir;
    private ControlPlane plane;
    private EcsClient ecs;
    private DockerContainerRuntime docker;
    private AgentMetrics agentMetrics;
    private AgentHost agent;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        plane = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0, dataDir.resolve("server"), "us-east-1",
                "123456789012", new RootCredentials(KEY, SECRET, RootCredentials.Source.ENVIRONMENT)));
        ecs = client(SECRET);
        docker = DockerContainerRuntime.connectDefault();
        agentMetrics = AgentMetrics.bind(0);
        agent = AgentHost.start(AgentConfig.of(URI.create(plane.endpoint()), "us-east-1", AgentCredentials.of(KEY, SECRET),
                        "default", dataDir.resolve("agent")).withResources(OptionalInt.of(2048), OptionalInt.of(1024))
                        .withChannel(ChannelClientSettings.defaults().withStatsInterval(Duration.ofSeconds(1))),
                agentMetrics.observe(docker), Clock.systemUTC());
        agentMetrics.serve(agent.engine());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            for (String arn : ecs.listTasks(r -> r.cluster("default")).taskArns()) {
                ecs.stopTask(r -> r.cluster("default").task(arn));
            }
            await().atMost(WAIT).until(() -> agent.engine().tasks().stream()
                    .allMatch(t -> t.lastStatus().equals("STOPPED")));
        } finally {
            agent.close();
            agentMetrics.close();
            removeContainersOf(agent.containerInstanceArn());
            docker.close();
            ecs.close();
            plane.close();
        }
    }

    @Test
    void aBurstOfRunTaskCallsIsCountedOnTheServerAndTheAgent() throws Exception {
        await().atMost(WAIT).until(() -> scrape(plane.endpoint()).value("stevedore_agents_connected", Map.of())
                .orElse(0.0) == 1.0);
        ecs.registerTaskDefinition(r -> r.family("sleeper").containerDefinitions(c -> c.name("main").image(IMAGE)
                .memory(16).command("sleep", "600")));
        ecs.registerTaskDefinition(r -> r.family("too-big").containerDefinitions(c -> c.name("main").image(IMAGE)
                .memory(4096).command("sleep", "600")));
        // One task of the burst spins, so that its stats show CPU in use.
        ecs.registerTaskDefinition(r -> r.family("burner").containerDefinitions(c -> c.name("main").image(IMAGE)
                .memory(16).command("sh", "-c", "while :; do :; done")));

        List<RunTaskResponse> answers = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<RunTaskResponse>> calls = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                String family = i == 0 ? "burner" : "sleeper";
                calls.add(callers.submit(() -> ecs.runTask(r -> r.cluster("default").taskDefinition(family))));
            }
            for (int i = 0; i < TOO_BIG; i++) {
                calls.add(callers.submit(() -> ecs.runTask(r -> r.cluster("default").taskDefinition("too-big"))));
            }
            for (Future<RunTaskResponse> call : calls) {
                answers.add(call.get());
            }
        }
        assertThat(answers.stream().mapToInt(a -> a.tasks().size()).sum()).isEqualTo(BURST);
        String burner = answers.getFirst().tasks().getFirst().taskArn();
        ecs.createCluster(r -> r.clusterName("empty"));
        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("empty").taskDefinition("sleeper")))
                .hasMessageContaining("No Container Instances were found in your cluster.");
        try (EcsClient forger = client("not-the-secret")) {
            assertThatThrownBy(forger::listClusters).isInstanceOf(EcsException.class)
                    .hasMessageContaining("signature");
        }
        assertThat(post(plane.endpoint(), new byte[dev.stevedore.server.EdgeLimits.DEFAULT_MAX_BODY_BYTES + 1]).statusCode()).isEqualTo(413);

        HttpResponse<String> response = get(plane.endpoint() + "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        PrometheusText server = PrometheusText.parse(response.body());
        assertThat(server.type("stevedore_api_requests_seconds")).contains("histogram");
        assertThat(server.value("stevedore_api_requests_seconds_count",
                Map.of("service", "ecs", "operation", "RunTask", "outcome", "Success"))).contains((double) BURST + TOO_BIG);
        assertThat(server.value("stevedore_api_requests_seconds_count",
                Map.of("service", "ecs", "operation", "RegisterTaskDefinition", "outcome", "Success"))).contains(3.0);
        assertThat(server.value("stevedore_api_signature_failures_total", Map.of("service", "ecs",
                "reason", "SIGNATURE_MISMATCH", "code", "InvalidSignatureException"))).contains(1.0);
        assertThat(server.value("stevedore_edge_refusals_total", Map.of("reason", "too_large"))).contains(1.0);
        assertThat(server.value("stevedore_placement_tasks_placed_total", Map.of())).contains((double) BURST);
        assertThat(server.value("stevedore_placement_tasks_failed_total", Map.of("reason", "RESOURCE:MEMORY")))
                .contains((double) TOO_BIG);
        assertThat(server.value("stevedore_placement_jobs_refused_total", Map.of("code", "InvalidParameterException")))
                .contains(1.0);
        assertThat(server.value("stevedore_placement_queue_wait_seconds_count", Map.of()))
                .contains((double) BURST + TOO_BIG + 1);
        assertThat(server.value("stevedore_placement_batch_jobs_sum", Map.of())).contains((double) BURST + TOO_BIG + 1);
        // The burst's placements ride in a few plan-applier batches, a commit each.
        assertThat(server.value("stevedore_store_commit_seconds_count", Map.of())).hasValueSatisfying(
                n -> assertThat(n).isPositive());
        assertThat(server.value("stevedore_store_sync_seconds_count", Map.of())).hasValueSatisfying(
                n -> assertThat(n).isPositive());

        await().atMost(WAIT).until(() -> scrape(plane.endpoint()).value("stevedore_tasks", Map.of("account",
                "123456789012", "region", "us-east-1", "cluster", "default", "last_status", "RUNNING"))
                .orElse(0.0) == BURST);
        assertThat(scrape(plane.endpoint()).sum("stevedore_tasks", Map.of("cluster", "default"))).isEqualTo(BURST);
        assertThat(scrape(plane.endpoint()).value("stevedore_feed_lag_revisions", Map.of())).isPresent();

        String agentEndpoint = "http://127.0.0.1:" + agentMetrics.port();
        await().atMost(WAIT).until(() -> scrape(agentEndpoint).value("stevedore_agent_reports_pending", Map.of())
                .orElse(-1.0) == 0.0);
        PrometheusText onAgent = scrape(agentEndpoint);
        assertThat(onAgent.value("stevedore_agent_tasks", Map.of("last_status", "RUNNING"))).contains((double) BURST);
        assertThat(onAgent.value("stevedore_agent_container_starts_seconds_count", Map.of("outcome", "ok")))
                .contains((double) BURST);
        assertThat(onAgent.value("stevedore_agent_docker_calls_seconds_count",
                Map.of("call", "createContainer", "outcome", "ok"))).contains((double) BURST);
        assertThat(onAgent.type("stevedore_agent_docker_calls_seconds")).contains("histogram");

        Set<String> exported = new HashSet<>(taskStatsOfTheBurningTask(burner).names());
        exported.addAll(onAgent.names());
        assertThat(dashboardMetricNames()).isNotEmpty().allSatisfy(name -> assertThat(exported).contains(name));
    }

    /**
     * Waits until the spinning task's stats reach the server: its history through the server's door
     * and its group's use on {@code /metrics}, where the sleepers of the burst are counted too.
     * Returns that scrape.
     */
    private PrometheusText taskStatsOfTheBurningTask(String arn) throws Exception {
        Map<String, String> burners = Map.of("account", "123456789012", "region", "us-east-1", "cluster", "default",
                "group", "family:burner");
        // A task has stats from its second sampling round on; the sleepers may have started a round later.
        try {
            await().atMost(WAIT).until(() -> {
                PrometheusText now = scrape(plane.endpoint());
                return now.value("stevedore_task_cpu_vcpus", burners).orElse(0.0) > 0 && now.sum(
                        "stevedore_task_stats_tasks", Map.of("cluster", "default", "group", "family:sleeper")) == BURST - 1;
            });
        } catch (ConditionTimeoutException e) {
            // What the server had, for the one who reads the failure.
            throw new AssertionError("task stats on /metrics: " + get(plane.endpoint() + "/metrics").body().lines()
                    .filter(l -> l.startsWith("stevedore_task_")).toList() + "; the agent's tasks: "
                    + agent.engine().tasks().stream().map(t -> t.lastStatus()).toList(), e);
        }
        PrometheusText scraped = scrape(plane.endpoint());
        assertThat(scraped.value("stevedore_task_memory_bytes", burners)).hasValueSatisfying(
                bytes -> assertThat(bytes).isPositive());
        assertThat(scraped.value("stevedore_task_stats_tasks", burners)).contains(1.0);
        assertThat(scraped.type("stevedore_task_cpu_vcpus")).contains("gauge");
        assertThat(plane.taskStats().history(arn)).isNotEmpty()
                .anySatisfy(sample -> assertThat(sample.cpuVcpus()).isPositive())
                .allSatisfy(sample -> assertThat(sample.memoryBytes()).isPositive());
        return scraped;
    }

    /** Every metric the Grafana dashboard in the repository queries. */
    private static Set<String> dashboardMetricNames() throws IOException {
        Matcher names = Pattern.compile("stevedore_[a-z_]+")
                .matcher(Files.readString(Path.of("..", "ops", "grafana", "stevedore.json")));
        Set<String> found = new HashSet<>();
        while (names.find()) {
            found.add(names.group());
        }
        return found;
    }

    @Test
    void onlyGetIsAnswered() throws Exception {
        assertThat(post(plane.endpoint() + "/metrics", new byte[0]).statusCode()).isEqualTo(405);
        HttpResponse<String> onAgent = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + agentMetrics.port() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(onAgent.statusCode()).isEqualTo(405);
    }

    private EcsClient client(String secret) {
        return EcsClient.builder().endpointOverride(URI.create(plane.endpoint())).region(Region.US_EAST_1)
                .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, secret))).build();
    }

    private PrometheusText scrape(String endpoint) throws IOException, InterruptedException {
        HttpResponse<String> response = get(endpoint + "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    private HttpResponse<String> get(String uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String uri, byte[] body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).header("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void removeContainersOf(String instanceArn) throws IOException, InterruptedException {
        Process list = new ProcessBuilder("/usr/bin/docker", "ps", "-aq", "--filter",
                "label=" + Labels.CONTAINER_INSTANCE + "=" + instanceArn).start();
        List<String> ids = new String(list.getInputStream().readAllBytes()).lines().filter(l -> !l.isBlank()).toList();
        list.waitFor();
        if (!ids.isEmpty()) {
            List<String> command = new ArrayList<>(List.of("/usr/bin/docker", "rm", "-f"));
            command.addAll(ids);
            new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
        }
    }
}
