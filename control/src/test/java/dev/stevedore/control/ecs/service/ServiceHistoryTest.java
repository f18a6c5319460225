package dev.stevedore.control.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ecs.EcsHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The deployment history API (ListServiceDeployments, DescribeServiceDeployments,
 * DescribeServiceRevisions) and StopServiceDeployment, over the real API, store and service
 * controller with {@link FakeAgents}.
 */
class ServiceHistoryTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String REVISION_ARN = EcsHarness.arn("service-revision/c/api/") + "[0-9]{19}";
    private static final String DEPLOYMENT_ARN = EcsHarness.arn("service-deployment/c/api/") + "[A-Za-z0-9_-]{21}";

    private ServiceFixture f;

    @BeforeEach
    void setUp() {
        f = new ServiceFixture();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private JsonNode list(String extra) {
        return f.call("ListServiceDeployments", "{\"cluster\": \"c\", \"service\": \"api\"" + extra + "}");
    }

    private List<String> listed(String extra, String member) {
        List<String> out = new ArrayList<>();
        list(extra).at("/serviceDeployments").forEach(sd -> out.add(sd.at("/" + member).asText()));
        return out;
    }

    private JsonNode describe(String serviceDeploymentArn) {
        return f.call("DescribeServiceDeployments", "{\"serviceDeploymentArns\": [\"" + serviceDeploymentArn + "\"]}")
                .at("/serviceDeployments/0");
    }

    private static String revisionOf(String deploymentId) {
        return EcsHarness.arn("service-revision/c/api/") + deploymentId.substring("ecs-svc/".length());
    }

    private String stop(String serviceDeploymentArn, String stopType) {
        return f.call("StopServiceDeployment", "{\"serviceDeploymentArn\": \"" + serviceDeploymentArn
                + "\", \"stopType\": \"" + stopType + "\"}").at("/serviceDeploymentArn").asText();
    }

    @Test
    void theHistoryHasEveryDeploymentNewestFirstWithItsRevisions() {
        f.register("web", "busybox:1");
        f.register("web", "busybox:2");
        f.register("stuck", "busybox:never");
        f.agents.behave("stuck", FakeAgents.Behaviour.STAY_PENDING);
        String d1 = f.create("api", "web:1", 2);
        // Healthy, the first deployment's tasks stay while the next ones never come up.
        await().atMost(WAIT).until(() -> f.stable("api") && f.healthy("api"));
        String d2 = f.deploy("api", "stuck");
        // createdAt counts milliseconds, and the time filters below need the second and third apart.
        long d2Answered = System.currentTimeMillis();
        await().atMost(WAIT).until(() -> System.currentTimeMillis() > d2Answered);
        // The third deployment supersedes the second, which never completes.
        String d3 = f.deploy("api", "web:2");
        await().atMost(WAIT).until(() -> f.stable("api") && listed("", "status").getFirst().equals("SUCCESSFUL"));

        JsonNode all = list("").at("/serviceDeployments");
        assertThat(all).hasSize(3);
        assertThat(list("").has("nextToken")).isFalse();
        assertThat(listed("", "status")).containsExactly("SUCCESSFUL", "STOPPED", "SUCCESSFUL");
        assertThat(listed("", "targetServiceRevisionArn")).containsExactly(revisionOf(d3), revisionOf(d2), revisionOf(d1))
                .allSatisfy(arn -> assertThat(arn).matches(REVISION_ARN));
        assertThat(listed("", "serviceDeploymentArn")).allSatisfy(arn -> assertThat(arn).matches(DEPLOYMENT_ARN));
        assertThat(all.get(0).at("/serviceArn").asText()).isEqualTo(EcsHarness.arn("service/c/api"));
        assertThat(all.get(0).at("/clusterArn").asText()).isEqualTo(EcsHarness.arn("cluster/c"));
        assertThat(all.get(0).has("finishedAt")).isTrue();
        assertThat(f.service("api").at("/currentServiceDeployment").asText())
                .isEqualTo(all.get(0).at("/serviceDeploymentArn").asText());

        JsonNode third = describe(all.get(0).at("/serviceDeploymentArn").asText());
        assertThat(third.at("/targetServiceRevision/arn").asText()).isEqualTo(revisionOf(d3));
        List<String> sources = new ArrayList<>();
        third.at("/sourceServiceRevisions").forEach(s -> sources.add(s.at("/arn").asText()));
        assertThat(sources).containsExactly(revisionOf(d2), revisionOf(d1));
        assertThat(third.at("/targetServiceRevision/runningTaskCount").asInt()).isEqualTo(2);
        assertThat(third.has("startedAt") && third.has("finishedAt")).isTrue();
        JsonNode second = describe(all.get(1).at("/serviceDeploymentArn").asText());
        assertThat(second.has("stoppedAt")).isTrue();
        assertThat(describe(all.get(2).at("/serviceDeploymentArn").asText()).at("/sourceServiceRevisions")).isEmpty();

        // Filters: by status, and by creation time (both bounds exclusive).
        assertThat(listed(", \"status\": [\"STOPPED\"]", "targetServiceRevisionArn")).containsExactly(revisionOf(d2));
        assertThat(listed(", \"status\": [\"SUCCESSFUL\", \"ROLLBACK_SUCCESSFUL\"]", "targetServiceRevisionArn"))
                .containsExactly(revisionOf(d3), revisionOf(d1));
        String firstCreated = all.get(2).at("/createdAt").asText();
        String lastCreated = all.get(0).at("/createdAt").asText();
        assertThat(listed(", \"createdAt\": {\"after\": " + firstCreated + "}", "targetServiceRevisionArn"))
                .containsExactly(revisionOf(d3), revisionOf(d2));
        assertThat(listed(", \"createdAt\": {\"before\": " + lastCreated + "}", "targetServiceRevisionArn"))
                .containsExactly(revisionOf(d2), revisionOf(d1));

        // Pages of one, in the same order, the last without a token.
        List<String> paged = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = list(", \"maxResults\": 1" + (token == null ? "" : ", \"nextToken\": \"" + token + "\""));
            assertThat(page.at("/serviceDeployments")).hasSize(1);
            paged.add(page.at("/serviceDeployments/0/targetServiceRevisionArn").asText());
            token = page.has("nextToken") ? page.get("nextToken").asText() : null;
        } while (token != null);
        assertThat(paged).containsExactly(revisionOf(d3), revisionOf(d2), revisionOf(d1));

        f.ecs.fails("ListServiceDeployments", "{\"cluster\": \"c\", \"service\": \"api\", \"maxResults\": 101}",
                "InvalidParameterException");
        f.ecs.fails("ListServiceDeployments", "{\"cluster\": \"c\", \"service\": \"nope\"}", "ServiceNotFoundException");
        f.ecs.fails("ListServiceDeployments", "{\"cluster\": \"nope\", \"service\": \"api\"}", "ClusterNotFoundException");
        JsonNode missing = f.call("DescribeServiceDeployments", "{\"serviceDeploymentArns\": [\""
                + EcsHarness.arn("service-deployment/c/api/AAAAAAAAAAAAAAAAAAAAA") + "\"]}");
        assertThat(missing.at("/serviceDeployments")).isEmpty();
        assertThat(missing.at("/failures/0/reason").asText()).isEqualTo("MISSING");
    }

    @Test
    void aServiceRevisionIsTheConfigurationItRollsOut() {
        String td = f.register("web", "busybox:1");
        f.create("api", "web", 1);
        String revision = listed("", "targetServiceRevisionArn").getFirst();
        String unknown = EcsHarness.arn("service-revision/c/api/1234567890123456789");
        JsonNode r = f.call("DescribeServiceRevisions", "{\"serviceRevisionArns\": [\"" + revision + "\", \"" + unknown + "\"]}");

        JsonNode found = r.at("/serviceRevisions/0");
        assertThat(found.at("/serviceRevisionArn").asText()).isEqualTo(revision);
        assertThat(found.at("/serviceArn").asText()).isEqualTo(EcsHarness.arn("service/c/api"));
        assertThat(found.at("/clusterArn").asText()).isEqualTo(EcsHarness.arn("cluster/c"));
        assertThat(found.at("/taskDefinition").asText()).isEqualTo(td);
        assertThat(found.at("/launchType").asText()).isEqualTo("EC2");
        assertThat(found.at("/containerImages")).hasSize(1);
        assertThat(found.at("/containerImages/0/containerName").asText()).isEqualTo("app");
        assertThat(found.at("/containerImages/0/image").asText()).isEqualTo("busybox:1");
        assertThat(found.has("createdAt")).isTrue();
        assertThat(r.at("/failures")).hasSize(1);
        assertThat(r.at("/failures/0/arn").asText()).isEqualTo(unknown);
        assertThat(r.at("/failures/0/reason").asText()).isEqualTo("MISSING");

        String many = String.join(",", java.util.Collections.nCopies(21, "\"" + revision + "\""));
        f.ecs.fails("DescribeServiceRevisions", "{\"serviceRevisionArns\": [" + many + "]}", "InvalidParameterException");
        f.ecs.fails("DescribeServiceRevisions", "{\"serviceRevisionArns\": []}", "InvalidParameterException");
    }

    @Test
    void stoppingADeploymentThatNeverGetsHealthyRollsTheServiceBack() {
        String good = f.register("web", "busybox:1");
        f.register("stuck", "busybox:never");
        f.agents.behave("stuck", FakeAgents.Behaviour.STAY_PENDING);
        String d1 = f.create("api", "web", 2);
        await().atMost(WAIT).until(() -> f.stable("api"));
        String d2 = f.deploy("api", "stuck");
        String stuckArn = list("").at("/serviceDeployments/0/serviceDeploymentArn").asText();
        // The new deployment's tasks are placed and stay PENDING: it is rolling out and never completes.
        await().atMost(WAIT).until(() -> f.service("api").at("/pendingCount").asInt() > 0);
        assertThat(describe(stuckArn).at("/status").asText()).isIn("PENDING", "IN_PROGRESS");

        assertThat(stop(stuckArn, "ROLLBACK")).isEqualTo(stuckArn);

        JsonNode stopped = describe(stuckArn);
        assertThat(stopped.at("/status").asText()).isIn("ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS", "ROLLBACK_SUCCESSFUL");
        assertThat(stopped.at("/rollback/serviceRevisionArn").asText()).isEqualTo(revisionOf(d1));
        assertThat(stopped.at("/rollback/reason").asText()).isEqualTo("ECS deployment stopped: rollback requested.");
        await().atMost(WAIT).until(() -> f.stable("api") && f.service("api").at("/deployments/0/id").asText().equals(d1)
                && describe(stuckArn).at("/status").asText().equals("ROLLBACK_SUCCESSFUL"));

        JsonNode service = f.service("api");
        assertThat(service.at("/taskDefinition").asText()).isEqualTo(good);
        assertThat(service.at("/runningCount").asInt()).isEqualTo(2);
        assertThat(service.at("/deployments/0/rolloutStateReason").asText()).isEqualTo("ECS deployment " + d1 + " completed.");
        assertThat(service.at("/deployments").toString()).doesNotContain(d2);
        assertThat(f.tasks("api")).hasSize(2).allSatisfy(arn -> assertThat(f.call("DescribeTasks",
                "{\"cluster\": \"c\", \"tasks\": [\"" + arn + "\"]}").at("/tasks/0/taskDefinitionArn").asText()).isEqualTo(good));
        assertThat(describe(stuckArn).has("finishedAt")).isTrue();
        // The deployment rolled back to stays as it was in the history; the stopped one cannot be stopped again.
        assertThat(listed(", \"status\": [\"SUCCESSFUL\"]", "targetServiceRevisionArn")).containsExactly(revisionOf(d1));
        f.ecs.fails("StopServiceDeployment", "{\"serviceDeploymentArn\": \"" + stuckArn + "\"}", "ConflictException");
    }

    @Test
    void aStopIsRefusedWithoutAnOngoingDeploymentToRollBackFromOrACompletedOneToReturnTo() {
        f.register("web", "busybox:1");
        f.register("stuck", "busybox:never");
        f.agents.behave("stuck", FakeAgents.Behaviour.STAY_PENDING);
        f.create("api", "stuck", 1);
        String first = list("").at("/serviceDeployments/0/serviceDeploymentArn").asText();

        f.ecs.fails("StopServiceDeployment", "{\"serviceDeploymentArn\": \"" + first + "\", \"stopType\": \"ABORT\"}",
                "InvalidParameterException");
        // Its first deployment has nothing completed before it.
        f.ecs.fails("StopServiceDeployment", "{\"serviceDeploymentArn\": \"" + first + "\", \"stopType\": \"ROLLBACK\"}",
                "ConflictException");
        f.ecs.fails("StopServiceDeployment", "{\"serviceDeploymentArn\": \""
                + EcsHarness.arn("service-deployment/c/api/AAAAAAAAAAAAAAAAAAAAA") + "\"}", "ServiceDeploymentNotFoundException");
        assertThat(describe(first).at("/status").asText()).isIn("PENDING", "IN_PROGRESS");

        f.create("done", "web", 1);
        String done = f.call("ListServiceDeployments", "{\"cluster\": \"c\", \"service\": \"done\"}")
                .at("/serviceDeployments/0/serviceDeploymentArn").asText();
        await().atMost(WAIT).until(() -> describe(done).at("/status").asText().equals("SUCCESSFUL"));
        f.ecs.fails("StopServiceDeployment", "{\"serviceDeploymentArn\": \"" + done + "\"}", "ConflictException");
    }
}
