package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.LaunchType;

/**
 * {@code spread} over {@code attribute:<name>}: prefers the attribute value whose instances run
 * the fewest tasks of the request's group.
 *
 * <p>Tasks are counted on every instance of the launch type's pool with that value, not only on
 * candidates: a full instance in us-east-1a still holds that zone's share. Instances without the
 * attribute form one bucket of their own, like one more value: ECS documents nothing for them,
 * and this neither excludes them (strategies are best effort, never filters) nor lets them
 * soak up every task. The counts are the cluster state's, which counts each task as it is placed.
 */
final class SpreadByAttributeScorer extends Scorer {

    final SpreadCounts.Counter counter;
    final String attribute;

    SpreadByAttributeScorer(Working working, String attribute, LaunchType launchType) {
        this.attribute = attribute;
        this.counter = working.state.spread.counter(working.groupId, attribute, launchType == LaunchType.EXTERNAL);
    }

    @Override
    long score(int i) {
        return counter.count(counter.column.id(i));
    }
}
