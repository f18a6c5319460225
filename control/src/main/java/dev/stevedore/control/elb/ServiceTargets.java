package dev.stevedore.control.elb;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.state.StoreTx;
import java.util.Map;
import java.util.Optional;

/**
 * What the ECS service scheduler asks of the load balancers: the facts of a service's target group, putting a
 * task's target in and taking it out within the scheduler's own transaction, and the target's health. The ELB
 * API implements it over the same records DescribeTargetHealth reads, so a service and a user see one truth.
 */
public interface ServiceTargets {

    /** The target group with that ARN in the scope, or empty when there is none. */
    Optional<TargetGroupFacts> targetGroup(EcsScope scope, String targetGroupArn);

    /**
     * Registers the target within the caller's transaction. Registering a target that is already registered
     * changes nothing; one that is draining is registered again (as RegisterTargets does).
     */
    void register(StoreTx tx, EcsScope scope, String targetGroupArn, TargetRef target);

    /**
     * Starts the target's deregistration within the caller's transaction: from the commit on, the data plane
     * sends it no new request and lets in-flight ones finish within the group's deregistration delay.
     * Deregistering a target that is not registered changes nothing.
     */
    void deregister(StoreTx tx, EcsScope scope, String targetGroupArn, TargetRef target);

    /** The target's health as DescribeTargetHealth would answer it now. */
    TargetHealth health(EcsScope scope, String targetGroupArn, TargetRef target);

    /** The listener rule (a stored rule or a listener's default rule) with that ARN, or empty when there is none. */
    Optional<ListenerRuleFacts> listenerRule(EcsScope scope, String ruleArn);

    /**
     * Rewrites the rule's forward action to send to exactly these target groups with these weights, within the
     * caller's transaction: one record changes, so the data plane moves the traffic in one step at the commit.
     * Weights it already has, a rule that is gone, or one that does not forward, write nothing.
     */
    void forward(StoreTx tx, EcsScope scope, String ruleArn, Map<String, Integer> weights);
}
