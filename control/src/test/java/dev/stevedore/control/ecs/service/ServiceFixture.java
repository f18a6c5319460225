package dev.stevedore.control.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.ecs.service.rollout.RolloutSettings;
import dev.stevedore.store.InMemoryStateStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster {@code c} of three instances (one per zone) with {@link FakeAgents}, the real API and
 * service controller over an in-memory store, and the calls service tests make over and over.
 * Timings are shortened: a task without a health check counts as healthy 300 ms after it runs.
 */
final class ServiceFixture implements AutoCloseable {
    static final Duration HEALTHY_AFTER = Duration.ofMillis(300);

    final EcsHarness ecs;
    final FakeAgents agents;

    ServiceFixture() {
        this(new RolloutSettings(HEALTHY_AFTER, Duration.ofMillis(500)));
    }

    ServiceFixture(RolloutSettings settings) {
        this(settings, new InMemoryStateStore(), null);
    }

    /** The fixture whose services register their tasks in the target groups of {@code targets}. */
    ServiceFixture(InMemoryStateStore store, InMemoryTargets targets) {
        this(new RolloutSettings(HEALTHY_AFTER, Duration.ofMillis(500)), store, targets);
    }

    private ServiceFixture(RolloutSettings settings, InMemoryStateStore store, InMemoryTargets targets) {
        ecs = targets == null ? new EcsHarness(store, settings)
                : new EcsHarness(store, dev.stevedore.control.ecs.ControllerSettings.defaults().withRollout(settings),
                        dev.stevedore.control.ecs.task.TaskRoleTrust.ANY, targets);
        ecs.call("CreateCluster", "{\"clusterName\": \"c\"}");
        for (String zone : List.of("us-east-1a", "us-east-1b", "us-east-1c")) {
            ecs.registerInstance("c", 4096, 8192, zone);
        }
        agents = new FakeAgents(ecs, "c");
    }

    /** Registers a one-container definition and returns its ARN. */
    String register(String family, String image) {
        return ecs.call("RegisterTaskDefinition", """
                {"family": "%s", "containerDefinitions": [{"name": "app", "image": "%s", "memory": 128}]}
                """.formatted(family, image)).at("/taskDefinition/taskDefinitionArn").asText();
    }

    JsonNode call(String operation, String json) {
        return ecs.call(operation, json);
    }

    /** CreateService in {@code c}; returns the id of its first deployment. */
    String create(String name, String taskDefinition, int desiredCount) {
        return ecs.call("CreateService", """
                {"cluster": "c", "serviceName": "%s", "taskDefinition": "%s", "desiredCount": %d}"""
                .formatted(name, taskDefinition, desiredCount)).at("/service/deployments/0/id").asText();
    }

    /** UpdateService to a new task definition; returns the id of the deployment that starts. */
    String deploy(String name, String taskDefinition) {
        return ecs.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"" + name + "\", \"taskDefinition\": \""
                + taskDefinition + "\"}").at("/service/deployments/0/id").asText();
    }

    /** UpdateService of the desired count only. */
    void scale(String name, int desiredCount) {
        ecs.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"" + name + "\", \"desiredCount\": "
                + desiredCount + "}");
    }

    JsonNode service(String name) {
        return ecs.call("DescribeServices", "{\"cluster\": \"c\", \"services\": [\"" + name + "\"]}").at("/services/0");
    }

    /** One deployment, COMPLETED, running the desired count. */
    boolean stable(String name) {
        JsonNode s = service(name);
        return s.at("/deployments").size() == 1 && s.at("/runningCount").asInt() == s.at("/desiredCount").asInt()
                && s.at("/deployments/0/rolloutState").asText().equals("COMPLETED");
    }

    /** Every task of the service has been RUNNING long enough to count as healthy (it has no health check). */
    boolean healthy(String name) {
        List<String> arns = tasks(name);
        return !arns.isEmpty() && arns.stream().allMatch(arn -> {
            JsonNode t = ecs.call("DescribeTasks", "{\"cluster\": \"c\", \"tasks\": [\"" + arn + "\"]}").at("/tasks/0");
            return t.has("startedAt") && Instant.ofEpochMilli((long) (t.get("startedAt").asDouble() * 1000))
                    .plus(HEALTHY_AFTER).isBefore(Instant.now());
        });
    }

    List<String> events(String name) {
        List<String> out = new ArrayList<>();
        service(name).at("/events").forEach(e -> out.add(e.at("/message").asText()));
        return out;
    }

    /** The ARNs of the service's tasks whose desired status is RUNNING. */
    List<String> tasks(String name) {
        List<String> out = new ArrayList<>();
        ecs.call("ListTasks", "{\"cluster\": \"c\", \"serviceName\": \"" + name + "\"}").at("/taskArns")
                .forEach(arn -> out.add(arn.asText()));
        return out;
    }

    @Override
    public void close() {
        try {
            agents.close();
        } finally {
            ecs.api.close();
        }
    }
}
