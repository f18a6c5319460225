package dev.stevedore.scheduler.placement;

/** Passes instances with a free ENI attachment point, which every {@code awsvpc} task takes one of. */
public final class EniFilter extends InstanceFilter {

    /** ECS's reason for no free ENI attachment point [dg api_failures_messages.md]. */
    public static final String REASON = "RESOURCE:ENI";

    @Override
    boolean test(Working working, int i) {
        return working.state.eni[i] >= 1;
    }

    @Override
    String reason() {
        return REASON;
    }

    @Override
    String describe(int rejected) {
        return instances(rejected) + " had no free ENI attachment";
    }
}
