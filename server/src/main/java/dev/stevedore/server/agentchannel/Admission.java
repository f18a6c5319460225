package dev.stevedore.server.agentchannel;

import dev.stevedore.control.ecs.agent.AgentStates.InstanceRef;

/**
 * The answer to an agent's request to open its channel: let it in as the agent of one container
 * instance, or refuse it with an HTTP status before the connection is upgraded.
 */
sealed interface Admission {

    /** The request is signed by a known key and names an instance of the signer's account. */
    record Admitted(InstanceRef instance) implements Admission {
    }

    /** Refused with this HTTP status; the reason goes to the log (a refused handshake has no body). */
    record Refused(int status, String reason) implements Admission {
    }
}
