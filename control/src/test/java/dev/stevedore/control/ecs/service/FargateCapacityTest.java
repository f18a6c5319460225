package dev.stevedore.control.ecs.service;

import dev.stevedore.control.ecs.fargate.PlatformPool;
import dev.stevedore.control.ecs.fargate.VpcFixture;
import dev.stevedore.control.ecs.service.rollout.RolloutSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Fargate service when the platform has no room: ECS's event, and the service's tasks start as
 * soon as a platform host joins. The retry after a failed placement is an hour here, so only the
 * host joining can wake the service in time.
 */
class FargateCapacityTest {
    private ServiceFixture f;

    @BeforeEach
    void setUp() {
        f = new ServiceFixture(new RolloutSettings(ServiceFixture.HEALTHY_AFTER, Duration.ofHours(1)));
        f.call("RegisterTaskDefinition", """
                {"family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
                 "cpu": "256", "memory": "512",
                 "containerDefinitions": [{"name": "app", "image": "busybox", "essential": true}]}""");
        VpcFixture.subnet(f.ecs.store, "subnet-a", "vpc-1", "us-east-1a", "10.0.0.0/24");
        VpcFixture.securityGroup(f.ecs.store, "sg-default", "vpc-1", "default");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void withoutRoomOnThePlatformTheServiceSaysSoAndStartsWhenAHostJoins() {
        f.call("CreateService", """
                {"cluster": "c", "serviceName": "api", "taskDefinition": "web", "desiredCount": 2, "launchType": "FARGATE",
                 "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a"]}}}""");
        await().atMost(Duration.ofSeconds(20)).until(() -> f.events("api").contains("(service api) was unable to place a "
                + "task. Reason: Capacity is unavailable at this time. Please try again later or in a different "
                + "availability zone."));
        assertThat(f.tasks("api")).isEmpty();
        f.ecs.registerInstance(PlatformPool.CLUSTER, 4096, 8192, "us-east-1a");
        await().atMost(Duration.ofSeconds(20)).until(() -> f.stable("api") && f.tasks("api").size() == 2);
    }
}
