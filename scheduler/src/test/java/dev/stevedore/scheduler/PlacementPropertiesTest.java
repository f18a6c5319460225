package dev.stevedore.scheduler;

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

class PlacementPropertiesTest {

    private static final String GROUP = "service:web";
    private static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");
    private static final List<String> QUERIES = List.of(
            "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
            "runningTasksCount < 3",
            "not(task:group == service:web)",
            "attribute:ecs.availability-zone exists or agentVersion >= 1.50");

    /** What a generated instance is; ids are given by position so they are unique. */
    record InstanceSpec(InstanceStatus status, boolean connected, String zone, int cpu, int memory,
            Set<Integer> tcp, Set<Integer> udp, int eni, int groupTasks, boolean external) {

        InstanceState build(int position) {
            TestInstances.InstanceBuilder b = TestInstances.instance("i" + position).status(status).cpu(cpu)
                    .memory(memory).eni(eni).tcpTaken(tcp.toArray(Integer[]::new)).udpTaken(udp.toArray(Integer[]::new));
            if (!connected) {
                b.disconnected();
            }
            if (!zone.isEmpty()) {
                b.zone(zone);
            }
            if (groupTasks > 0) {
                b.group(GROUP, groupTasks);
            }
            if (external) {
                b.attribute(LaunchType.EXTERNAL_ATTRIBUTE);
            }
            return b.build();
        }
    }

