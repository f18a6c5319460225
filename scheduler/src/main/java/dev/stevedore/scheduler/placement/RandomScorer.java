package dev.stevedore.scheduler.placement;

/** {@code random}: a score drawn per task and instance from the request's seed. */
final class RandomScorer extends Scorer {

    private final ClusterState state;
    private final long seed;
    private long taskSeed;

    RandomScorer(ClusterState state, long seed) {
        this.state = state;
        this.seed = seed;
    }

    @Override
    void beginTask(int taskIndex) {
        taskSeed = Seeds.mix(seed, taskIndex);
    }

    @Override
    long score(int i) {
        return Seeds.mix(taskSeed, state.arnHashes[i]);
    }
}
