package dev.stevedore.scheduler;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Clusters and requests drawn from a seeded {@link Random}, for the property tests.
 *
 * <p>Everything comes from the one seed, so a failing case is replayed by running its seed again
 * ({@link #forEachSeed} names it in the failure). The distributions lean towards instances with
 * room and modest tasks, so that plans usually place something and the checks bite.
 */
final class RandomClusters {

    static final String GROUP = "service:web";
    static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");
    static final List<String> QUERIES = List.of(
            "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
            "runningTasksCount < 3",
            "not(task:group == service:web)",
            "attribute:ecs.availability-zone exists or agentVersion >= 1.50");
    private static final List<PlacementStrategy> STRATEGIES = List.of(
            PlacementStrategy.binpack(BinpackField.CPU), PlacementStrategy.binpack(BinpackField.MEMORY),
            PlacementStrategy.spread("instanceId"), PlacementStrategy.spread("attribute:ecs.availability-zone"),
            PlacementStrategy.random());

    /**
     * Set {@code -Dscheduler.seed=N} to run every property on seed N only, e.g. to replay a
     * failure under a debugger.
     */
    private static final String REPLAY_PROPERTY = "scheduler.seed";

    static final List<String> GROUPS = List.of("service:web", "service:api", "family:batch");
    /** memberOf expressions for rich requests: the first five read no task counts, the others do. */
    static final List<String> RICH_QUERIES = List.of(
            "attribute:stack == prod",
            "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
            "attribute:rack exists",
            "agentVersion >= 1.75.0",
            "not(attribute:rack == r1)",
            "runningTasksCount < 4",
            "task:group != service:api",
            "attribute:stack == prod or task:group == family:batch");
    private static final List<List<PlacementStrategy>> COMMON_STRATEGIES = List.of(
            List.of(PlacementStrategy.spread("attribute:ecs.availability-zone"),
                    PlacementStrategy.binpack(BinpackField.MEMORY)),
            List.of(PlacementStrategy.binpack(BinpackField.MEMORY)),
            List.of(PlacementStrategy.spread("attribute:rack"), PlacementStrategy.binpack(BinpackField.CPU)),
            List.of(PlacementStrategy.spread("attribute:ecs.availability-zone"), PlacementStrategy.spread("host")),
            List.of(PlacementStrategy.spread("attribute:ecs.availability-zone")));
    private static final List<PlacementStrategy> RICH_STRATEGIES = List.of(
            PlacementStrategy.binpack(BinpackField.CPU), PlacementStrategy.binpack(BinpackField.MEMORY),
            PlacementStrategy.spread("instanceId"), PlacementStrategy.spread("host"),
            PlacementStrategy.spread("attribute:ecs.availability-zone"), PlacementStrategy.spread("attribute:rack"),
            PlacementStrategy.random());

    final Random random;

    RandomClusters(long seed) {
        this.random = new Random(seed);
    }

    /**
     * Runs {@code check} once per seed from 0 to {@code seeds - 1} (or on the replay seed alone),
     * turning a failure into one that names its seed.
     */
    static void forEachSeed(int seeds, Consumer<Long> check) {
        String replay = System.getProperty(REPLAY_PROPERTY);
        long first = replay == null ? 0 : Long.parseLong(replay);
        long end = replay == null ? seeds : first + 1;
        for (long seed = first; seed < end; seed++) {
            try {
                check.accept(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("failed for seed " + seed + " (replay with -D" + REPLAY_PROPERTY + "="
                        + seed + "): " + e.getMessage(), e);
            }
        }
    }

    boolean chance(int inOf, int of) {
        return random.nextInt(of) < inOf;
    }

    int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    <T> T oneOf(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Each of the values with probability one half. */
    Set<Integer> subsetOf(Integer... values) {
        Set<Integer> subset = new LinkedHashSet<>();
        for (Integer value : values) {
            if (random.nextBoolean()) {
                subset.add(value);
            }
        }
        return subset;
    }

    /** 1 to {@code maxSize} instances named i0, i1…, a fifth of them ECS Anywhere. */
    List<InstanceState> cluster(int maxSize) {
        int size = between(1, maxSize);
        List<InstanceState> instances = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            instances.add(instance("i" + i));
        }
        return instances;
    }

    InstanceState instance(String id) {
        TestInstances.InstanceBuilder b = TestInstances.instance(id)
                .status(chance(8, 9) ? InstanceStatus.ACTIVE
                        : oneOf(List.of(InstanceStatus.DRAINING, InstanceStatus.INACTIVE)))
                .cpu(between(0, 8192)).memory(between(0, 16384)).eni(between(0, 3))
                .tcpTaken(subsetOf(80, 443, 8080).toArray(Integer[]::new))
                .udpTaken(subsetOf(53, 8125).toArray(Integer[]::new));
        if (chance(1, 10)) {
            b.disconnected();
        }
        String zone = oneOf(List.of("", "us-east-1a", "us-east-1b", "us-east-1c"));
        if (!zone.isEmpty()) {
            b.zone(zone);
        }
        int groupTasks = between(0, 2);
        if (groupTasks > 0) {
            b.group(GROUP, groupTasks);
        }
        if (chance(1, 5)) {
            b.attribute(LaunchType.EXTERNAL_ATTRIBUTE);
        }
        return b.build();
    }

    /**
     * An instance with more to tell apart than {@link #instance}: zones, racks, stacks, a
     * capability, several task groups, and resources from a few round values so that binpack
     * and spread meet many ties.
     */
    InstanceState richInstance(String id) {
        TestInstances.InstanceBuilder b = TestInstances.instance(id)
                .status(chance(9, 10) ? InstanceStatus.ACTIVE : InstanceStatus.DRAINING)
                .agentVersion(oneOf(List.of("1.70.0", "1.80.0")))
                .cpu(oneOf(List.of(0, 512, 1024, 2048, 4096))).memory(oneOf(List.of(0, 1024, 2048, 4096, 8192)))
                .eni(between(0, 3)).tcpTaken(subsetOf(80, 443).toArray(Integer[]::new))
                .udpTaken(subsetOf(53).toArray(Integer[]::new))
                .attribute("stack", chance(2, 3) ? "prod" : "dev");
        if (chance(1, 20)) {
            b.disconnected();
        }
        if (chance(9, 10)) {
            b.zone(oneOf(ZONES));
        }
        if (chance(4, 5)) {
            b.attribute("rack", "r" + between(1, 5));
        }
        if (chance(1, 2)) {
            b.attribute("ecs.capability.task-eni");
        }
        if (chance(1, 8)) {
            b.attribute(LaunchType.EXTERNAL_ATTRIBUTE);
        }
        for (String group : GROUPS) {
            if (chance(1, 4)) {
                b.group(group, between(1, 2));
            }
        }
        return b.build();
    }

    List<InstanceState> richCluster(int maxSize) {
        int size = between(1, maxSize);
        List<InstanceState> instances = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            instances.add(richInstance("i" + i));
        }
        return instances;
    }

    /** A request for {@link #richInstance} clusters: the strategy pairs the control plane uses most, and the rest. */
    PlacementRequest richRequest() {
        Set<Integer> tcp = chance(4, 5) ? Set.of() : oneOf(List.of(Set.of(80), Set.of(443), Set.of(80, 443)));
        Set<Integer> udp = chance(9, 10) ? Set.of() : Set.of(53);
        List<RequiredAttribute> required = chance(5, 6) ? List.of()
                : List.of(oneOf(List.of(RequiredAttribute.named("ecs.capability.task-eni"),
                        RequiredAttribute.of("stack", "prod"))));
        boolean awsvpc = chance(1, 6);
        Set<String> zones = awsvpc && chance(1, 2) ? Set.of(oneOf(ZONES)) : Set.of();
        TaskRequirements task = new TaskRequirements(oneOf(List.of(0, 128, 256, 512, 1024)),
                oneOf(List.of(0, 256, 512, 1024, 2048)), tcp, udp, awsvpc, required, zones);
        List<PlacementConstraint> constraints = new ArrayList<>();
        for (int k = between(0, 2); k > 0; k--) {
            constraints.add(chance(1, 4) ? PlacementConstraint.distinctInstance()
                    : PlacementConstraint.memberOf(oneOf(RICH_QUERIES)));
        }
        List<PlacementStrategy> strategies = new ArrayList<>();
        if (chance(1, 2)) {
            strategies.addAll(oneOf(COMMON_STRATEGIES));
        } else {
            for (int k = between(0, 3); k > 0; k--) {
                strategies.add(oneOf(RICH_STRATEGIES));
            }
        }
        return new PlacementRequest(requestId(), task, chance(7, 8) ? LaunchType.EC2 : LaunchType.EXTERNAL,
                between(1, 10), oneOf(GROUPS), constraints, strategies);
    }

    TaskRequirements task() {
        Set<Integer> tcp = chance(3, 5) ? Set.of() : subsetOf(80, 443, 8080);
        Set<Integer> udp = chance(4, 5) ? Set.of() : subsetOf(53, 8125);
        return new TaskRequirements(between(0, 1024), between(0, 2048), tcp, udp, chance(1, 4), List.of());
    }

    String requestId() {
        StringBuilder id = new StringBuilder();
        for (int k = 0; k < 8; k++) {
            id.append((char) ((random.nextBoolean() ? 'a' : 'A') + random.nextInt(26)));
        }
        return id.toString();
    }

    PlacementRequest request() {
        return request(GROUP);
    }

    /** Up to two constraints (distinctInstance or one of {@link #QUERIES}) and up to three strategies. */
    PlacementRequest request(String group) {
        List<PlacementConstraint> constraints = new ArrayList<>();
        for (int k = between(0, 2); k > 0; k--) {
            constraints.add(chance(1, 2) ? PlacementConstraint.distinctInstance()
                    : PlacementConstraint.memberOf(oneOf(QUERIES)));
        }
        List<PlacementStrategy> strategies = new ArrayList<>();
        for (int k = between(0, 3); k > 0; k--) {
            strategies.add(oneOf(STRATEGIES));
        }
        return new PlacementRequest(requestId(), task(), chance(4, 5) ? LaunchType.EC2 : LaunchType.EXTERNAL,
                between(1, 10), group, constraints, strategies);
    }
}
