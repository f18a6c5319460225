package dev.stevedore.control.ecs.service.rollout;

import java.util.Optional;

/**
 * What a service task's load balancers say of it, as the scheduler reads it at the start of a pass.
 *
 * @param failure the first target group that reports the task's target unhealthy, when one does
 */
public record TargetsHealth(State state, Optional<Failure> failure) {

    public enum State {
        /** The task's deployment names no load balancer. */
        NOT_BALANCED,
        /** Its targets are not all registered yet, or the load balancer has no verdict on them yet. */
        WAITING,
        /** Every target group reports its target healthy. */
        HEALTHY,
        /** A target group reports its target unhealthy. */
        UNHEALTHY
    }

    /**
     * A target group's unhealthy verdict, with what ECS's event names.
     *
     * @param instanceId the EC2 instance of an {@code instance} target; empty for an {@code ip} one
     * @param reason     the load balancer's description of why
     */
    public record Failure(String targetGroupArn, String targetGroupName, Optional<String> instanceId, int port,
                          String reason) {
    }

    public static final TargetsHealth NOT_BALANCED = new TargetsHealth(State.NOT_BALANCED, Optional.empty());
    public static final TargetsHealth WAITING = new TargetsHealth(State.WAITING, Optional.empty());
    public static final TargetsHealth HEALTHY = new TargetsHealth(State.HEALTHY, Optional.empty());

    public static TargetsHealth unhealthy(Failure failure) {
        return new TargetsHealth(State.UNHEALTHY, Optional.of(failure));
    }

    public boolean balanced() {
        return state != State.NOT_BALANCED;
    }
}
