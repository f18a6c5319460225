package dev.stevedore.scheduler.placement;

import static dev.stevedore.scheduler.TestInstances.instance;
import static dev.stevedore.scheduler.TestInstances.request;
import static dev.stevedore.scheduler.placement.FiltersTest.working;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.scheduler.BinpackField;
import dev.stevedore.scheduler.LaunchType;
import dev.stevedore.scheduler.PlacementRequest;
import dev.stevedore.scheduler.PlacementStrategy;
import dev.stevedore.scheduler.TestInstances.InstanceBuilder;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ScorersTest {

    @Nested
    class Binpack {
        @Test
        void scoresTheResourceLeftAfterPlacing() {
            Working w = working(request(1024, 256).build(), instance("a").cpu(4096).memory(1024),
                    instance("b").cpu(2048).memory(4096));
            BinpackScorer byCpu = new BinpackScorer(w, BinpackField.CPU);
            BinpackScorer byMemory = new BinpackScorer(w, BinpackField.MEMORY);
            assertThat(byCpu.score(0)).isEqualTo(3072);
            assertThat(byCpu.score(1)).isEqualTo(1024);
            assertThat(byMemory.score(0)).isEqualTo(768);
            assertThat(byMemory.score(1)).isEqualTo(3840);
            w.place(1);
            assertThat(byCpu.score(1)).isZero();
        }
    }

    @Nested
    class SpreadByInstance {
        @Test
        void scoresTheGroupsTasksOnTheInstanceIncludingNewOnes() {
            Working w = working(request(1, 1).group("service:api").build(),
                    instance("a").group("service:api", 2).group("service:other", 5), instance("b"));
            SpreadByInstanceScorer scorer = new SpreadByInstanceScorer(w);
            assertThat(scorer.score(0)).isEqualTo(2);
            assertThat(scorer.score(1)).isZero();
            w.place(1);
            assertThat(scorer.score(1)).isEqualTo(1);
        }
    }

    @Nested
    class SpreadByAttribute {
        @Test
        void scoresTheGroupsTasksPerValueAcrossThePool() {
            Working w = working(request(1, 1).group("service:api").build(),
                    instance("a1").zone("a").group("service:api", 1),
                    instance("a2").zone("a").group("service:api", 2),
                    instance("b1").zone("b").group("service:other", 9),
                    instance("none"),
                    instance("ext").zone("b").attribute(LaunchType.EXTERNAL_ATTRIBUTE).group("service:api", 7));
            SpreadByAttributeScorer scorer = new SpreadByAttributeScorer(w, "ecs.availability-zone", LaunchType.EC2);
            assertThat(scorer.score(0)).isEqualTo(3);
            assertThat(scorer.score(1)).isEqualTo(3);
            assertThat(scorer.score(2)).as("the EXTERNAL instance is not in the EC2 pool").isZero();
            assertThat(scorer.score(3)).isZero();
            w.place(2);
            assertThat(scorer.score(2)).isEqualTo(1);
            assertThat(scorer.score(4)).as("same zone value, shared bucket").isEqualTo(1);
        }

        @Test
        void instancesWithoutTheAttributeShareOneBucket() {
            Working w = working(request(1, 1).build(), instance("x"), instance("y"), instance("z").zone("a"));
            SpreadByAttributeScorer scorer = new SpreadByAttributeScorer(w, "ecs.availability-zone", LaunchType.EC2);
            w.place(0);
            assertThat(scorer.score(1)).isEqualTo(1);
            assertThat(scorer.score(2)).isZero();
        }

        @Test
        void anAttributeNoInstanceHasIsOneBucketForAll() {
            Working w = working(request(1, 1).build(), instance("x"), instance("y"));
            SpreadByAttributeScorer scorer = new SpreadByAttributeScorer(w, "rack", LaunchType.EC2);
            w.place(0);
            assertThat(scorer.score(0)).isEqualTo(scorer.score(1));
        }
    }

    @Nested
    class Random {
        @Test
        void isAFunctionOfSeedTaskAndInstance() {
            Working w = working(IntStream.range(0, 20).mapToObj(i -> instance("i" + i))
                    .toArray(InstanceBuilder[]::new));
            RandomScorer first = new RandomScorer(w.state, 42);
            RandomScorer again = new RandomScorer(w.state, 42);
            RandomScorer otherSeed = new RandomScorer(w.state, 43);
            first.beginTask(0);
            again.beginTask(0);
            otherSeed.beginTask(0);
            Set<Long> scores = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                assertThat(first.score(i)).isEqualTo(again.score(i));
                assertThat(first.score(i)).isNotEqualTo(otherSeed.score(i));
                scores.add(first.score(i));
            }
            assertThat(scores).hasSize(20);
            long task0 = first.score(0);
            first.beginTask(1);
            assertThat(first.score(0)).isNotEqualTo(task0);
        }
    }

    @Nested
    class RankingOrder {

        private int best(PlacementRequest request, Working w, int... candidates) {
            Scorer[] scorers = request.strategies().stream()
                    .map(s -> Scorer.of(s, 0, w, LaunchType.EC2, 7)).toArray(Scorer[]::new);
            Ranking ranking = new Ranking(w.state, scorers, 7);
            ranking.begin(0);
            for (int i : candidates) {
                ranking.offer(i);
            }
            return ranking.best();
        }

        @Test
        void laterStrategiesOnlyBreakTiesOfEarlierOnes() {
            PlacementRequest request = request(1, 1)
                    .strategies(PlacementStrategy.spread("attribute:ecs.availability-zone"),
                            PlacementStrategy.binpack(BinpackField.MEMORY))
                    .build();
            Working w = working(request,
                    instance("busy-zone-tight").zone("a").memory(100).group("family:web", 1),
                    instance("empty-zone-roomy").zone("b").memory(5000),
                    instance("empty-zone-tight").zone("b").memory(200));
            assertThat(best(request, w, 0, 1, 2)).isEqualTo(2);
        }

        @Test
        void fullTiesAreBrokenTheSameWayWhateverTheCandidateOrder() {
            PlacementRequest request = request(1, 1).build();
            Working w = working(request, instance("a"), instance("b"), instance("c"), instance("d"));
            int forward = best(request, w, 0, 1, 2, 3);
            assertThat(best(request, w, 3, 2, 1, 0)).isEqualTo(forward);
            assertThat(best(request, w, 2, 0, 3, 1)).isEqualTo(forward);
        }
    }
}
