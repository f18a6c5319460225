package dev.stevedore.scheduler.placement;

/**
 * {@code spread} over {@code instanceId} (or {@code host}): prefers the instance with the fewest
 * tasks of the request's group, counting the ones placed by this request.
 */
final class SpreadByInstanceScorer extends Scorer {

    private final Working working;

    SpreadByInstanceScorer(Working working) {
        this.working = working;
    }

    @Override
    long score(int i) {
        return working.groupCount(i);
    }
}
