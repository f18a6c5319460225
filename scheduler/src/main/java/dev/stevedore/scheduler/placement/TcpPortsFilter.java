package dev.stevedore.scheduler.placement;

/** Passes instances on which none of the task's static TCP host ports is reserved or in use. */
public final class TcpPortsFilter extends InstanceFilter {

    /** ECS's reason for a static host port already taken (observed in RunTask failures). */
    public static final String REASON = "RESOURCE:PORTS";

    @Override
    boolean test(Working working, int i) {
        // The request's earlier tasks are counted in the state, their ports taken with them.
        return !anyTaken(working.state.tcpPorts[i], working.taskTcpPorts);
    }

    @Override
    String reason() {
        return REASON;
    }

    @Override
    String describe(int rejected) {
        return instances(rejected) + " had a required TCP host port taken";
    }
}
