package dev.stevedore.scheduler;

import static dev.stevedore.scheduler.TestInstances.arn;
import static dev.stevedore.scheduler.TestInstances.instance;
import static dev.stevedore.scheduler.TestInstances.request;
import static dev.stevedore.scheduler.TestInstances.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.scheduler.placement.CpuFilter;
import dev.stevedore.scheduler.placement.DistinctInstanceFilter;
import dev.stevedore.scheduler.placement.MemberOfFilter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SchedulerTest {

    private static List<String> instancesOf(PlacementPlan plan) {
        return plan.placements().stream().map(Placement::instanceArn).toList();
    }

    private static Map<String, Long> perInstance(PlacementPlan plan) {
        return plan.placements().stream()
                .collect(Collectors.groupingBy(Placement::instanceArn, Collectors.counting()));
    }

    @Nested
    class Strategies {

        @Test
        void binpackOnMemoryFillsTheTightestInstanceFirst() {
            ClusterSnapshot cluster = snapshot(instance("roomy").memory(8000), instance("tight").memory(1100),
                    instance("middle").memory(3000));
            PlacementPlan plan = Scheduler.place(cluster, request(0, 512).count(4)
                    .strategies(PlacementStrategy.binpack(BinpackField.MEMORY)).build());
            assertThat(instancesOf(plan)).containsExactly(arn("tight"), arn("tight"), arn("middle"), arn("middle"));
        }

        @Test
        void binpackOnCpuUsesCpu() {
            ClusterSnapshot cluster = snapshot(instance("a").cpu(1024).memory(100_000), instance("b").cpu(4096).memory(600));
            PlacementPlan plan = Scheduler.place(cluster, request(512, 512).strategies(
                    PlacementStrategy.binpack(BinpackField.CPU)).build());
            assertThat(instancesOf(plan)).containsExactly(arn("a"));
        }

        @Test
        void spreadOverInstancesBalancesTheGroupIncludingExistingTasks() {
            ClusterSnapshot cluster = snapshot(instance("a").group("service:api", 2), instance("b"), instance("c")
                    .group("service:other", 3));
            PlacementPlan plan = Scheduler.place(cluster, request(1, 1).count(4).group("service:api")
                    .strategies(PlacementStrategy.spread("instanceId")).build());
            assertThat(perInstance(plan)).containsEntry(arn("b"), 2L).containsEntry(arn("c"), 2L)
                    .doesNotContainKey(arn("a"));
        }

        @Test
        void hostIsAnAliasOfInstanceId() {
            ClusterSnapshot cluster = snapshot(instance("a"), instance("b"), instance("c"));
            PlacementPlan byHost = Scheduler.place(cluster, request(1, 1).count(3)
                    .strategies(PlacementStrategy.spread("host")).build());
            assertThat(perInstance(byHost)).hasSize(3);
        }

        @Test
        void spreadOverZonesThenBinpackWithinTheZone() {
            ClusterSnapshot cluster = snapshot(
                    instance("a-roomy").zone("a").memory(8000), instance("a-tight").zone("a").memory(2000),
                    instance("b-roomy").zone("b").memory(8000), instance("b-tight").zone("b").memory(2000));
            PlacementPlan plan = Scheduler.place(cluster, request(0, 512).count(4).strategies(
                    PlacementStrategy.spread("attribute:ecs.availability-zone"),
                    PlacementStrategy.binpack(BinpackField.MEMORY)).build());
            assertThat(perInstance(plan)).containsOnlyKeys(arn("a-tight"), arn("b-tight"));
        }

        @Test
        void withoutStrategiesTheChoiceIsSeededByTheRequestId() {
            ClusterSnapshot cluster = snapshot(IntStream.range(0, 30).mapToObj(i -> instance("i" + i))
                    .toArray(TestInstances.InstanceBuilder[]::new));
            Set<String> chosen = IntStream.range(0, 40)
                    .mapToObj(r -> Scheduler.place(cluster, request(1, 1).id("req-" + r).build()))
                    .map(plan -> plan.placements().get(0).instanceArn())
                    .collect(Collectors.toSet());
            assertThat(chosen).as("different request ids spread over the cluster").hasSizeGreaterThan(10);
            PlacementPlan once = Scheduler.place(cluster, request(1, 1).id("same").count(5).build());
            PlacementPlan twice = Scheduler.place(cluster, request(1, 1).id("same").count(5).build());
            assertThat(twice).isEqualTo(once);
        }

        @Test
        void randomIsSeededToo() {
            ClusterSnapshot cluster = snapshot(instance("a"), instance("b"), instance("c"), instance("d"));
            PlacementRequest request = request(1, 1).count(6).strategies(PlacementStrategy.random()).build();
            assertThat(Scheduler.place(cluster, request)).isEqualTo(Scheduler.place(cluster, request));
        }
    }

    @Nested
    class Filters {

        @Test
        void eachTaskSeesTheOnesPlacedBeforeIt() {
            ClusterSnapshot cluster = snapshot(instance("a").cpu(1024), instance("b").cpu(1024));
            PlacementPlan plan = Scheduler.place(cluster, request(512, 1).count(5).build());
            assertThat(perInstance(plan)).containsEntry(arn("a"), 2L).containsEntry(arn("b"), 2L);
            assertThat(plan.failures()).singleElement().satisfies(f -> {
                assertThat(f.taskIndex()).isEqualTo(4);
                assertThat(f.reason()).isEqualTo(CpuFilter.REASON);
                assertThat(f.detail()).isEqualTo("2 instances lacked CPU");
            });
        }

        @Test
        void aStaticPortAllowsOneTaskPerInstance() {
            TaskRequirements web = new TaskRequirements(1, 1, Set.of(80), Set.of(), false, List.of());
            ClusterSnapshot cluster = snapshot(instance("a"), instance("b"), instance("c").tcpTaken(80));
            PlacementPlan plan = Scheduler.place(cluster, request(web).count(3).build());
            assertThat(perInstance(plan)).containsOnlyKeys(arn("a"), arn("b"));
            assertThat(plan.failures()).singleElement()
                    .extracting(PlacementFailure::reason).isEqualTo("RESOURCE:PORTS");
        }

        @Test
        void onlyActiveConnectedInstancesWithTheRequiredAttributesTakeTasks() {
            TaskRequirements task = new TaskRequirements(1, 1, Set.of(), Set.of(), false,
                    List.of(RequiredAttribute.named("ecs.capability.task-eni")));
            ClusterSnapshot cluster = snapshot(
                    instance("draining").status(InstanceStatus.DRAINING).attribute("ecs.capability.task-eni"),
                    instance("disconnected").disconnected().attribute("ecs.capability.task-eni"),
                    instance("plain"),
                    instance("good").attribute("ecs.capability.task-eni"));
            PlacementPlan plan = Scheduler.place(cluster, request(task).count(3).build());
            assertThat(instancesOf(plan)).containsExactly(arn("good"), arn("good"), arn("good"));
        }

        @Test
        void memberOfAffinityFollowsTheTasksPlacedInTheSameRequest() {
            ClusterSnapshot cluster = snapshot(instance("a").group("service:db", 1), instance("b"));
            PlacementPlan plan = Scheduler.place(cluster, request(1, 1).count(3).group("service:cache")
                    .constraints(PlacementConstraint.memberOf("task:group == service:db")).build());
            assertThat(instancesOf(plan)).containsOnly(arn("a"));
        }

        @Test
        void memberOfOnRunningTasksCountSeesTheNewTasks() {
            ClusterSnapshot cluster = snapshot(instance("a"), instance("b"));
            PlacementPlan plan = Scheduler.place(cluster, request(1, 1).count(3)
                    .constraints(PlacementConstraint.memberOf("runningTasksCount == 0")).build());
            assertThat(plan.placements()).hasSize(2);
            assertThat(perInstance(plan)).hasSize(2);
            assertThat(plan.failures()).singleElement()
                    .extracting(PlacementFailure::reason).isEqualTo(MemberOfFilter.REASON);
        }

        @Test
        void launchTypesUseSeparatePools() {
            ClusterSnapshot cluster = snapshot(instance("ec2"), instance("onprem").attribute(LaunchType.EXTERNAL_ATTRIBUTE));
            assertThat(instancesOf(Scheduler.place(cluster, request(1, 1).count(2).build())))
                    .containsOnly(arn("ec2"));
            assertThat(instancesOf(Scheduler.place(cluster, request(1, 1).count(2).launchType(LaunchType.EXTERNAL).build())))
                    .containsOnly(arn("onprem"));
        }

        @Test
        void aClusterWithoutInstancesOfTheLaunchTypeIsAnError() {
            assertThatThrownBy(() -> Scheduler.place(ClusterSnapshot.of(List.of()), request(1, 1).build()))
                    .isInstanceOf(NoContainerInstancesException.class)
                    .hasMessage("No Container Instances were found in your cluster.");
            assertThatThrownBy(() -> Scheduler.place(snapshot(instance("a")),
                    request(1, 1).launchType(LaunchType.EXTERNAL).build()))
                    .isInstanceOf(NoContainerInstancesException.class);
        }
    }

    @Nested
    class Failures {

        @Test
        void reportTheClosestInstanceAndCountEveryRejection() {
            ClusterSnapshot cluster = snapshot(
                    instance("small-1").zone("us-east-1b").memory(100),
                    instance("small-2").zone("us-east-1a").memory(100),
                    instance("small-3").zone("us-east-1b").memory(100),
                    instance("wrong-zone-1").zone("us-east-1a"),
                    instance("wrong-zone-2").zone("us-east-1c"));
            PlacementPlan plan = Scheduler.place(cluster, request(0, 512).count(2)
                    .constraints(PlacementConstraint.memberOf("attribute:ecs.availability-zone == us-east-1b")).build());
            assertThat(plan.placements()).isEmpty();
            assertThat(plan.failures()).extracting(PlacementFailure::taskIndex).containsExactly(0, 1);
            PlacementFailure first = plan.failures().get(0);
            assertThat(first.arn()).isEqualTo(arn("wrong-zone-1"));
            assertThat(first.reason()).isEqualTo("MemberOf placement constraint unsatisfied.");
            assertThat(first.detail()).isEqualTo(
                    "3 instances lacked memory; 2 failed memberOf(attribute:ecs.availability-zone == us-east-1b)");
        }

        @Test
        void distinctInstanceFailsOnceEveryInstanceHasTheGroup() {
            ClusterSnapshot cluster = snapshot(instance("a"), instance("b"));
            PlacementPlan plan = Scheduler.place(cluster, request(1, 1).count(3).group("family:batch")
                    .constraints(PlacementConstraint.distinctInstance()).build());
            assertThat(perInstance(plan)).containsOnlyKeys(arn("a"), arn("b"));
            assertThat(plan.failures()).singleElement().satisfies(f -> {
                assertThat(f.reason()).isEqualTo(DistinctInstanceFilter.REASON);
                assertThat(f.arn()).isIn(arn("a"), arn("b"));
                assertThat(f.detail()).isEqualTo("2 failed distinctInstance (already running a task of family:batch)");
            });
        }

        @Test
        void reasonsFollowTheFilterOrder() {
            Function<TestInstances.InstanceBuilder, String> reasonFor = builder -> Scheduler
                    .place(snapshot(builder), request(new TaskRequirements(512, 512, Set.of(80), Set.of(53), true,
                            List.of(RequiredAttribute.named("needed")))).build())
                    .failures().get(0).reason();
            TestInstances.InstanceBuilder fine = instance("x").attribute("needed");
            assertThat(reasonFor.apply(instance("x").attribute("needed").status(InstanceStatus.DRAINING).disconnected()))
                    .isEqualTo("INACTIVE");
            assertThat(reasonFor.apply(instance("x").attribute("needed").disconnected().cpu(0))).isEqualTo("AGENT");
            assertThat(reasonFor.apply(instance("x").cpu(0))).isEqualTo("ATTRIBUTE");
            assertThat(reasonFor.apply(instance("x").attribute("needed").cpu(0).memory(0))).isEqualTo("RESOURCE:CPU");
            assertThat(reasonFor.apply(instance("x").attribute("needed").memory(0).tcpTaken(80))).isEqualTo("RESOURCE:MEMORY");
            assertThat(reasonFor.apply(instance("x").attribute("needed").tcpTaken(80).udpTaken(53))).isEqualTo("RESOURCE:PORTS");
            assertThat(reasonFor.apply(instance("x").attribute("needed").udpTaken(53).eni(0))).isEqualTo("RESOURCE:PORTS_UDP");
            assertThat(reasonFor.apply(instance("x").attribute("needed").eni(0))).isEqualTo("RESOURCE:ENI");
            assertThat(Scheduler.place(snapshot(fine), request(1, 1).build()).complete()).isTrue();
        }

        @Test
        void amongEquallyCloseInstancesTheFirstInSnapshotOrderIsReported() {
            ClusterSnapshot cluster = snapshot(instance("first").memory(1), instance("second").memory(1));
            PlacementPlan plan = Scheduler.place(cluster, request(0, 512).build());
            assertThat(plan.failures().get(0).arn()).isEqualTo(arn("first"));
        }
    }

    @Test
    void theSnapshotIsNotChangedByPlacing() {
        ClusterSnapshot cluster = snapshot(instance("a").cpu(1024));
        List<InstanceState> before = cluster.instances();
        Scheduler.place(cluster, request(1024, 1).build());
        assertThat(cluster.instances()).isEqualTo(before);
        assertThat(Scheduler.place(cluster, request(1024, 1).build()).complete()).isTrue();
    }

    @Test
    void aSnapshotRejectsDuplicateArns() {
        assertThatThrownBy(() -> snapshot(instance("a"), instance("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
    }
}