    @Provide
    Arbitrary<List<InstanceState>> clusters() {
        Arbitrary<InstanceStatus> status = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(InstanceStatus.ACTIVE)),
                Tuple.of(1, Arbitraries.of(InstanceStatus.DRAINING, InstanceStatus.INACTIVE)));
        Arbitrary<Boolean> connected = Arbitraries.frequency(Tuple.of(9, true), Tuple.of(1, false));
        Arbitrary<String> zone = Arbitraries.of("", "us-east-1a", "us-east-1b", "us-east-1c");
        // Uniform, not jqwik's default bias to small numbers: most instances should have room.
        Arbitrary<Integer> cpu = Arbitraries.integers().between(0, 8192).withDistribution(RandomDistribution.uniform());
        Arbitrary<Integer> memory =
                Arbitraries.integers().between(0, 16384).withDistribution(RandomDistribution.uniform());
        Arbitrary<Set<Integer>> tcp = Arbitraries.subsetOf(80, 443, 8080);
        Arbitrary<Set<Integer>> udp = Arbitraries.subsetOf(53, 8125);
        Arbitrary<Integer> eni = Arbitraries.integers().between(0, 3);
        Arbitrary<Integer> groupTasks = Arbitraries.integers().between(0, 2);
        Arbitrary<Boolean> external = Arbitraries.frequency(Tuple.of(4, false), Tuple.of(1, true));
        Arbitrary<InstanceSpec> spec = Combinators.combine(status, connected, zone, cpu, memory, tcp, udp, eni)
                .flatAs((s, c, z, cp, m, t, u, e) -> Combinators.combine(groupTasks, external)
                        .as((g, x) -> new InstanceSpec(s, c, z, cp, m, t, u, e, g, x)));
        return spec.list().ofMinSize(1).ofMaxSize(12).map(specs -> IntStream.range(0, specs.size())
                .mapToObj(i -> specs.get(i).build(i)).toList());
    }

    @Provide
    Arbitrary<PlacementRequest> requests() {
        // Mostly modest tasks, so that plans usually place something and the checks bite.
        Arbitrary<Set<Integer>> tcp = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Set.<Integer>of())), Tuple.of(2, Arbitraries.subsetOf(80, 443, 8080)));
        Arbitrary<Set<Integer>> udp = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(Set.<Integer>of())), Tuple.of(1, Arbitraries.subsetOf(53, 8125)));
        Arbitrary<TaskRequirements> task = Combinators.combine(
                        Arbitraries.integers().between(0, 1024), Arbitraries.integers().between(0, 2048), tcp, udp,
                        Arbitraries.frequency(Tuple.of(1, true), Tuple.of(3, false)))
                .as((cpu, memory, t, u, eni) -> new TaskRequirements(cpu, memory, t, u, eni, List.of()));
        Arbitrary<PlacementConstraint> constraint = Arbitraries.oneOf(
                Arbitraries.just(PlacementConstraint.distinctInstance()),
                Arbitraries.of(QUERIES).map(PlacementConstraint::memberOf));
        Arbitrary<PlacementStrategy> strategy = Arbitraries.of(
                PlacementStrategy.binpack(BinpackField.CPU), PlacementStrategy.binpack(BinpackField.MEMORY),
                PlacementStrategy.spread("instanceId"), PlacementStrategy.spread("attribute:ecs.availability-zone"),
                PlacementStrategy.random());
        Arbitrary<LaunchType> launchType =
                Arbitraries.frequency(Tuple.of(4, LaunchType.EC2), Tuple.of(1, LaunchType.EXTERNAL));
        return Combinators.combine(Arbitraries.strings().alpha().ofLength(8), task, launchType,
                        Arbitraries.integers().between(1, 10), constraint.list().ofMaxSize(2), strategy.list().ofMaxSize(3))
                .as((id, t, type, count, constraints, strategies) ->
                        new PlacementRequest(id, t, type, count, GROUP, constraints, strategies));
    }

    /** Places, unless the launch type has no instance at all (which the scheduler reports by exception). */
    private static Optional<PlacementPlan> placeIfAny(ClusterSnapshot snapshot, PlacementRequest request) {
        boolean anyOfLaunchType = snapshot.instances().stream()
                .anyMatch(i -> i.hasAttribute(LaunchType.EXTERNAL_ATTRIBUTE) == (request.launchType() == LaunchType.EXTERNAL));
        return anyOfLaunchType ? Optional.of(Scheduler.place(snapshot, request)) : Optional.empty();
    }

    @Property
    void neverOverCommitsAndEveryPlacementPassesEveryFilter(
            @ForAll("clusters") List<InstanceState> instances, @ForAll("requests") PlacementRequest request) {
        ClusterSnapshot snapshot = ClusterSnapshot.of(instances);
        Optional<PlacementPlan> placed = placeIfAny(snapshot, request);
        if (placed.isEmpty()) {
            return;
        }
        PlacementPlan plan = placed.get();
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
        // Guard against generators that make the property vacuous: plans must often place tasks.
        Statistics.collect(plan.placements().isEmpty() ? "nothing placed" : "something placed");
        Statistics.coverage(coverage -> coverage.check("something placed").percentage(p -> p > 20));
    }

    @Property
    void theSameSeedGivesTheSamePlanWhateverTheSnapshotOrder(
            @ForAll("clusters") List<InstanceState> instances, @ForAll("requests") PlacementRequest request) {
        Optional<PlacementPlan> placed = placeIfAny(ClusterSnapshot.of(instances), request);
        if (placed.isEmpty()) {
            return;
        }
        PlacementPlan first = placed.get();
        assertThat(Scheduler.place(ClusterSnapshot.of(instances), request)).isEqualTo(first);
        List<InstanceState> reversed = new ArrayList<>(instances);
        Collections.reverse(reversed);
        assertThat(Scheduler.place(ClusterSnapshot.of(reversed), request).placements()).isEqualTo(first.placements());
    }

    @Property(tries = 100)
    void spreadOverThreeEqualZonesPlacesNineTasksThreeByThree(
            @ForAll @IntRange(min = 1, max = 4) int instancesPerZone,
            @ForAll("secondaryStrategies") List<PlacementStrategy> tieBreakers,
            @ForAll("requestIds") String requestId) {
        List<InstanceState> instances = new ArrayList<>();
        for (String zone : ZONES) {
            for (int k = 0; k < instancesPerZone; k++) {
                instances.add(TestInstances.instance(zone + "-" + k).zone(zone).build());
            }
        }
        Collections.shuffle(instances, new Random(requestId.hashCode()));
        List<PlacementStrategy> strategies = new ArrayList<>();
        strategies.add(PlacementStrategy.spread("attribute:ecs.availability-zone"));
        strategies.addAll(tieBreakers);
        PlacementRequest request = new PlacementRequest(requestId, TaskRequirements.of(256, 512), LaunchType.EC2, 9,
                GROUP, List.of(), strategies);
        ClusterSnapshot snapshot = ClusterSnapshot.of(instances);
        PlacementPlan plan = Scheduler.place(snapshot, request);
        Map<String, Long> perZone = plan.placements().stream().collect(Collectors.groupingBy(
                p -> snapshot.instance(p.instanceArn()).orElseThrow().attributeValue("ecs.availability-zone"),
                Collectors.counting()));
        assertThat(perZone).isEqualTo(Map.of("us-east-1a", 3L, "us-east-1b", 3L, "us-east-1c", 3L));
    }

    @Provide
    Arbitrary<List<PlacementStrategy>> secondaryStrategies() {
        return Arbitraries.of(PlacementStrategy.binpack(BinpackField.MEMORY), PlacementStrategy.spread("instanceId"),
                PlacementStrategy.random()).list().ofMaxSize(2);
    }

    @Provide
    Arbitrary<String> requestIds() {
        return Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(36);
    }

    @Property
    void distinctInstanceNeverPutsTwoTasksOfTheGroupOnOneInstance(
            @ForAll("clusters") List<InstanceState> instances, @ForAll("requests") PlacementRequest drawn) {
        List<PlacementConstraint> constraints = new ArrayList<>(drawn.constraints());
        constraints.add(PlacementConstraint.distinctInstance());
        PlacementRequest request = new PlacementRequest(drawn.requestId(), drawn.task(), drawn.launchType(),
                drawn.count(), GROUP, constraints, drawn.strategies());
        ClusterSnapshot snapshot = ClusterSnapshot.of(instances);
        Optional<PlacementPlan> placed = placeIfAny(snapshot, request);
        if (placed.isEmpty()) {
            return;
        }
        PlacementPlan plan = placed.get();
        Set<String> used = new HashSet<>();
        for (Placement placement : plan.placements()) {
            assertThat(used.add(placement.instanceArn())).as("second task on %s", placement.instanceArn()).isTrue();
            assertThat(snapshot.instance(placement.instanceArn()).orElseThrow().taskGroupCount(GROUP))
                    .as("group already on %s", placement.instanceArn()).isZero();
        }
    }
}
