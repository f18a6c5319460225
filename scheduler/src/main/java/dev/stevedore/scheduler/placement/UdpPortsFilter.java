package dev.stevedore.scheduler.placement;

/** Passes instances on which none of the task's static UDP host ports is reserved or in use. */
public final class UdpPortsFilter extends InstanceFilter {

    /**
     * No primary source documents the UDP reason. ECS names its failure reasons
     * {@code RESOURCE:<resource name>} and calls the UDP port set {@code PORTS_UDP} in
     * {@code registeredResources}, so we report {@code RESOURCE:PORTS_UDP}.
     */
    public static final String REASON = "RESOURCE:PORTS_UDP";

    @Override
    boolean test(Working working, int i) {
        return !anyTaken(working.state.udpPorts[i], working.taskUdpPorts);
    }

    @Override
    String reason() {
        return REASON;
    }

    @Override
    String describe(int rejected) {
        return instances(rejected) + " had a required UDP host port taken";
    }
}
