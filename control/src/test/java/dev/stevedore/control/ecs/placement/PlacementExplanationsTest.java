package dev.stevedore.control.ecs.placement;

import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.ecs.EcsScope;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What "why is this task not running" reads: the plan applier's last failed placement of each task group. */
class PlacementExplanationsTest {
    private static final EcsScope SCOPE = new EcsScope(EcsHarness.ACCOUNT, EcsHarness.REGION);

    @Test
    void aGroupsLastFailedPlacementIsKeptWithEachFiltersRejectionsUntilItPlacesEverything() {
        EcsHarness ecs = new EcsHarness();
        ecs.call("CreateCluster", "{\"clusterName\": \"default\"}");
        ecs.call("RegisterTaskDefinition", """
                {"family": "web", "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 256}]}""");
        String small = ecs.registerInstance("default", 1024, 200, "us-east-1a");
        PlacementExplanations.Group web = new PlacementExplanations.Group(SCOPE, "default", "family:web");

        ecs.call("RunTask", "{\"taskDefinition\": \"web\", \"count\": 2}");

        PlacementExplanations.Explanation why = ecs.api.placementExplanations().last(web).orElseThrow();
        assertThat(why.asked()).isEqualTo(2);
        assertThat(why.placed()).isZero();
        assertThat(why.failures()).hasSize(2);
        assertThat(why.failures().getFirst().reason()).isEqualTo("RESOURCE:MEMORY");
        assertThat(why.failures().getFirst().arn()).isEqualTo(small);
        assertThat(why.failures().getFirst().detail()).contains("memory");
        assertThat(ecs.api.placementExplanations().ofCluster(SCOPE, "default")).containsExactly(why);

        ecs.registerInstance("default", 1024, 1024, "us-east-1b");
        ecs.call("RunTask", "{\"taskDefinition\": \"web\"}");

        assertThat(ecs.api.placementExplanations().last(web)).isEmpty();
    }
}
