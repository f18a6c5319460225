package dev.stevedore.bench.scheduler;

import dev.stevedore.scheduler.BinpackField;
import dev.stevedore.scheduler.InstanceState;
import dev.stevedore.scheduler.InstanceStatus;
import dev.stevedore.scheduler.LaunchType;
import dev.stevedore.scheduler.PlacementConstraint;
import dev.stevedore.scheduler.PlacementRequest;
import dev.stevedore.scheduler.PlacementStrategy;
import dev.stevedore.scheduler.Resources;
import dev.stevedore.scheduler.TaskRequirements;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The cluster and requests the scheduler benchmarks place: instances spread evenly over three
 * availability zones, five instance types, a dozen attributes each, already partly used; tasks of
 * mixed sizes placed with {@code spread(attribute:ecs.availability-zone)}, {@code binpack(memory)}
 * and a {@code memberOf} that most instances pass. Everything is drawn from fixed seeds so that
 * every run measures the same work.
 */
final class BenchCluster {

    static final String GROUP = "service:web";
    static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");
    static final String MEMBER_OF = "attribute:stack == prod and attribute:ecs.instance-type != t3.small";

    /** Instance types with their CPU units and MiB. */
    private record Type(String name, int cpu, int memory) {
    }

    private static final List<Type> TYPES = List.of(
            new Type("m5.large", 2048, 7680), new Type("m5.xlarge", 4096, 15616),
            new Type("m5.2xlarge", 8192, 31488), new Type("c5.xlarge", 4096, 7424),
            new Type("r5.large", 2048, 15872));

    /** Task sizes (CPU units, MiB), from sidecar-small to batch-large. */
    private static final int[][] SIZES = {
        {128, 256}, {256, 512}, {256, 1024}, {512, 1024}, {512, 2048}, {1024, 2048}, {1024, 3072}, {2048, 4096}
    };

    private BenchCluster() {
    }

    /** {@code count} instances, about a third of each one's memory and CPU already taken. */
    static List<InstanceState> instances(int count) {
        return instances(count, false);
    }

    /**
     * {@code count} instances; when {@code fresh}, all m5.xlarge with nothing running: a cluster
     * just registered, where binpack meets the most ties (every empty instance of a zone has the
     * same memory, and the seeded tie-break has to look at each).
     */
    static List<InstanceState> instances(int count, boolean fresh) {
        Random random = new Random(20_260_101L + count);
        Instant registered = Instant.parse("2026-01-01T00:00:00Z");
        List<InstanceState> instances = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Type type = fresh ? TYPES.get(1) : TYPES.get(random.nextInt(TYPES.size()));
            String id = String.format("%032x", ((long) i << 20) ^ random.nextInt(1 << 20));
            String arn = "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/" + id;
            Map<String, String> attributes = new HashMap<>();
            attributes.put("ecs.availability-zone", ZONES.get(i % ZONES.size()));
            attributes.put("ecs.instance-type", type.name());
            attributes.put("ecs.os-type", "linux");
            attributes.put("ecs.cpu-architecture", "x86_64");
            attributes.put("ecs.ami-id", "ami-0" + (1000 + random.nextInt(3)));
            attributes.put("ecs.vpc-id", "vpc-0abc");
            attributes.put("ecs.subnet-id", "subnet-" + ZONES.get(i % ZONES.size()));
            attributes.put("stack", random.nextInt(10) < 9 ? "prod" : "staging");
            attributes.put("ecs.capability.task-eni", "");
            attributes.put("ecs.capability.execution-role-awslogs", "");
            attributes.put("com.amazonaws.ecs.capability.docker-remote-api.1.44", "");
            attributes.put("com.amazonaws.ecs.capability.logging-driver.awslogs", "");
            int usedTasks = fresh ? 0 : random.nextInt(6);
            int cpuUsed = 0;
            int memoryUsed = 0;
            for (int t = 0; t < usedTasks; t++) {
                int[] size = SIZES[random.nextInt(4)];
                if (cpuUsed + size[0] <= type.cpu() / 2 && memoryUsed + size[1] <= type.memory() / 2) {
                    cpuUsed += size[0];
                    memoryUsed += size[1];
                }
            }
            Map<String, Integer> groups = usedTasks > 0 ? Map.of(random.nextBoolean() ? GROUP : "service:api", 1)
                    : Map.of();
            Set<Integer> reserved = Set.of(22, 2375, 2376, 51678, 51679);
            instances.add(new InstanceState(arn, id, "i-" + id.substring(16), InstanceStatus.ACTIVE, true, "1.80.0",
                    registered.plusSeconds(i), attributes,
                    new Resources(type.cpu(), type.memory(), reserved, Set.of(), 3),
                    new Resources(type.cpu() - cpuUsed, type.memory() - memoryUsed, reserved, Set.of(), 3),
                    groups.isEmpty() ? 0 : 1, groups));
        }
        return instances;
    }

    /** {@code count} requests of {@code tasks} tasks each, sizes cycling through {@link #SIZES}. */
    static List<PlacementRequest> requests(int count, int tasks) {
        Random random = new Random(77L + count * 31L + tasks);
        List<PlacementConstraint> constraints = List.of(PlacementConstraint.memberOf(MEMBER_OF));
        List<PlacementStrategy> strategies = List.of(PlacementStrategy.spread("attribute:ecs.availability-zone"),
                PlacementStrategy.binpack(BinpackField.MEMORY));
        List<PlacementRequest> requests = new ArrayList<>(count);
        for (int r = 0; r < count; r++) {
            int[] size = SIZES[random.nextInt(SIZES.length)];
            requests.add(new PlacementRequest("run-task-" + r + "-" + Long.toHexString(random.nextLong()),
                    TaskRequirements.of(size[0], size[1]), LaunchType.EC2, tasks, GROUP, constraints, strategies));
        }
        return requests;
    }
}
