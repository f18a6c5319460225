package dev.stevedore.control.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ecs.ControllerSettings;
import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.ecs.agent.AgentStates;
import dev.stevedore.control.ecs.service.rollout.RolloutSettings;
import dev.stevedore.store.InMemoryStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The plan applier sees every change the service scheduler reacts to before the scheduler's job
 * reaches it (both follow the one cluster feed, the applier first), so a service waiting for
 * capacity takes an instance the moment its agent connects, instead of being refused by a view
 * that still has the agent away and waiting for its next retry (a minute here).
 */
class PlacementFollowsControllerTest {
    private EcsHarness ecs;
    private FakeAgents agents;

    @BeforeEach
    void setUp() {
        ecs = new EcsHarness(new InMemoryStateStore(), new ControllerSettings(
                new RolloutSettings(Duration.ofMillis(200), Duration.ofMinutes(1)), Duration.ofMinutes(10)));
        ecs.call("CreateCluster", "{\"clusterName\": \"c\"}");
        ecs.call("RegisterTaskDefinition", """
                {"family": "web", "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 128}]}""");
        agents = new FakeAgents(ecs, "c");
    }

    @AfterEach
    void tearDown() {
        agents.close();
        ecs.api.close();
    }

    @Test
    void aServiceWaitingForCapacityTakesAnInstanceAsSoonAsItsAgentConnects() {
        String instance = ecs.registerInstance("c", 4096, 8192, "us-east-1a");
        AgentStates.InstanceRef ref = AgentStates.InstanceRef.parse(instance).orElseThrow();
        for (int round = 0; round < 10; round++) {
            ecs.api.agentStates().setConnected(ref, false);
            String name = "api" + round;
            ecs.call("CreateService", "{\"cluster\": \"c\", \"serviceName\": \"" + name
                    + "\", \"taskDefinition\": \"web\", \"desiredCount\": 1}");
            await().atMost(Duration.ofSeconds(10)).until(() -> service(name).at("/events").toString()
                    .contains("was unable to place a task"));
            long connected = System.nanoTime();
            ecs.api.agentStates().setConnected(ref, true);
            await().atMost(Duration.ofSeconds(20)).until(() -> service(name).at("/runningCount").asInt() == 1);
            assertThat(Duration.ofNanos(System.nanoTime() - connected)).as("round " + round)
                    .isLessThan(Duration.ofSeconds(10));
            ecs.call("DeleteService", "{\"cluster\": \"c\", \"service\": \"" + name + "\", \"force\": true}");
        }
    }

    private JsonNode service(String name) {
        return ecs.call("DescribeServices", "{\"cluster\": \"c\", \"services\": [\"" + name + "\"]}").at("/services/0");
    }
}
