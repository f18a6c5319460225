package dev.stevedore.scheduler.placement;

import static dev.stevedore.scheduler.TestInstances.instance;
import static dev.stevedore.scheduler.TestInstances.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.scheduler.InstanceStatus;
import dev.stevedore.scheduler.PlacementConstraint;
import dev.stevedore.scheduler.PlacementRequest;
import dev.stevedore.scheduler.RequiredAttribute;
import dev.stevedore.scheduler.TaskRequirements;
import dev.stevedore.scheduler.TestInstances.InstanceBuilder;
import dev.stevedore.scheduler.query.ClusterQuery;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FiltersTest {

    static Working working(PlacementRequest request, InstanceBuilder... instances) {
        return new Working(ClusterState.of(Arrays.stream(instances).map(InstanceBuilder::build).toList()), request);
    }

    static Working working(InstanceBuilder... instances) {
        return working(request(256, 512).build(), instances);
    }

    static TaskRequirements ports(Set<Integer> tcp, Set<Integer> udp) {
        return new TaskRequirements(0, 0, tcp, udp, false, List.of());
    }

    @Nested
    class Status {
        @Test
        void passesOnlyActiveInstances() {
            Working w = working(instance("a"), instance("b").status(InstanceStatus.DRAINING),
                    instance("c").status(InstanceStatus.REGISTERING));
            StatusFilter filter = new StatusFilter();
            assertThat(filter.test(w, 0)).isTrue();
            assertThat(filter.test(w, 1)).isFalse();
            assertThat(filter.test(w, 2)).isFalse();
            assertThat(filter.reason()).isEqualTo("INACTIVE");
            assertThat(filter.describe(2)).isEqualTo("2 instances were not ACTIVE");
            assertThat(filter.describe(1)).isEqualTo("1 instance was not ACTIVE");
        }
    }

    @Nested
    class Agent {
        @Test
        void passesOnlyConnectedAgents() {
            Working w = working(instance("a"), instance("b").disconnected());
            AgentFilter filter = new AgentFilter();
            assertThat(filter.test(w, 0)).isTrue();
            assertThat(filter.test(w, 1)).isFalse();
            assertThat(filter.reason()).isEqualTo("AGENT");
            assertThat(filter.describe(1)).isEqualTo("1 instance had a disconnected agent");
        }
    }

    @Nested
    class RequiredAttributes {
        @Test
        void aNameOnlyRequirementAcceptsAnyValueOrNone() {
            Working w = working(instance("a").attribute("ecs.capability.task-eni"),
                    instance("b").attribute("ecs.capability.task-eni", "x"), instance("c"));
            RequiredAttributeFilter filter =
                    new RequiredAttributeFilter(w.state, RequiredAttribute.named("ecs.capability.task-eni"));
            assertThat(filter.test(w, 0)).isTrue();
            assertThat(filter.test(w, 1)).isTrue();
            assertThat(filter.test(w, 2)).isFalse();
            assertThat(filter.reason()).isEqualTo("ATTRIBUTE");
            assertThat(filter.describe(1)).isEqualTo("1 instance lacked attribute ecs.capability.task-eni");
        }

        @Test
        void aValuedRequirementNeedsThatValue() {
            Working w = working(instance("a").attribute("ecs.os-type", "linux"), instance("b").attribute("ecs.os-type", "windows"));
            RequiredAttributeFilter filter = new RequiredAttributeFilter(w.state, RequiredAttribute.of("ecs.os-type", "linux"));
            assertThat(filter.test(w, 0)).isTrue();
            assertThat(filter.test(w, 1)).isFalse();
            assertThat(filter.describe(2)).isEqualTo("2 instances lacked attribute ecs.os-type=linux");
        }

        @Test
        void anAttributeNoInstanceHasRejectsAll() {
            Working w = working(instance("a"));
            assertThat(new RequiredAttributeFilter(w.state, RequiredAttribute.named("nowhere")).test(w, 0)).isFalse();
        }
    }

    @Nested
    class Cpu {
        @Test
        void needsTheTaskCpuUnreservedCountingTasksPlacedByTheRequest() {
            Working w = working(request(1024, 1).build(), instance("a").cpu(2048), instance("b").cpu(1023));
            CpuFilter filter = new CpuFilter();
            assertThat(filter.test(w, 0)).isTrue();
            assertThat(filter.test(w, 1)).isFalse();
            w.place(0);
            assertThat(filter.test(w, 0)).isTrue();
            w.place(0);
            assertThat(filter.test(w, 0)).isFalse();
            assertThat(filter.reason()).isEqualTo("RESOURCE:CPU");
            assertThat(filter.describe(3)).isEqualTo("3 instances lacked CPU");
        }
    }

    @Nested
    class Memory {
        @Test
        void needsTheTaskMemoryUnreservedCountingTasksPlacedByTheRequest() {
            Working w = working(request(0, 512).build(), instance("a").memory(1000), instance("b").memory(511));
            MemoryFilter filter = new MemoryFilter();
            assertThat(filter.test(w, 0)).isTrue();
            assertThat(filter.test(w, 1)).isFalse();
            w.place(0);
            assertThat(filter.test(w, 0)).isFalse();
            assertThat(filter.reason()).isEqualTo("RESOURCE:MEMORY");
            assertThat(filter.describe(3)).isEqualTo("3 instances lacked memory");
        }
    }

    @Nested
    class TcpPorts {
        @Test
        void rejectsAnInstanceWhereAStaticPortIsTakenOrWasJustTaken() {
            Working w = working(request(ports(Set.of(80, 443), Set.of())).build(),
                    instance("a"), instance("b").tcpTaken(443), instance("c").udpTaken(80));
            TcpPortsFilter filter = new TcpPortsFilter();
            assertThat(filter.test(w, 0)).isTrue();
            assertThat(filter.test(w, 1)).isFalse();
            assertThat(filter.test(w, 2)).as("a taken UDP port does not block TCP").isTrue();
            w.place(0);
            assertThat(filter.test(w, 0)).isFalse();
            assertThat(filter.reason()).isEqualTo("RESOURCE:PORTS");
        }

        @Test
        void agentReservedPortsAreTaken() {
            Working w = working(request(ports(Set.of(22), Set.of())).build(), instance("a"));
            assertThat(new TcpPortsFilter().test(w, 0)).isFalse();
        }
    }

    @Nested
    class UdpPorts {
        @Test
        void rejectsAnInstanceWhereAStaticUdpPortIsTaken() {
            Working w = working(request(ports(Set.of(), Set.of(53))).build(),
                    instance("a").tcpTaken(53), instance("b").udpTaken(53));
            UdpPortsFilter filter = new UdpPortsFilter();
            assertThat(filter.test(w, 0)).isTrue();
            assertThat(filter.test(w, 1)).isFalse();
            w.place(0);
            assertThat(filter.test(w, 0)).isFalse();
            assertThat(filter.reason()).isEqualTo("RESOURCE:PORTS_UDP");
            assertThat(filter.describe(1)).isEqualTo("1 instance had a required UDP host port taken");
        }
    }

    @Nested
    class Eni {
        @Test
        void needsAFreeAttachmentCountingTasksPlacedByTheRequest() {
            TaskRequirements awsvpc = new TaskRequirements(0, 0, Set.of(), Set.of(), true, List.of());
            Working w = working(request(awsvpc).build(), instance("a").eni(1), instance("b").eni(0));
            EniFilter filter = new EniFilter();
            assertThat(filter.test(w, 0)).isTrue();
            assertThat(filter.test(w, 1)).isFalse();
            w.place(0);
            assertThat(filter.test(w, 0)).isFalse();
            assertThat(filter.reason()).isEqualTo("RESOURCE:ENI");
        }
    }

    @Nested
    class Location {
        @Test
        void passesInstancesInAZoneOfTheSubnetsOnly() {
            TaskRequirements awsvpc = new TaskRequirements(0, 0, Set.of(), Set.of(), true, List.of(),
                    Set.of("us-east-1a", "us-east-1c"));
            Working w = working(request(awsvpc).build(), instance("a").zone("us-east-1a"),
                    instance("b").zone("us-east-1b"), instance("c"));
            LocationFilter filter = new LocationFilter(w.state, awsvpc);
            assertThat(filter.test(w, 0)).isTrue();
            assertThat(filter.test(w, 1)).isFalse();
            assertThat(filter.test(w, 2)).as("an instance that names no zone").isFalse();
            assertThat(filter.reason()).isEqualTo("LOCATION");
            assertThat(filter.describe(2)).isEqualTo("2 instances were outside the zones of the task's subnets");
        }

        @Test
        void aTaskOutsideEveryInstancesZoneFailsWithLocation() {
            TaskRequirements awsvpc = new TaskRequirements(0, 0, Set.of(), Set.of(), true, List.of(),
                    Set.of("us-east-1c"));
            var plan = dev.stevedore.scheduler.Scheduler.place(dev.stevedore.scheduler.ClusterSnapshot.of(List.of(
                    instance("a").zone("us-east-1a").eni(2).build())), request(awsvpc).build());
            assertThat(plan.failures()).singleElement()
                    .satisfies(f -> assertThat(f.reason()).isEqualTo("LOCATION"));
        }
    }

    @Nested
    class MemberOf {
        @Test
        void passesInstancesMatchingTheQuery() {
            Working w = working(instance("a").zone("us-east-1a"), instance("b").zone("us-east-1b"));
            MemberOfFilter filter = new MemberOfFilter(ClusterQuery.parse("attribute:ecs.availability-zone == us-east-1b"));
            assertThat(filter.test(w, 0)).isFalse();
            assertThat(filter.test(w, 1)).isTrue();
            assertThat(filter.reason()).isEqualTo("MemberOf placement constraint unsatisfied.");
            assertThat(filter.describe(2))
                    .isEqualTo("2 failed memberOf(attribute:ecs.availability-zone == us-east-1b)");
        }

        @Test
        void seesTheTasksTheRequestPlaced() {
            Working w = working(request(1, 1).group("family:web").build(), instance("a").running(1));
            MemberOfFilter runningOne = new MemberOfFilter(ClusterQuery.parse("runningTasksCount <= 1"));
            MemberOfFilter affinity = new MemberOfFilter(ClusterQuery.parse("task:group == family:web"));
            assertThat(runningOne.test(w, 0)).isTrue();
            assertThat(affinity.test(w, 0)).isFalse();
            w.place(0);
            assertThat(runningOne.test(w, 0)).isFalse();
            assertThat(affinity.test(w, 0)).isTrue();
        }
    }

    @Nested
    class DistinctInstance {
        @Test
        void rejectsInstancesRunningTheGroupAlreadyOrNow() {
            Working w = working(request(1, 1).group("service:api").build(),
                    instance("a"), instance("b").group("service:api", 1), instance("c").group("service:other", 4));
            DistinctInstanceFilter filter = new DistinctInstanceFilter("service:api");
            assertThat(filter.test(w, 0)).isTrue();
            assertThat(filter.test(w, 1)).isFalse();
            assertThat(filter.test(w, 2)).isTrue();
            w.place(0);
            assertThat(filter.test(w, 0)).isFalse();
            assertThat(filter.reason()).isEqualTo("DistinctInstance placement constraint unsatisfied.");
            assertThat(filter.describe(2)).isEqualTo("2 failed distinctInstance (already running a task of service:api)");
        }
    }

    @Nested
    class Chain {
        @Test
        void leavesOutFiltersTheTaskCannotFailAndKeepsECSOrder() {
            PlacementRequest request = request(new TaskRequirements(256, 0, Set.of(80), Set.of(), true,
                    List.of(RequiredAttribute.named("x"))))
                    .constraints(PlacementConstraint.distinctInstance(),
                            PlacementConstraint.memberOf("runningTasksCount < 5"),
                            PlacementConstraint.distinctInstance())
                    .build();
            InstanceFilter[] chain = FilterChain.build(ClusterState.of(List.of(instance("a").build())), request);
            assertThat(Arrays.stream(chain).map(f -> f.getClass().getSimpleName())).containsExactly(
                    "StatusFilter", "AgentFilter", "RequiredAttributeFilter", "CpuFilter", "TcpPortsFilter",
                    "EniFilter", "MemberOfFilter", "DistinctInstanceFilter");
        }
    }
}
