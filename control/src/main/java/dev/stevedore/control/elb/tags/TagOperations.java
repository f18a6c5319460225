package dev.stevedore.control.elb.tags;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.elb.ElbArns;
import dev.stevedore.control.elb.ElbErrors;
import dev.stevedore.control.elb.ElbKeys;
import dev.stevedore.control.elb.ElbRecords;
import dev.stevedore.control.elb.listener.ListenerRecord;
import dev.stevedore.control.elb.loadbalancer.LoadBalancerRecord;
import dev.stevedore.control.elb.rule.RuleOperations;
import dev.stevedore.control.elb.rule.RuleRecord;
import dev.stevedore.control.elb.targetgroup.TargetGroupRecord;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.elbv2.AddTagsInput;
import dev.stevedore.model.elbv2.AddTagsOutput;
import dev.stevedore.model.elbv2.DescribeTagsInput;
import dev.stevedore.model.elbv2.DescribeTagsOutput;
import dev.stevedore.model.elbv2.RemoveTagsInput;
import dev.stevedore.model.elbv2.RemoveTagsOutput;
import dev.stevedore.model.elbv2.Tag;
import dev.stevedore.model.elbv2.TagDescription;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** AddTags, RemoveTags and DescribeTags of load balancers, target groups, listeners and rules. */
public final class TagOperations {
    private final StateStore store;

    public TagOperations(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "AddTags", Operations.typed(AddTagsInput.class, this::add),
                "RemoveTags", Operations.typed(RemoveTagsInput.class, this::remove),
                "DescribeTags", Operations.typed(DescribeTagsInput.class, this::describe));
    }

    AddTagsOutput add(CallContext ctx, AddTagsInput request) {
        EcsScope scope = EcsScope.of(ctx);
        List<Tag> added = Tags.given(request.tags());
        StoreTx.run(store, tx -> {
            for (String arn : new LinkedHashSet<>(request.resourceArns())) {
                change(tx, scope, arn, current -> Tags.merged(current, added));
            }
            return null;
        });
        return new AddTagsOutput();
    }

    RemoveTagsOutput remove(CallContext ctx, RemoveTagsInput request) {
        EcsScope scope = EcsScope.of(ctx);
        StoreTx.run(store, tx -> {
            for (String arn : new LinkedHashSet<>(request.resourceArns())) {
                change(tx, scope, arn, current -> Tags.without(current, request.tagKeys()));
            }
            return null;
        });
        return new RemoveTagsOutput();
    }

    DescribeTagsOutput describe(CallContext ctx, DescribeTagsInput request) {
        EcsScope scope = EcsScope.of(ctx);
        return StoreTx.run(store, tx -> {
            List<TagDescription> out = new ArrayList<>();
            for (String arn : new LinkedHashSet<>(request.resourceArns())) {
                List<Tag> tags = new ArrayList<>();
                change(tx, scope, arn, current -> {
                    tags.addAll(current);
                    return null;
                });
                out.add(new TagDescription(arn, tags));
            }
            return new DescribeTagsOutput(out);
        });
    }

    /**
     * Applies {@code change} to the tags of the resource the ARN names and writes the result back (a null result
     * writes nothing). The resource's kind is read off the ARN.
     */
    private static void change(StoreTx tx, EcsScope scope, String arn, UnaryOperator<List<Tag>> change) {
        String kind = arn.startsWith(ElbArns.prefix(scope)) ? arn.substring(ElbArns.prefix(scope).length()) : arn;
        if (kind.startsWith("loadbalancer/")) {
            LoadBalancerRecord lb = ElbRecords.requireLoadBalancer(tx, scope, arn);
            List<Tag> next = change.apply(lb.tags());
            if (next != null) {
                tx.put(ElbKeys.loadBalancer(scope, lb.name()), lb.withTags(next));
            }
        } else if (kind.startsWith("targetgroup/")) {
            TargetGroupRecord tg = ElbRecords.requireTargetGroup(tx, scope, arn);
            List<Tag> next = change.apply(tg.tags());
            if (next != null) {
                tx.put(ElbKeys.targetGroup(scope, tg.name()), tg.withTags(next));
            }
        } else if (kind.startsWith("listener/")) {
            ListenerRecord listener = ElbRecords.requireListener(tx, scope, arn);
            List<Tag> next = change.apply(listener.tags());
            if (next != null) {
                ElbArns.ListenerRef ref = ElbArns.parseListener(scope, arn).orElseThrow();
                tx.put(ElbKeys.listener(scope, ref.loadBalancerName(), ref.id()), listener.withTags(next));
            }
        } else if (kind.startsWith("listener-rule/")) {
            RuleOperations.Found found = RuleOperations.find(tx, scope, arn).orElseThrow(ElbErrors::ruleNotFound);
            ElbArns.RuleRef ref = ElbArns.parseRule(scope, arn).orElseThrow();
            if (found.record().isPresent()) {
                RuleRecord rule = found.record().get();
                List<Tag> next = change.apply(rule.tags());
                if (next != null) {
                    tx.put(ElbKeys.rule(scope, ref.listener().loadBalancerName(), ref.listener().id(), ref.id()),
                            rule.withTags(next));
                }
            } else {
                ListenerRecord listener = ElbRecords.requireListener(tx, scope, found.listenerArn());
                List<Tag> next = change.apply(listener.defaultRuleTags());
                if (next != null) {
                    tx.put(ElbKeys.listener(scope, ref.listener().loadBalancerName(), ref.listener().id()),
                            listener.withDefaultRuleTags(next));
                }
            }
        } else if (arn.startsWith("arn:aws:elasticloadbalancing:")) {
            throw ElbErrors.of("LoadBalancerNotFound", "One or more resources not found: '" + arn + "'");
        } else {
            throw ElbErrors.validation("'" + arn + "' is not a valid resource ARN");
        }
    }
}
