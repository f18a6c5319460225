package dev.stevedore.control.elb;

import java.util.Optional;

/**
 * What the data plane has seen of a registered target: its health checks and, for a draining one, whether it
 * still has requests in flight. The data plane implements it (in the server process, or reported by a
 * separate {@code stevedore lb} process); the ELB API combines it with the registrations it keeps.
 */
public interface TargetHealthReadings {

    /** The reading for a target of a group, or empty when the data plane has not checked it yet. */
    Optional<Reading> reading(String targetGroupArn, TargetRef target);

    /**
     * @param verdict {@code healthy}, {@code unhealthy} or {@code initial} (no verdict yet)
     * @param reason ELB's reason code for an unhealthy verdict ({@code Target.ResponseCodeMismatch},
     *     {@code Target.Timeout}, {@code Target.FailedHealthChecks}); empty otherwise
     * @param description ELB's description for that reason (e.g. "Health checks failed with these codes: [502]")
     * @param inFlight requests being served by the target now (a draining target with none is done)
     */
    record Reading(String verdict, String reason, String description, int inFlight) {
    }

    /** No data plane: every target stays in its initial state. */
    TargetHealthReadings NONE = (group, target) -> Optional.empty();
}
