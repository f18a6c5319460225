package dev.stevedore.control.ecs.service;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.elb.ServiceTargets;
import dev.stevedore.control.elb.TargetGroupFacts;
import dev.stevedore.control.elb.TargetHealth;
import dev.stevedore.control.elb.TargetRef;
import dev.stevedore.control.state.StoreTx;

import dev.stevedore.control.elb.ListenerRuleFacts;

import java.util.Map;
import java.util.Optional;

/**
 * The load balancers of a control plane that has no ELB API: no target group exists, so CreateService and
 * UpdateService refuse every {@code loadBalancers} entry as ECS refuses an unknown target group, and the
 * scheduler never has a target to register.
 */
public final class NoTargetGroups implements ServiceTargets {
    public static final NoTargetGroups INSTANCE = new NoTargetGroups();

    private NoTargetGroups() {
    }

    @Override
    public Optional<TargetGroupFacts> targetGroup(EcsScope scope, String targetGroupArn) {
        return Optional.empty();
    }

    @Override
    public void register(StoreTx tx, EcsScope scope, String targetGroupArn, TargetRef target) {
        throw new IllegalStateException("no target group " + targetGroupArn);
    }

    @Override
    public void deregister(StoreTx tx, EcsScope scope, String targetGroupArn, TargetRef target) {
        // Nothing is registered anywhere, so there is nothing to take out.
    }

    @Override
    public TargetHealth health(EcsScope scope, String targetGroupArn, TargetRef target) {
        return new TargetHealth("unused", "Target.NotRegistered", "Target is not registered to the target group");
    }

    @Override
    public Optional<ListenerRuleFacts> listenerRule(EcsScope scope, String ruleArn) {
        return Optional.empty();
    }

    @Override
    public void forward(StoreTx tx, EcsScope scope, String ruleArn, Map<String, Integer> weights) {
        throw new IllegalStateException("no listener rule " + ruleArn);
    }
}
