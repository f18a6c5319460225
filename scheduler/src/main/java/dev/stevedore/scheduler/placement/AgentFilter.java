package dev.stevedore.scheduler.placement;

/** Passes instances whose agent is connected; a task sent to a disconnected agent would wait. */
public final class AgentFilter extends InstanceFilter {

    /** ECS's reason for an instance whose agent is disconnected [dg api_failures_messages.md]. */
    public static final String REASON = "AGENT";

    @Override
    boolean test(Working working, int i) {
        return working.state.connected[i];
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
        return instances(rejected) + " had a disconnected agent";
    }
}
