package dev.stevedore.scheduler.placement;

/** {@code random}: a score drawn per task and instance from the request's seed. */
final class RandomScorer extends Scorer {

    private final ClusterIndex index;
    private final long seed;
    private long taskSeed;

    RandomScorer(ClusterIndex index, long seed) {
        this.index = index;
        this.seed = seed;
    }

    @Override
    void beginTask(int taskIndex) {
        taskSeed = Seeds.mix(seed, taskIndex);
    }

    @Override
    long score(int i) {
        return Seeds.mix(taskSeed, index.arnHashes[i]);
    }
}
