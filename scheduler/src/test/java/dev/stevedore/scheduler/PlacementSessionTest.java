package dev.stevedore.scheduler;

import static dev.stevedore.scheduler.RandomClusters.forEachSeed;
import static dev.stevedore.scheduler.TestInstances.arn;
import static dev.stevedore.scheduler.TestInstances.instance;
import static dev.stevedore.scheduler.TestInstances.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.scheduler.placement.ReferencePlacer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PlacementSessionTest {

    /** A task the session placed, which a later step may release. */
    private record Running(String arn, TaskRequirements task, String group) {
    }

    /** The reference plan, or empty when the reference finds no instance of the launch type at all. */
    private static Optional<PlacementPlan> reference(List<InstanceState> instances, PlacementRequest request) {
        try {
            return Optional.of(ReferencePlacer.place(instances, request));
        } catch (NoContainerInstancesException e) {
            return Optional.empty();
        }
    }

    /**
     * Random sequences of placements, releases, instance changes, arrivals and departures: after
     * each step the session holds exactly the instances the records say, and each plan is the one
     * the reference placer and a fresh snapshot give for those instances.
     */
    @Test
    void aSessionPlansAsAFreshSnapshotOfItsInstancesWould() {
        int[] placed = new int[1];
        forEachSeed(300, seed -> {
            RandomClusters gen = new RandomClusters(seed);
            List<InstanceState> expected = new ArrayList<>(gen.richCluster(40));
            PlacementSession session = PlacementSession.open(ClusterSnapshot.of(expected));
            List<Running> running = new ArrayList<>();
            PlacementRequest last = gen.richRequest();
            for (int step = 0; step < 40; step++) {
                int roll = gen.between(0, 99);
                if (roll < 55) {
                    // Now and then the same task again under another id, count and strategies: as a
                    // service retrying, and what a remembered failure must be right for.
                    PlacementRequest drawn = gen.richRequest();
                    PlacementRequest request = gen.chance(1, 4) ? new PlacementRequest(drawn.requestId(), last.task(),
                            last.launchType(), drawn.count(), last.group(), last.constraints(), drawn.strategies())
                            : drawn;
                    last = request;
                    Optional<PlacementPlan> want = reference(expected, request);
                    if (want.isEmpty()) {
                        assertThatThrownBy(() -> session.place(request)).isInstanceOf(NoContainerInstancesException.class);
                        continue;
                    }
                    PlacementPlan plan = session.place(request);
                    assertThat(plan).as("step %d: %s", step, request).isEqualTo(want.get());
                    assertThat(Scheduler.place(ClusterSnapshot.of(expected), request)).isEqualTo(plan);
                    expected = ReferencePlacer.apply(expected, request, plan);
                    plan.placements().forEach(p -> running.add(new Running(p.instanceArn(), request.task(), request.group())));
                    placed[0] += plan.placements().size();
                } else if (roll < 70 && !running.isEmpty()) {
                    Running stop = running.remove(gen.random.nextInt(running.size()));
                    assertThat(session.release(stop.arn(), stop.task(), stop.group())).isTrue();
                    replace(expected, stop.arn(), i -> i.withoutTask(stop.task(), stop.group()));
                } else if (roll < 80) {
                    InstanceState now = gen.oneOf(expected);
                    InstanceState changed = withNewRegistration(now, gen.richInstance(now.id()));
                    replace(expected, now.arn(), i -> changed);
                    session.upsert(changed);
                } else if (roll < 85) {
                    InstanceState reregistered = gen.richInstance(gen.oneOf(expected).id());
                    replace(expected, reregistered.arn(), i -> reregistered);
                    running.removeIf(r -> r.arn().equals(reregistered.arn()));
                    session.upsert(reregistered);
                } else if (roll < 92) {
                    InstanceState arriving = gen.richInstance("n" + step);
                    expected.add(arriving);
                    session.upsert(arriving);
                } else if (expected.size() > 1) {
                    InstanceState leaving = expected.remove(gen.random.nextInt(expected.size()));
                    assertThat(session.remove(leaving.arn())).isTrue();
                    assertThat(session.release(leaving.arn(), TaskRequirements.of(0, 0), "service:web")).isFalse();
                    running.removeIf(r -> r.arn().equals(leaving.arn()));
                }
                if (step % 10 == 9) {
                    assertThat(session.snapshot().instances()).as("step %d", step).isEqualTo(expected);
                }
            }
            assertThat(session.snapshot().instances()).isEqualTo(expected);
            assertThat(session.size()).isEqualTo(expected.size());
        });
        assertThat(placed[0]).as("tasks placed over all seeds").isGreaterThan(10_000);
    }

    /** The instance re-registered with new status, agent and attributes, keeping its resources and tasks. */
    private static InstanceState withNewRegistration(InstanceState now, InstanceState drawn) {
        return new InstanceState(now.arn(), now.id(), now.ec2InstanceId(), drawn.status(), drawn.agentConnected(),
                drawn.agentVersion(), drawn.registeredAt(), drawn.attributes(), now.registered(), now.remaining(),
                now.runningTasksCount(), now.taskGroups());
    }

    private static void replace(List<InstanceState> instances, String arn,
            java.util.function.UnaryOperator<InstanceState> change) {
        for (int k = 0; k < instances.size(); k++) {
            if (instances.get(k).arn().equals(arn)) {
                instances.set(k, change.apply(instances.get(k)));
                return;
            }
        }
        throw new AssertionError("no instance " + arn);
    }

    @Test
    void placeAllPlansEachRequestSeeingTheOnesBefore() {
        forEachSeed(200, seed -> {
            RandomClusters gen = new RandomClusters(seed);
            List<InstanceState> cluster = gen.richCluster(30);
            List<PlacementRequest> requests = IntStream.range(0, 8).mapToObj(k -> gen.richRequest())
                    .filter(r -> reference(cluster, r).isPresent()).toList();
            ClusterSnapshot snapshot = ClusterSnapshot.of(cluster);
            List<PlacementPlan> plans = Scheduler.placeAll(snapshot, requests);
            List<InstanceState> expected = cluster;
            for (int k = 0; k < requests.size(); k++) {
                assertThat(plans.get(k)).as("request %d", k).isEqualTo(ReferencePlacer.place(expected, requests.get(k)));
                expected = ReferencePlacer.apply(expected, requests.get(k), plans.get(k));
            }
            assertThat(snapshot.instances()).isEqualTo(cluster);
            if (!requests.isEmpty()) {
                assertThat(Scheduler.place(snapshot, requests.get(0)))
                        .isEqualTo(ReferencePlacer.place(cluster, requests.get(0)));
            }
        });
    }

    /** One snapshot serving many requests reuses its layout (and builds indexes); every plan is still the reference's. */
    @Test
    void aSnapshotServingManyRequestsGivesTheReferencePlansEveryTime() {
        forEachSeed(100, seed -> {
            RandomClusters gen = new RandomClusters(seed);
            List<InstanceState> cluster = gen.richCluster(40);
            ClusterSnapshot snapshot = ClusterSnapshot.of(cluster);
            for (int k = 0; k < 20; k++) {
                PlacementRequest request = gen.richRequest();
                Optional<PlacementPlan> want = reference(cluster, request);
                if (want.isPresent()) {
                    assertThat(Scheduler.place(snapshot, request)).as("request %d", k).isEqualTo(want.get());
                }
            }
        });
    }

    @Nested
    class Changes {

        private final PlacementRequest web = request(512, 1024).group("service:web").build();

        @Test
        void placingCountsTheTasksAndLeavesTheSnapshotAlone() {
            ClusterSnapshot snapshot = TestInstances.snapshot(instance("a").cpu(1024));
            PlacementSession session = PlacementSession.open(snapshot);
            assertThat(session.place(web).complete()).isTrue();
            assertThat(session.place(web).complete()).isTrue();
            PlacementPlan third = session.place(web);
            assertThat(third.failures()).singleElement().extracting(PlacementFailure::reason).isEqualTo("RESOURCE:CPU");
            InstanceState a = session.instance(arn("a")).orElseThrow();
            assertThat(a.remaining().cpu()).isZero();
            assertThat(a.taskGroupCount("service:web")).isEqualTo(2);
            assertThat(a.runningTasksCount()).isEqualTo(2);
            assertThat(snapshot.instance(arn("a")).orElseThrow().remaining().cpu()).isEqualTo(1024);
            assertThat(Scheduler.place(snapshot, web).complete()).isTrue();
        }

        @Test
        void releasingFreesWhatTheTaskHeld() {
            TaskRequirements withPort = new TaskRequirements(512, 512, java.util.Set.of(8080), java.util.Set.of(), true,
                    List.of());
            PlacementRequest request = request(withPort).group("service:web").build();
            PlacementSession session = PlacementSession.open(TestInstances.snapshot(instance("a").eni(1)));
            assertThat(session.place(request).complete()).isTrue();
            assertThat(session.place(request).failures()).singleElement()
                    .extracting(PlacementFailure::reason).isEqualTo("RESOURCE:PORTS");
            assertThat(session.release(arn("a"), withPort, "service:web")).isTrue();
            assertThat(session.instance(arn("a")).orElseThrow()).isEqualTo(instance("a").eni(1).build());
            assertThat(session.place(request).complete()).isTrue();
        }

        @Test
        void aReleaseThatDoesNotMatchChangesNothing() {
            PlacementSession session = PlacementSession.open(TestInstances.snapshot(instance("a").group("service:api", 1)));
            InstanceState before = session.instance(arn("a")).orElseThrow();
            assertThatThrownBy(() -> session.release(arn("a"), TaskRequirements.of(1, 1), "service:web"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("service:web");
            TaskRequirements port = new TaskRequirements(1, 1, java.util.Set.of(9999), java.util.Set.of(), false, List.of());
            assertThatThrownBy(() -> session.release(arn("a"), port, "service:api"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9999");
            assertThat(session.instance(arn("a")).orElseThrow()).isEqualTo(before);
            assertThat(session.release(arn("gone"), TaskRequirements.of(1, 1), "service:api")).isFalse();
        }

        @Test
        void aFullClusterGivesTheSameFailureUntilSomethingChanges() {
            PlacementSession session = PlacementSession.open(TestInstances.snapshot(instance("a").cpu(1024),
                    instance("b").cpu(512).status(InstanceStatus.DRAINING)));
            assertThat(session.place(request(512, 1024).group("service:web").count(2).build()).complete()).isTrue();
            PlacementRequest again = request(512, 1024).group("service:web").id("again").count(3)
                    .strategies(PlacementStrategy.binpack(BinpackField.CPU)).build();
            PlacementPlan first = session.place(again);
            PlacementPlan second = session.place(request(512, 1024).group("service:web").id("other").count(2).build());
            assertThat(first.failures()).extracting(PlacementFailure::taskIndex).containsExactly(0, 1, 2);
            assertThat(first.failures().get(0).reason()).isEqualTo("RESOURCE:CPU");
            assertThat(first.failures().get(0).detail()).isEqualTo("1 instance was not ACTIVE; 1 instance lacked CPU");
            assertThat(second.failures()).extracting(PlacementFailure::taskIndex).containsExactly(0, 1);
            assertThat(second.failures().get(1)).isEqualTo(first.failures().get(1));
            assertThat(session.release(arn("a"), TaskRequirements.of(512, 1024), "service:web")).isTrue();
            assertThat(session.place(again).placements()).extracting(Placement::instanceArn).containsExactly(arn("a"));
        }

        @Test
        void upsertReplacesInPlaceAndAddsAtTheEnd() {
            PlacementSession session = PlacementSession.open(TestInstances.snapshot(instance("a"), instance("b")));
            session.upsert(instance("c").build());
            session.upsert(instance("a").status(InstanceStatus.DRAINING).build());
            assertThat(session.snapshot().instances()).extracting(InstanceState::arn)
                    .containsExactly(arn("a"), arn("b"), arn("c"));
            PlacementPlan plan = session.place(request(1, 1).count(4).strategies(PlacementStrategy.spread("host")).build());
            assertThat(plan.placements()).extracting(Placement::instanceArn).containsOnly(arn("b"), arn("c"));
        }

        @Test
        void anInstanceThatLeavesTakesNoTasksAndAnEmptyPoolIsAnError() {
            PlacementSession session = PlacementSession.open(TestInstances.snapshot(instance("a"), instance("b")));
            assertThat(session.remove(arn("a"))).isTrue();
            assertThat(session.remove(arn("a"))).isFalse();
            assertThat(session.place(request(1, 1).count(3).build()).placements())
                    .extracting(Placement::instanceArn).containsOnly(arn("b"));
            session.remove(arn("b"));
            assertThatThrownBy(() -> session.place(web)).isInstanceOf(NoContainerInstancesException.class);
            assertThat(session.size()).isZero();
        }

        @Test
        void manyDeparturesCompactTheLayoutWithoutChangingPlans() {
            List<InstanceState> all = IntStream.range(0, 2500)
                    .mapToObj(k -> instance(String.format("i%04d", k)).zone(RandomClusters.ZONES.get(k % 3))
                            .memory(1024 + (k % 7) * 512).build())
                    .toList();
            PlacementSession session = PlacementSession.open(ClusterSnapshot.of(all));
            PlacementRequest request = request(256, 512).count(10).strategies(
                    PlacementStrategy.spread("attribute:ecs.availability-zone"), PlacementStrategy.binpack(BinpackField.MEMORY))
                    .build();
            session.place(request);
            Map<String, Boolean> kept = new HashMap<>();
            for (InstanceState instance : all) {
                boolean stays = instance.id().hashCode() % 5 == 0;
                kept.put(instance.arn(), stays);
                if (!stays) {
                    session.remove(instance.arn());
                }
            }
            List<InstanceState> remaining = session.snapshot().instances();
            assertThat(remaining).allSatisfy(i -> assertThat(kept.get(i.arn())).isTrue());
            PlacementRequest next = request(256, 512).id("after").count(10).strategies(
                    PlacementStrategy.spread("attribute:ecs.availability-zone"), PlacementStrategy.binpack(BinpackField.MEMORY))
                    .build();
            assertThat(session.place(next)).isEqualTo(ReferencePlacer.place(remaining, next));
        }
    }
}
