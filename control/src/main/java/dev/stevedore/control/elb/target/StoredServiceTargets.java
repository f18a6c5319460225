package dev.stevedore.control.elb.target;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.elb.ElbRecords;
import dev.stevedore.control.elb.ServiceTargets;
import dev.stevedore.control.elb.TargetGroupFacts;
import dev.stevedore.control.elb.TargetHealth;
import dev.stevedore.control.elb.TargetRef;
import dev.stevedore.control.elb.ElbKeys;
import dev.stevedore.control.elb.targetgroup.TargetGroupAttributes;
import dev.stevedore.control.elb.targetgroup.TargetGroupRecord;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import dev.stevedore.control.elb.ListenerRuleFacts;
import dev.stevedore.control.elb.rule.RuleWeights;

import java.util.Map;
import java.util.Optional;

/**
 * {@link ServiceTargets} over the ELB API's own records and rules ({@link Registrations}): what the ECS service
 * scheduler registers is what RegisterTargets would have registered, and the health it reads is what
 * DescribeTargetHealth answers.
 */
public final class StoredServiceTargets implements ServiceTargets {
    private final StateStore store;
    private final Clock clock;
    private final Registrations registrations;

    public StoredServiceTargets(StateStore store, Clock clock, Registrations registrations) {
        this.store = store;
        this.clock = clock;
        this.registrations = registrations;
    }

    @Override
    public Optional<TargetGroupFacts> targetGroup(EcsScope scope, String targetGroupArn) {
        return StoreTx.run(store, tx -> group(tx, scope, targetGroupArn).map(tg -> new TargetGroupFacts(tg.arn(),
                tg.name(), tg.targetGroup().targetType(), ElbRecords.loadBalancersUsing(tx, scope, tg.arn()),
                TargetGroupAttributes.deregistrationDelaySeconds(tg.attributes()))));
    }

    @Override
    public void register(StoreTx tx, EcsScope scope, String targetGroupArn, TargetRef target) {
        group(tx, scope, targetGroupArn).ifPresent(tg ->
                registrations.register(tx, scope, tg, target, Optional.empty(), clock.instant()));
    }

    @Override
    public void deregister(StoreTx tx, EcsScope scope, String targetGroupArn, TargetRef target) {
        group(tx, scope, targetGroupArn).ifPresent(tg -> registrations.deregister(tx, scope, tg, target, clock.instant()));
    }

    @Override
    public TargetHealth health(EcsScope scope, String targetGroupArn, TargetRef target) {
        return StoreTx.run(store, tx -> {
            Optional<TargetGroupRecord> group = group(tx, scope, targetGroupArn);
            if (group.isEmpty()) {
                return Registrations.NOT_REGISTERED;
            }
            TargetGroupRecord tg = group.get();
            Optional<TargetRecord> registration = tx.read(ElbKeys.target(scope, tg.name(), target.id(), target.port()),
                            TargetRecord.class)
                    .filter(t -> !registrations.gone(tg, t, clock.instant()));
            return registrations.health(tg, !ElbRecords.loadBalancersUsing(tx, scope, tg.arn()).isEmpty(), registration);
        });
    }

    @Override
    public Optional<ListenerRuleFacts> listenerRule(EcsScope scope, String ruleArn) {
        return StoreTx.run(store, tx -> RuleWeights.facts(tx, scope, ruleArn));
    }

    @Override
    public void forward(StoreTx tx, EcsScope scope, String ruleArn, Map<String, Integer> weights) {
        RuleWeights.forward(tx, scope, ruleArn, weights);
    }

    /** The group, or empty when there is none (or the ARN is not a target group's). */
    private static Optional<TargetGroupRecord> group(StoreTx tx, EcsScope scope, String arn) {
        if (arn == null || !arn.startsWith("arn:aws:elasticloadbalancing:")) {
            return Optional.empty();
        }
        return ElbRecords.targetGroup(tx, scope, arn);
    }
}
