package dev.stevedore.control.ecs.service;

import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.service.rollout.TrafficShift;
import dev.stevedore.control.elb.ListenerRuleFacts;
import dev.stevedore.control.elb.ServiceTargets;
import dev.stevedore.control.elb.TargetGroupFacts;
import dev.stevedore.model.ecs.AdvancedConfiguration;
import dev.stevedore.model.ecs.DeploymentConfiguration;
import dev.stevedore.model.ecs.LoadBalancer;

import java.util.List;

/**
 * What CreateService and UpdateService check of a load balancer's {@code advancedConfiguration} (the two target
 * groups and listener rules a BLUE_GREEN, LINEAR or CANARY deployment moves traffic between), and of the strategy
 * against the load balancers: a traffic-shifting strategy needs every load balancer to name its alternate group
 * and production rule, and an advancedConfiguration means nothing to a rolling deployment. Nothing is written.
 */
final class AdvancedConfigurationRules {
    private AdvancedConfigurationRules() {
    }

    /** One entry's advancedConfiguration, after its primary target group passed {@link LoadBalancerRules}. */
    static void check(ServiceTargets targets, EcsScope scope, LoadBalancer lb, TargetGroupFacts primary) {
        AdvancedConfiguration advanced = lb.advancedConfiguration();
        String alternateArn = advanced.alternateTargetGroupArn();
        if (alternateArn == null || alternateArn.isEmpty()) {
            throw EcsErrors.invalidParameter("alternateTargetGroupArn must be specified in the advancedConfiguration "
                    + "of a load balancer.");
        }
        if (alternateArn.equals(lb.targetGroupArn())) {
            throw EcsErrors.invalidParameter("The alternateTargetGroupArn must be different from the targetGroupArn "
                    + lb.targetGroupArn() + ".");
        }
        TargetGroupFacts alternate = targets.targetGroup(scope, alternateArn)
                .orElseThrow(() -> EcsErrors.invalidParameter("The target group " + alternateArn
                        + " specified as alternateTargetGroupArn does not exist."));
        if (!alternate.targetType().equals(primary.targetType())) {
            throw EcsErrors.invalidParameter("The alternate target group " + alternateArn + " has target type "
                    + alternate.targetType() + ", which differs from target type " + primary.targetType()
                    + " of target group " + lb.targetGroupArn() + ".");
        }
        if (advanced.productionListenerRule() == null || advanced.productionListenerRule().isEmpty()) {
            throw EcsErrors.invalidParameter("productionListenerRule must be specified in the advancedConfiguration "
                    + "of a load balancer that is an Application Load Balancer.");
        }
        ListenerRuleFacts production = rule(targets, scope, advanced.productionListenerRule(), "productionListenerRule");
        forwardsToPair(production, lb, "productionListenerRule");
        if (advanced.testListenerRule() != null) {
            ListenerRuleFacts test = rule(targets, scope, advanced.testListenerRule(), "testListenerRule");
            if (test.ruleArn().equals(production.ruleArn())) {
                throw EcsErrors.invalidParameter("The testListenerRule must be different from the "
                        + "productionListenerRule.");
            }
            forwardsToPair(test, lb, "testListenerRule");
        }
    }

    private static ListenerRuleFacts rule(ServiceTargets targets, EcsScope scope, String arn, String member) {
        ListenerRuleFacts rule = targets.listenerRule(scope, arn)
                .orElseThrow(() -> EcsErrors.invalidParameter("The listener rule " + arn + " specified as " + member
                        + " does not exist."));
        if (rule.forwardWeights().isEmpty()) {
            throw EcsErrors.invalidParameter("The listener rule " + arn + " specified as " + member
                    + " must have a forward action.");
        }
        return rule;
    }

    /** The rule forwards to the service's groups only: weights are moved between those two and nothing else. */
    private static void forwardsToPair(ListenerRuleFacts rule, LoadBalancer lb, String member) {
        List<String> pair = List.of(lb.targetGroupArn(), lb.advancedConfiguration().alternateTargetGroupArn());
        boolean others = rule.forwardWeights().keySet().stream().anyMatch(arn -> !pair.contains(arn));
        boolean ours = rule.forwardWeights().keySet().stream().anyMatch(pair::contains);
        if (others || !ours) {
            throw EcsErrors.invalidParameter("The listener rule " + rule.ruleArn() + " specified as " + member
                    + " must forward to the target group " + lb.targetGroupArn() + " or the alternate target group "
                    + lb.advancedConfiguration().alternateTargetGroupArn() + " only.");
        }
    }

    /** The strategy against the load balancers the service will have. */
    static void checkStrategy(DeploymentConfiguration config, List<LoadBalancer> loadBalancers) {
        String strategy = config == null || config.strategy() == null ? "ROLLING" : config.strategy();
        boolean shifting = TrafficShift.shifting(strategy);
        for (LoadBalancer lb : loadBalancers) {
            if (!shifting && lb.advancedConfiguration() != null) {
                throw EcsErrors.invalidParameter("advancedConfiguration can only be specified for a load balancer of "
                        + "a service that uses the BLUE_GREEN, LINEAR or CANARY deployment strategy.");
            }
            if (shifting && lb.advancedConfiguration() == null) {
                throw EcsErrors.invalidParameter("advancedConfiguration must be specified for each load balancer of "
                        + "a service that uses the " + strategy + " deployment strategy.");
            }
        }
        if (shifting && loadBalancers.isEmpty()) {
            throw EcsErrors.of("UnsupportedFeatureException", "Stevedore shifts traffic for " + strategy
                    + " deployments through Elastic Load Balancing only; the service must have loadBalancers.");
        }
    }
}
