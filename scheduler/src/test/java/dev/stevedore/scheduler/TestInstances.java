package dev.stevedore.scheduler;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builders of snapshot instances and requests with plain defaults, for tests. */
public final class TestInstances {

    public static final Set<Integer> AGENT_RESERVED_PORTS = Set.of(22, 2375, 2376, 51678, 51679);

    private TestInstances() {
    }

    public static InstanceBuilder instance(String id) {
        return new InstanceBuilder(id);
    }

    public static String arn(String id) {
        return "arn:aws:ecs:us-east-1:123456789012:container-instance/default/" + id;
    }

    public static ClusterSnapshot snapshot(InstanceBuilder... builders) {
        return ClusterSnapshot.of(Arrays.stream(builders).map(InstanceBuilder::build).toList());
    }

    public static RequestBuilder request(TaskRequirements task) {
        return new RequestBuilder(task);
    }

    public static RequestBuilder request(int cpu, int memory) {
        return new RequestBuilder(TaskRequirements.of(cpu, memory));
    }

    public static final class InstanceBuilder {
        private final String id;
        private InstanceStatus status = InstanceStatus.ACTIVE;
        private boolean connected = true;
        private String agentVersion = "1.80.0";
        private Instant registeredAt = Instant.parse("2024-01-01T00:00:00Z");
        private final Map<String, String> attributes = new HashMap<>();
        private int cpu = 4096;
        private int memory = 8192;
        private Set<Integer> tcp = new LinkedHashSet<>(AGENT_RESERVED_PORTS);
        private Set<Integer> udp = new LinkedHashSet<>();
        private int eni = 3;
        private int running;
        private final Map<String, Integer> groups = new HashMap<>();

        private InstanceBuilder(String id) {
            this.id = id;
        }

        public InstanceBuilder status(InstanceStatus value) {
            status = value;
            return this;
        }

        public InstanceBuilder disconnected() {
            connected = false;
            return this;
        }

        public InstanceBuilder agentVersion(String value) {
            agentVersion = value;
            return this;
        }

        public InstanceBuilder registeredAt(String instant) {
            registeredAt = Instant.parse(instant);
            return this;
        }

        public InstanceBuilder attribute(String name, String value) {
            attributes.put(name, value);
            return this;
        }

        public InstanceBuilder attribute(String name) {
            return attribute(name, "");
        }

        public InstanceBuilder zone(String zone) {
            return attribute("ecs.availability-zone", zone);
        }

        public InstanceBuilder cpu(int value) {
            cpu = value;
            return this;
        }

        public InstanceBuilder memory(int value) {
            memory = value;
            return this;
        }

        public InstanceBuilder tcpTaken(Integer... ports) {
            tcp.addAll(List.of(ports));
            return this;
        }

        public InstanceBuilder udpTaken(Integer... ports) {
            udp.addAll(List.of(ports));
            return this;
        }

        public InstanceBuilder eni(int free) {
            eni = free;
            return this;
        }

        public InstanceBuilder running(int count) {
            running = count;
            return this;
        }

        /** Tasks of a group on the instance; also counted as running. */
        public InstanceBuilder group(String name, int count) {
            groups.merge(name, count, Integer::sum);
            running += count;
            return this;
        }

        public InstanceState build() {
            return new InstanceState(arn(id), id, "i-" + id, status, connected, agentVersion, registeredAt,
                    attributes, new Resources(cpu, memory, AGENT_RESERVED_PORTS, Set.of(), eni),
                    new Resources(cpu, memory, tcp, udp, eni), running, groups);
        }
    }

    public static final class RequestBuilder {
        private String id = "request-1";
        private TaskRequirements task;
        private LaunchType launchType = LaunchType.EC2;
        private int count = 1;
        private String group = "family:web";
        private List<PlacementConstraint> constraints = List.of();
        private List<PlacementStrategy> strategies = List.of();

        private RequestBuilder(TaskRequirements task) {
            this.task = task;
        }

        public RequestBuilder id(String value) {
            id = value;
            return this;
        }

        public RequestBuilder launchType(LaunchType value) {
            launchType = value;
            return this;
        }

        public RequestBuilder count(int value) {
            count = value;
            return this;
        }

        public RequestBuilder group(String value) {
            group = value;
            return this;
        }

        public RequestBuilder constraints(PlacementConstraint... values) {
            constraints = List.of(values);
            return this;
        }

        public RequestBuilder strategies(PlacementStrategy... values) {
            strategies = List.of(values);
            return this;
        }

        public PlacementRequest build() {
            return new PlacementRequest(id, task, launchType, count, group, constraints, strategies);
        }
    }
}
