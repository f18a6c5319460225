package dev.stevedore.lb;

/**
 * What the data plane has seen of one target of one group, for the control plane's DescribeTargetHealth: the
 * same fields as {@code control.elb.TargetHealthReadings.Reading}, with the key they belong to.
 *
 * @param verdict {@code initial}, {@code healthy}, {@code unhealthy}, or {@code unavailable} (checks disabled)
 * @param reason ELB's reason code ({@code Elb.InitialHealthChecking}, {@code Target.ResponseCodeMismatch},
 *     {@code Target.Timeout}, {@code Target.FailedHealthChecks}, {@code Target.HealthCheckDisabled}); empty
 *     when healthy
 * @param description ELB's description of that reason; empty when healthy
 * @param inFlight requests the target is serving now
 * @param draining whether the data plane already sends it no new requests (deregistered, or dropped from the
 *     configuration): only then may its in-flight count end its deregistration
 */
public record TargetReading(String targetGroupId, String host, int port, String verdict, String reason,
        String description, int inFlight, boolean draining) {
}
