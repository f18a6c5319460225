package dev.stevedore.scheduler.placement;

/**
 * Passes instances that run no task of the request's group, counting the snapshot's tasks and
 * the ones this request has placed.
 */
public final class DistinctInstanceFilter extends InstanceFilter {

    /** ECS's reason, with its trailing period, as RunTask returns it in {@code failures[].reason}. */
    public static final String REASON = "DistinctInstance placement constraint unsatisfied.";

    private final String group;

    DistinctInstanceFilter(String group) {
        this.group = group;
    }

    @Override
    boolean test(Working working, int i) {
        return working.groupCount(i) == 0;
    }

    @Override
    String reason() {
        return REASON;
    }

    @Override
    String describe(int rejected) {
        return rejected + " failed distinctInstance (already running a task of " + group + ")";
    }
}
