package dev.stevedore.control.elb.rule;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.elb.ElbArns;
import dev.stevedore.control.elb.ElbKeys;
import dev.stevedore.control.elb.ElbRecords;
import dev.stevedore.control.elb.ListenerRuleFacts;
import dev.stevedore.control.elb.listener.ListenerRecord;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.elbv2.Action;
import dev.stevedore.model.elbv2.ForwardActionConfig;
import dev.stevedore.model.elbv2.Rule;
import dev.stevedore.model.elbv2.TargetGroupStickinessConfig;
import dev.stevedore.model.elbv2.TargetGroupTuple;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The listener rules a traffic-shifting service deployment moves: read as facts, and a forward action's weights
 * rewritten in one record (a stored rule's, or for a default rule its listener's), the way ModifyRule would write
 * them, so the data plane applies each shift whole.
 */
public final class RuleWeights {
    private static final String ELB_ARN = "arn:aws:elasticloadbalancing:";

    private RuleWeights() {
    }

    public static Optional<ListenerRuleFacts> facts(StoreTx tx, EcsScope scope, String ruleArn) {
        return find(tx, scope, ruleArn).flatMap(found -> ElbRecords.listener(tx, scope, found.listenerArn())
                .map(l -> new ListenerRuleFacts(ruleArn, l.arn(), l.listener().loadBalancerArn(),
                        weights(found.rule().actions()))));
    }

    public static void forward(StoreTx tx, EcsScope scope, String ruleArn, Map<String, Integer> weights) {
        Optional<RuleOperations.Found> found = find(tx, scope, ruleArn);
        if (found.isEmpty() || weights(found.get().rule().actions()).isEmpty()) {
            return;
        }
        List<Action> actions = new ArrayList<>();
        for (Action a : found.get().rule().actions()) {
            actions.add("forward".equals(a.type()) ? weighted(a, weights) : a);
        }
        if (actions.equals(found.get().rule().actions())) {
            return;
        }
        // A forward rewrites its target groups unchanged, as ModifyRule does, so a delete that read them conflicts.
        for (String arn : weights.keySet()) {
            ElbRecords.targetGroup(tx, scope, arn).ifPresent(tg -> tx.put(ElbKeys.targetGroup(scope, tg.name()), tg));
        }
        ListenerRecord listener = ElbRecords.requireListener(tx, scope, found.get().listenerArn());
        ElbArns.ListenerRef ref = ElbArns.parseListener(scope, listener.arn()).orElseThrow();
        Rule rule = found.get().rule().toBuilder().actions(actions).build();
        if (found.get().record().isEmpty()) {
            tx.put(ElbKeys.listener(scope, ref.loadBalancerName(), ref.id()),
                    listener.withListener(listener.listener().toBuilder().defaultActions(actions).build()));
        } else {
            String id = ElbArns.parseRule(scope, ruleArn).orElseThrow().id();
            tx.put(ElbKeys.rule(scope, ref.loadBalancerName(), ref.id(), id), found.get().record().get().withRule(rule));
        }
    }

    private static Optional<RuleOperations.Found> find(StoreTx tx, EcsScope scope, String ruleArn) {
        if (ruleArn == null || !ruleArn.startsWith(ELB_ARN)) {
            return Optional.empty();
        }
        return RuleOperations.find(tx, scope, ruleArn);
    }

    /** The forward action's groups and weights, as ELB answers them (a lone group weighs 1). */
    static Map<String, Integer> weights(List<Action> actions) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Action a : actions) {
            if (!"forward".equals(a.type())) {
                continue;
            }
            if (a.forwardConfig() != null && a.forwardConfig().targetGroups() != null) {
                a.forwardConfig().targetGroups().forEach(t -> out.put(t.targetGroupArn(),
                        t.weight() == null ? 1 : t.weight()));
            } else if (a.targetGroupArn() != null) {
                out.put(a.targetGroupArn(), 1);
            }
        }
        return out;
    }

    private static Action weighted(Action forward, Map<String, Integer> weights) {
        TargetGroupStickinessConfig stickiness = forward.forwardConfig() == null
                || forward.forwardConfig().targetGroupStickinessConfig() == null
                ? new TargetGroupStickinessConfig(null, false) : forward.forwardConfig().targetGroupStickinessConfig();
        List<TargetGroupTuple> groups = weights.entrySet().stream()
                .map(e -> new TargetGroupTuple(e.getKey(), e.getValue())).toList();
        return forward.toBuilder()
                .targetGroupArn(groups.size() == 1 ? groups.getFirst().targetGroupArn() : null)
                .forwardConfig(new ForwardActionConfig(stickiness, groups))
                .build();
    }
}
