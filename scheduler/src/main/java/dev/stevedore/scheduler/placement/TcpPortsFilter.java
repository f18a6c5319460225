package dev.stevedore.scheduler.placement;

/** Passes instances on which none of the task's static TCP host ports is reserved or in use. */
public final class TcpPortsFilter extends InstanceFilter {

    /** ECS's reason for a static host port already taken (observed in RunTask failures). */
    public static final String REASON = "RESOURCE:PORTS";

    @Override
    boolean test(Working working, int i) {
        // A task of this request already there holds every one of the (identical) task's ports.
        return working.placedOn(i) == 0 && !anyTaken(working.index.tcpPorts[i], working.taskTcpPorts);
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
