package dev.stevedore.control.elb;

/**
 * A target's health in ELB's words.
 *
 * @param state {@code TargetHealthStateEnum}'s wire value: initial, healthy, unhealthy, unhealthy.draining,
 *     unused, draining or unavailable
 * @param reason {@code TargetHealthReasonEnum}'s wire value (e.g. {@code Elb.InitialHealthChecking},
 *     {@code Target.NotRegistered}); empty for a healthy target, which ELB reports without a reason
 * @param description ELB's description of the reason; empty when there is no reason
 */
public record TargetHealth(String state, String reason, String description) {
}
