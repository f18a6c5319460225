package dev.stevedore.control.elb;

import java.util.Map;

/**
 * What ECS checks and moves of a listener rule a service names for a traffic-shifting deployment.
 *
 * @param forwardWeights the target groups the rule's forward action sends to, with their weights (empty when the
 *     rule does not forward)
 */
public record ListenerRuleFacts(String ruleArn, String listenerArn, String loadBalancerArn,
                                Map<String, Integer> forwardWeights) {
    public ListenerRuleFacts {
        forwardWeights = Map.copyOf(forwardWeights);
    }
}
