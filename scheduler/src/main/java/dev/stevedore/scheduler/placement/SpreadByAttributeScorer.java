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
 * soak up every task.
 */
final class SpreadByAttributeScorer extends Scorer {

    private final int[] valueIds;
    private final int[] tasksPerValue;

    SpreadByAttributeScorer(Working working, String attribute, LaunchType launchType) {
        ClusterIndex.AttributeColumn column = working.index.column(attribute);
        this.valueIds = column.ids();
        this.tasksPerValue = new int[column.distinctIds()];
        ClusterIndex.GroupMembers members = working.index.group(working.group);
        for (int k = 0; k < members.instances().length; k++) {
            int i = members.instances()[k];
            if (working.index.inPool(i, launchType)) {
                tasksPerValue[valueIds[i]] += members.counts()[k];
            }
        }
    }

    @Override
    long score(int i) {
        return tasksPerValue[valueIds[i]];
    }

    @Override
    void placed(int i) {
        tasksPerValue[valueIds[i]]++;
    }
}
