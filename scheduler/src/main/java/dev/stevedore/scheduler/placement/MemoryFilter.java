package dev.stevedore.scheduler.placement;

/** Passes instances with at least the task's memory unreserved. */
public final class MemoryFilter extends InstanceFilter {

    /** ECS's reason for too little unreserved memory [dg api_failures_messages.md]. */
    public static final String REASON = "RESOURCE:MEMORY";

    @Override
    boolean test(Working working, int i) {
        return working.memory(i) >= working.task.memoryMiB();
    }

    @Override
    String reason() {
        return REASON;
    }

    @Override
    String describe(int rejected) {
        return instances(rejected) + " lacked memory";
    }
}
