package dev.stevedore.scheduler.placement;

/** Passes instances with at least the task's CPU units unreserved. */
public final class CpuFilter extends InstanceFilter {

    /** ECS's reason for too little unreserved CPU [dg api_failures_messages.md]. */
    public static final String REASON = "RESOURCE:CPU";

    @Override
    boolean test(Working working, int i) {
        return working.cpu(i) >= working.task.cpu();
    }

    @Override
    String reason() {
        return REASON;
    }

    @Override
    String describe(int rejected) {
        return instances(rejected) + " lacked CPU";
    }
}
