package dev.stevedore.scheduler;

import static dev.stevedore.scheduler.RandomClusters.GROUP;
import static dev.stevedore.scheduler.RandomClusters.ZONES;
import static dev.stevedore.scheduler.RandomClusters.forEachSeed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Properties of {@link Scheduler#place} over clusters and requests generated from explicit seeds
 * (see {@link RandomClusters}); a failure names the seed that reproduces it.
 */
class PlacementPropertiesTest {

    private static final int SEEDS = 500;

    /** Places, unless the launch type has no instance at all (which the scheduler reports by exception). */
    static Optional<PlacementPlan> placeIfAny(ClusterSnapshot snapshot, PlacementRequest request) {
        boolean anyOfLaunchType = snapshot.instances().stream().anyMatch(
                i -> i.hasAttribute(LaunchType.EXTERNAL_ATTRIBUTE) == (request.launchType() == LaunchType.EXTERNAL));
        return anyOfLaunchType ? Optional.of(Scheduler.place(snapshot, request)) : Optional.empty();
    }

    @Test
    void neverOverCommitsAndEveryPlacementPassesEveryFilter() {
        int[] plans = new int[2];
        forEachSeed(SEEDS, seed -> {
            RandomClusters gen = new RandomClusters(seed);
            ClusterSnapshot snapshot = ClusterSnapshot.of(gen.cluster(12));
            PlacementRequest request = gen.request();
            Optional<PlacementPlan> placed = placeIfAny(snapshot, request);
            if (placed.isEmpty()) {
                return;
            }
            PlacementPlan plan = placed.get();
            checkEveryPlacementFits(snapshot, request, plan);
            plans[0]++;
            plans[1] += plan.placements().isEmpty() ? 0 : 1;
        });
        // Guard against a generator that makes the property vacuous: plans must often place tasks.
        assertThat(plans[1]).as("plans that placed something, of %d", plans[0]).isGreaterThan(plans[0] / 5);
    }

    /**
     * Every placement fits its instance as the earlier placements left it, passes the request's
     * memberOf constraints and launch type, and every task index is accounted for once.
     */
    static void checkEveryPlacementFits(ClusterSnapshot snapshot, PlacementRequest request, PlacementPlan plan) {
        Map<String, InstanceState> current = new HashMap<>();
        snapshot.instances().forEach(i -> current.put(i.arn(), i));
        for (Placement placement : plan.placements()) {
            InstanceState before = current.get(placement.instanceArn());
            assertThat(Scheduler.fits(before, request.task()).fits()).as("fits %s", placement).isTrue();
            for (PlacementConstraint constraint : request.constraints()) {
                if (constraint instanceof PlacementConstraint.MemberOf memberOf) {
                    assertThat(memberOf.expression().matches(before)).as("memberOf %s", memberOf).isTrue();
                }
            }
            assertThat(before.hasAttribute(LaunchType.EXTERNAL_ATTRIBUTE))
                    .isEqualTo(request.launchType() == LaunchType.EXTERNAL);
            // withTask refuses a port taken twice or a resource below zero.
            InstanceState after = before.withTask(request.task(), request.group());
            assertThat(after.remaining().cpu()).isNotNegative();
            assertThat(after.remaining().memoryMiB()).isNotNegative();
            assertThat(after.remaining().eniAttachments()).isNotNegative();
            current.put(placement.instanceArn(), after);
        }
        List<Integer> taskIndexes = new ArrayList<>();
        plan.placements().forEach(p -> taskIndexes.add(p.taskIndex()));
        plan.failures().forEach(f -> taskIndexes.add(f.taskIndex()));
        Collections.sort(taskIndexes);
        assertThat(taskIndexes).isEqualTo(IntStream.range(0, request.count()).boxed().toList());
    }

    @Test
    void theSameSeedGivesTheSamePlanWhateverTheSnapshotOrder() {
        forEachSeed(SEEDS, seed -> {
            RandomClusters gen = new RandomClusters(seed);
            List<InstanceState> instances = gen.cluster(12);
            PlacementRequest request = gen.request();
            Optional<PlacementPlan> placed = placeIfAny(ClusterSnapshot.of(instances), request);
            if (placed.isEmpty()) {
                return;
            }
            PlacementPlan first = placed.get();
            assertThat(Scheduler.place(ClusterSnapshot.of(instances), request)).isEqualTo(first);
            List<InstanceState> reversed = new ArrayList<>(instances);
            Collections.reverse(reversed);
            assertThat(Scheduler.place(ClusterSnapshot.of(reversed), request).placements())
                    .isEqualTo(first.placements());
        });
    }

    @Test
    void spreadOverThreeEqualZonesPlacesNineTasksThreeByThree() {
        List<PlacementStrategy> secondary = List.of(PlacementStrategy.binpack(BinpackField.MEMORY),
                PlacementStrategy.spread("instanceId"), PlacementStrategy.random());
        forEachSeed(200, seed -> {
            RandomClusters gen = new RandomClusters(seed);
            int instancesPerZone = gen.between(1, 4);
            List<PlacementStrategy> strategies = new ArrayList<>();
            strategies.add(PlacementStrategy.spread("attribute:ecs.availability-zone"));
            for (int k = gen.between(0, 2); k > 0; k--) {
                strategies.add(gen.oneOf(secondary));
            }
            String requestId = "r" + Long.toHexString(gen.random.nextLong());
            List<InstanceState> instances = new ArrayList<>();
            for (String zone : ZONES) {
                for (int k = 0; k < instancesPerZone; k++) {
                    instances.add(TestInstances.instance(zone + "-" + k).zone(zone).build());
                }
            }
            Collections.shuffle(instances, new Random(seed));
            PlacementRequest request = new PlacementRequest(requestId, TaskRequirements.of(256, 512), LaunchType.EC2,
                    9, GROUP, List.of(), strategies);
            ClusterSnapshot snapshot = ClusterSnapshot.of(instances);
            PlacementPlan plan = Scheduler.place(snapshot, request);
            Map<String, Long> perZone = plan.placements().stream().collect(Collectors.groupingBy(
                    p -> snapshot.instance(p.instanceArn()).orElseThrow().attributeValue("ecs.availability-zone"),
                    Collectors.counting()));
            assertThat(perZone).isEqualTo(Map.of("us-east-1a", 3L, "us-east-1b", 3L, "us-east-1c", 3L));
        });
    }

    @Test
    void distinctInstanceNeverPutsTwoTasksOfTheGroupOnOneInstance() {
        forEachSeed(SEEDS, seed -> {
            RandomClusters gen = new RandomClusters(seed);
            List<InstanceState> instances = gen.cluster(12);
            PlacementRequest drawn = gen.request();
            List<PlacementConstraint> constraints = new ArrayList<>(drawn.constraints());
            constraints.add(PlacementConstraint.distinctInstance());
            PlacementRequest request = new PlacementRequest(drawn.requestId(), drawn.task(), drawn.launchType(),
                    drawn.count(), GROUP, constraints, drawn.strategies());
            ClusterSnapshot snapshot = ClusterSnapshot.of(instances);
            Optional<PlacementPlan> placed = placeIfAny(snapshot, request);
            if (placed.isEmpty()) {
                return;
            }
            Set<String> used = new HashSet<>();
            for (Placement placement : placed.get().placements()) {
                assertThat(used.add(placement.instanceArn())).as("second task on %s", placement.instanceArn())
                        .isTrue();
                assertThat(snapshot.instance(placement.instanceArn()).orElseThrow().taskGroupCount(GROUP))
                        .as("group already on %s", placement.instanceArn()).isZero();
            }
        });
    }
}
