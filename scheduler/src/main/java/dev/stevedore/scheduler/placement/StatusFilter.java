package dev.stevedore.scheduler.placement;

/**
 * Passes ACTIVE instances only: DRAINING ones are being emptied and the others are not (or no
 * longer) registered.
 */
public final class StatusFilter extends InstanceFilter {

    /**
     * ECS has no RunTask reason for a non-ACTIVE instance; {@code INACTIVE} is the one StartTask
     * reports for an instance that was deregistered, so we use it for every status but ACTIVE.
     */
    public static final String REASON = "INACTIVE";

    @Override
    boolean test(Working working, int i) {
        return working.state.active[i];
    }

    @Override
    boolean isStatic() {
        return true;
    }

    @Override
    String reason() {
        return REASON;
    }

    @Override
    String describe(int rejected) {
        return instances(rejected) + (rejected == 1 ? " was" : " were") + " not ACTIVE";
    }
}
