package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.query.ClusterQuery;

/** Passes instances that match a {@code memberOf} constraint's cluster query. */
public final class MemberOfFilter extends InstanceFilter {

    /**
     * ECS's reason, with its trailing period, as RunTask failures and service events show it
     * (e.g. {@code encountered error "MemberOf placement constraint unsatisfied."}).
     */
    public static final String REASON = "MemberOf placement constraint unsatisfied.";

    private final ClusterQuery query;

    MemberOfFilter(ClusterQuery query) {
        this.query = query;
    }

    @Override
    boolean test(Working working, int i) {
        return query.matches(working.asQueryTarget(i));
    }

    /** A query that reads no task counts has one answer per instance until the instance changes. */
    @Override
    boolean isStatic() {
        return !query.readsTasks();
    }

    ClusterQuery query() {
        return query;
    }

    @Override
    String reason() {
        return REASON;
    }

    @Override
    String describe(int rejected) {
        return rejected + " failed memberOf(" + query.source() + ")";
    }
}
