package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.LaunchType;
import dev.stevedore.scheduler.PlacementStrategy;

/**
 * Ranks candidate instances for one placement strategy: a lower score is preferred. Scores are
 * plain longs computed from arrays so that ranking allocates nothing per instance, and they read
 * the cluster state as it is, so a task placed earlier in the request is already counted.
 */
abstract sealed class Scorer permits BinpackScorer, SpreadByInstanceScorer, SpreadByAttributeScorer, RandomScorer {

    /** The score of instance {@code i} for the task being placed; lower is better. */
    abstract long score(int i);

    /** Called before ranking for task {@code taskIndex}. */
    void beginTask(int taskIndex) {
    }

    static Scorer of(PlacementStrategy strategy, int position, Working working, LaunchType launchType, long seed) {
        return switch (strategy) {
            case PlacementStrategy.Binpack binpack -> new BinpackScorer(working, binpack.field());
            case PlacementStrategy.Spread spread -> spread.attributeName()
                    .<Scorer>map(name -> new SpreadByAttributeScorer(working, name, launchType))
                    .orElseGet(() -> new SpreadByInstanceScorer(working));
            case PlacementStrategy.Random random -> new RandomScorer(working.state, Seeds.mix(seed, position));
        };
    }
}
