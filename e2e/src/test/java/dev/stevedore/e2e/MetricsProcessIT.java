package dev.stevedore.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runnable jar's {@code /metrics}: the server's on its API port, and an agent's started with
 * {@code stevedore agent --metrics-port}, after tasks ran on that agent. (The format itself is read
 * strictly by the server module's {@code MetricsIT}; here the point is the product as shipped.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@UsesDockerEngine
class MetricsProcessIT {
    static final String IMAGE = "stevedore-test/busybox:latest";
    final String cluster = "metrics-" + Long.toHexString(System.nanoTime());
    final HttpClient http = HttpClient.newHttpClient();
    StevedoreProcess server;
    AgentProcess agent;
    EcsClient ecs;
    int agentMetricsPort;

    @BeforeAll
    void start() throws Exception {
        Path root = Files.createTempDirectory("stevedore-metrics");
        int port = StevedoreProcess.freePort();
        server = StevedoreProcess.start(root.resolve("server"), port);
        ecs = server.ecs();
        ecs.createCluster(r -> r.clusterName(cluster));
        agentMetricsPort = StevedoreProcess.freePort();
        agent = AgentProcess.startWithMetrics(port, cluster, root.resolve("agent"), "i-00000000000000m01", "us-east-1a",
                1024, 512, agentMetricsPort);
        await().atMost(Duration.ofSeconds(60)).until(() -> !ecs.listContainerInstances(r -> r.cluster(cluster))
                .containerInstanceArns().isEmpty());
    }

    @AfterAll
    void stop() {
        if (agent != null) {
            agent.close();
        }
        if (ecs != null) {
            ecs.close();
        }
        if (server != null) {
            server.close();
        }
        Docker.removeCluster("arn:aws:ecs:" + InProcessStevedore.REGION + ":" + InProcessStevedore.ACCOUNT
                + ":cluster/" + cluster);
    }

    @Test
    void theServerAndTheAgentCountTheTasksThatRan() throws Exception {
        ecs.registerTaskDefinition(r -> r.family("metrics-sleeper").containerDefinitions(c -> c.name("main")
                .image(IMAGE).memory(16).command("sleep", "600")));
        await().atMost(Duration.ofSeconds(60)).until(() -> value(serverMetrics(),
                "stevedore_agents_connected").orElse(0.0) == 1.0);
        RunTaskResponse run = ecs.runTask(r -> r.cluster(cluster).taskDefinition("metrics-sleeper").count(2));
        assertThat(run.tasks()).hasSize(2);
        List<String> arns = run.tasks().stream().map(Task::taskArn).toList();
        await().atMost(Duration.ofSeconds(60)).until(() -> ecs.describeTasks(r -> r.cluster(cluster).tasks(arns))
                .tasks().stream().allMatch(t -> t.lastStatus().equals("RUNNING")));

        String agentMetrics = "http://127.0.0.1:" + agentMetricsPort + "/metrics";
        assertThat(value(serverMetrics(), "stevedore_api_requests_seconds_count"
                + "{operation=\"RunTask\",outcome=\"Success\",service=\"ecs\"}")).contains(1.0);
        assertThat(value(serverMetrics(), "stevedore_placement_tasks_placed_total")).contains(2.0);
        await().atMost(Duration.ofSeconds(30)).until(() -> value(serverMetrics(),
                "stevedore_tasks{account=\"" + InProcessStevedore.ACCOUNT + "\",cluster=\"" + cluster
                        + "\",last_status=\"RUNNING\",region=\"" + InProcessStevedore.REGION + "\"}").orElse(0.0) == 2.0);
        assertThat(value(agentMetrics, "stevedore_agent_container_starts_seconds_count{outcome=\"ok\"}")).contains(2.0);
        assertThat(value(agentMetrics, "stevedore_agent_tasks{last_status=\"RUNNING\"}")).contains(2.0);
        assertThat(agent.output()).contains("metrics at " + agentMetrics);
    }

    private String serverMetrics() {
        return "http://127.0.0.1:" + server.port + "/metrics";
    }

    /** The value of one sample, found by its exact name and labels as Micrometer writes them (sorted). */
    private Optional<Double> value(String uri, String sample) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        Matcher line = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE).matcher(response.body());
        return line.find() ? Optional.of(Double.parseDouble(line.group(1))) : Optional.empty();
    }
}
