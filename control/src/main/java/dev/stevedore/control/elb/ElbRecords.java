package dev.stevedore.control.elb;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.elb.listener.ListenerRecord;
import dev.stevedore.control.elb.loadbalancer.LoadBalancerRecord;
import dev.stevedore.control.elb.rule.RuleRecord;
import dev.stevedore.control.elb.targetgroup.TargetGroupRecord;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.elbv2.Action;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finding the load balancer records an ARN names, within a transaction (a read is a compare-and-set
 * condition; read-only calls run in a transaction that writes nothing). An ARN not of ELB's form is a
 * ValidationError; one of ELB's form that names nothing here is the resource's NotFound.
 */
public final class ElbRecords {
    private static final String ELB_ARN = "arn:aws:elasticloadbalancing:";

    private ElbRecords() {
    }

    public static Optional<LoadBalancerRecord> loadBalancer(StoreTx tx, EcsScope scope, String arn) {
        return ElbArns.parseLoadBalancer(scope, checked(arn, "load balancer"))
                .flatMap(ref -> tx.read(ElbKeys.loadBalancer(scope, ref.name()), LoadBalancerRecord.class))
                .filter(lb -> lb.arn().equals(arn));
    }

    public static LoadBalancerRecord requireLoadBalancer(StoreTx tx, EcsScope scope, String arn) {
        return loadBalancer(tx, scope, arn).orElseThrow(ElbErrors::loadBalancerNotFound);
    }

    public static Optional<TargetGroupRecord> targetGroup(StoreTx tx, EcsScope scope, String arn) {
        return ElbArns.parseTargetGroup(scope, checked(arn, "target group"))
                .flatMap(ref -> tx.read(ElbKeys.targetGroup(scope, ref.name()), TargetGroupRecord.class))
                .filter(tg -> tg.arn().equals(arn));
    }

    public static TargetGroupRecord requireTargetGroup(StoreTx tx, EcsScope scope, String arn) {
        return targetGroup(tx, scope, arn).orElseThrow(ElbErrors::targetGroupNotFound);
    }

    public static Optional<ListenerRecord> listener(StoreTx tx, EcsScope scope, String arn) {
        return ElbArns.parseListener(scope, checked(arn, "listener"))
                .flatMap(ref -> tx.read(ElbKeys.listener(scope, ref.loadBalancerName(), ref.id()), ListenerRecord.class))
                .filter(l -> l.arn().equals(arn));
    }

    public static ListenerRecord requireListener(StoreTx tx, EcsScope scope, String arn) {
        return listener(tx, scope, arn).orElseThrow(ElbErrors::listenerNotFound);
    }

    public static List<LoadBalancerRecord> loadBalancers(StoreTx tx, EcsScope scope) {
        return tx.scan(ElbKeys.loadBalancers(scope), LoadBalancerRecord.class);
    }

    public static List<TargetGroupRecord> targetGroups(StoreTx tx, EcsScope scope) {
        return tx.scan(ElbKeys.targetGroups(scope), TargetGroupRecord.class);
    }

    public static List<ListenerRecord> listeners(StoreTx tx, EcsScope scope) {
        return tx.scan(ElbKeys.listeners(scope), ListenerRecord.class);
    }

    public static List<ListenerRecord> listenersOf(StoreTx tx, EcsScope scope, String loadBalancerName) {
        return tx.scan(ElbKeys.listenersOf(scope, loadBalancerName), ListenerRecord.class);
    }

    public static List<RuleRecord> rules(StoreTx tx, EcsScope scope) {
        return tx.scan(ElbKeys.rules(scope), RuleRecord.class);
    }

    /** The load balancers whose listeners or rules forward to the target group, in the order first found. */
    public static List<String> loadBalancersUsing(StoreTx tx, EcsScope scope, String targetGroupArn) {
        Set<String> found = new LinkedHashSet<>();
        for (ListenerRecord listener : listeners(tx, scope)) {
            if (forwardsTo(listener.listener().defaultActions(), targetGroupArn)) {
                found.add(listener.listener().loadBalancerArn());
            }
        }
        for (RuleRecord rule : rules(tx, scope)) {
            if (forwardsTo(rule.rule().actions(), targetGroupArn)) {
                ElbArns.parseRule(scope, rule.arn()).ifPresent(ref ->
                        found.add(ElbArns.loadBalancer(scope, ref.listener().loadBalancerName(),
                                ref.listener().loadBalancerId())));
            }
        }
        return new ArrayList<>(found);
    }

    /** The target groups the actions forward to. */
    public static Set<String> targetGroupsOf(List<Action> actions) {
        Set<String> arns = new LinkedHashSet<>();
        for (Action action : actions == null ? List.<Action>of() : actions) {
            if (action.targetGroupArn() != null) {
                arns.add(action.targetGroupArn());
            }
            if (action.forwardConfig() != null && action.forwardConfig().targetGroups() != null) {
                action.forwardConfig().targetGroups().forEach(t -> arns.add(t.targetGroupArn()));
            }
        }
        return arns;
    }

    private static boolean forwardsTo(List<Action> actions, String targetGroupArn) {
        return targetGroupsOf(actions).contains(targetGroupArn);
    }

    private static String checked(String arn, String what) {
        if (arn == null || !arn.startsWith(ELB_ARN)) {
            throw ElbErrors.validation("'" + arn + "' is not a valid " + what + " ARN");
        }
        return arn;
    }
}
