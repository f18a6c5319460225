package dev.stevedore.control.elb.rule;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.elb.ElbArns;
import dev.stevedore.control.elb.ElbErrors;
import dev.stevedore.control.elb.ElbKeys;
import dev.stevedore.control.elb.ElbRecords;
import dev.stevedore.control.elb.listener.Actions;
import dev.stevedore.control.elb.listener.ListenerRecord;
import dev.stevedore.control.elb.loadbalancer.LoadBalancerRecord;
import dev.stevedore.control.elb.query.Paging;
import dev.stevedore.control.elb.tags.Tags;
import dev.stevedore.control.iam.query.Listing;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.elbv2.CreateRuleInput;
import dev.stevedore.model.elbv2.CreateRuleOutput;
import dev.stevedore.model.elbv2.DeleteRuleInput;
import dev.stevedore.model.elbv2.DeleteRuleOutput;
import dev.stevedore.model.elbv2.DescribeRulesInput;
import dev.stevedore.model.elbv2.DescribeRulesOutput;
import dev.stevedore.model.elbv2.ModifyRuleInput;
import dev.stevedore.model.elbv2.ModifyRuleOutput;
import dev.stevedore.model.elbv2.Rule;
import dev.stevedore.model.elbv2.RulePriorityPair;
import dev.stevedore.model.elbv2.SetRulePrioritiesInput;
import dev.stevedore.model.elbv2.SetRulePrioritiesOutput;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CreateRule, DescribeRules, ModifyRule, DeleteRule and SetRulePriorities. Priorities are 1 to 50000, unique in
 * a listener. A listener's default rule is not stored: it is the listener's default actions, described with
 * priority {@code default}; modifying its actions modifies the listener's.
 */
public final class RuleOperations {
    static final int PER_LOAD_BALANCER = 100;

    private final StateStore store;

    public RuleOperations(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateRule", Operations.typed(CreateRuleInput.class, this::create),
                "DescribeRules", Operations.typed(DescribeRulesInput.class, this::describe),
                "ModifyRule", Operations.typed(ModifyRuleInput.class, this::modify),
                "DeleteRule", Operations.typed(DeleteRuleInput.class, this::delete),
                "SetRulePriorities", Operations.typed(SetRulePrioritiesInput.class, this::setPriorities));
    }

    CreateRuleOutput create(CallContext ctx, CreateRuleInput request) {
        EcsScope scope = EcsScope.of(ctx);
        if (request.transforms() != null && !request.transforms().isEmpty()) {
            throw ElbErrors.notImplemented("rule transforms");
        }
        var conditions = Conditions.checked(request.conditions());
        var tags = Tags.given(request.tags());
        return StoreTx.run(store, tx -> {
            ListenerRecord listener = ElbRecords.requireListener(tx, scope, request.listenerArn());
            LoadBalancerRecord lb = ElbRecords.requireLoadBalancer(tx, scope, listener.listener().loadBalancerArn());
            var actions = Actions.checked(tx, scope, lb, request.actions());
            ElbArns.ListenerRef ref = ElbArns.parseListener(scope, listener.arn()).orElseThrow();
            List<RuleRecord> siblings = tx.scan(ElbKeys.rulesOf(scope, ref.loadBalancerName(), ref.id()), RuleRecord.class);
            if (siblings.stream().anyMatch(r -> r.priority() == request.priority())) {
                throw priorityInUse(request.priority());
            }
            if (tx.scan(ElbKeys.rulesOfLoadBalancer(scope, ref.loadBalancerName()), RuleRecord.class).size()
                    >= PER_LOAD_BALANCER) {
                throw ElbErrors.of("TooManyRules", "You've reached the limit on the number of rules per load balancer");
            }
            String id = ElbArns.newId();
            Rule rule = Rule.builder().ruleArn(ElbArns.rule(scope, ref, id)).priority(Integer.toString(request.priority()))
                    .conditions(conditions).actions(actions).isDefault(false).build();
            // The listener is written back unchanged: two rules taking one priority at once conflict, and a
            // DeleteListener that did not see this rule runs again.
            tx.put(ElbKeys.listener(scope, ref.loadBalancerName(), ref.id()), listener);
            tx.put(ElbKeys.rule(scope, ref.loadBalancerName(), ref.id(), id), new RuleRecord(rule, listener.arn(), tags));
            return new CreateRuleOutput(List.of(rule));
        });
    }

    DescribeRulesOutput describe(CallContext ctx, DescribeRulesInput request) {
        EcsScope scope = EcsScope.of(ctx);
        List<String> arns = request.ruleArns() == null ? List.of() : request.ruleArns();
        if (arns.isEmpty() == (request.listenerArn() == null)) {
            throw ElbErrors.validation("A listener ARN or rule ARNs must be specified, but not both");
        }
        List<Rule> found = StoreTx.run(store, tx -> {
            List<Rule> out = new ArrayList<>();
            if (request.listenerArn() != null) {
                ListenerRecord listener = ElbRecords.requireListener(tx, scope, request.listenerArn());
                out.addAll(rulesOf(tx, scope, listener));
            } else {
                for (String arn : new LinkedHashSet<>(arns)) {
                    out.add(find(tx, scope, arn).orElseThrow(ElbErrors::ruleNotFound).rule());
                }
            }
            return out;
        });
        List<Rule> ordered = new ArrayList<>(found);
        ordered.sort(Comparator.comparing(RuleOperations::sortKey));
        Listing.Page<Rule> page = Paging.page(ordered, RuleOperations::sortKey, request.marker(), request.pageSize());
        return new DescribeRulesOutput(page.markerOrNull(), page.items());
    }

    ModifyRuleOutput modify(CallContext ctx, ModifyRuleInput request) {
        EcsScope scope = EcsScope.of(ctx);
        if (request.transforms() != null && !request.transforms().isEmpty()) {
            throw ElbErrors.notImplemented("rule transforms");
        }
        var conditions = request.conditions() == null || request.conditions().isEmpty()
                ? Optional.<List<dev.stevedore.model.elbv2.RuleCondition>>empty()
                : Optional.of(Conditions.checked(request.conditions()));
        return StoreTx.run(store, tx -> {
            Found found = find(tx, scope, request.ruleArn()).orElseThrow(ElbErrors::ruleNotFound);
            ListenerRecord listener = ElbRecords.requireListener(tx, scope, found.listenerArn());
            LoadBalancerRecord lb = ElbRecords.requireLoadBalancer(tx, scope, listener.listener().loadBalancerArn());
            ElbArns.ListenerRef ref = ElbArns.parseListener(scope, listener.arn()).orElseThrow();
            Rule.Builder next = found.rule().toBuilder();
            if (request.actions() != null && !request.actions().isEmpty()) {
                next.actions(Actions.checked(tx, scope, lb, request.actions()));
            }
            if (found.record().isEmpty()) {
                if (conditions.isPresent()) {
                    throw ElbErrors.of("OperationNotPermitted", "The conditions of a default rule cannot be modified");
                }
                Rule rule = next.build();
                tx.put(ElbKeys.listener(scope, ref.loadBalancerName(), ref.id()),
                        listener.withListener(listener.listener().toBuilder().defaultActions(rule.actions()).build()));
                return new ModifyRuleOutput(List.of(rule));
            }
            conditions.ifPresent(next::conditions);
            Rule rule = next.build();
            String id = ElbArns.parseRule(scope, rule.ruleArn()).orElseThrow().id();
            tx.put(ElbKeys.rule(scope, ref.loadBalancerName(), ref.id(), id), found.record().get().withRule(rule));
            return new ModifyRuleOutput(List.of(rule));
        });
    }

    DeleteRuleOutput delete(CallContext ctx, DeleteRuleInput request) {
        EcsScope scope = EcsScope.of(ctx);
        StoreTx.run(store, tx -> {
            Found found = find(tx, scope, request.ruleArn()).orElseThrow(ElbErrors::ruleNotFound);
            if (found.record().isEmpty()) {
                throw ElbErrors.of("OperationNotPermitted", "Default rule '" + request.ruleArn() + "' cannot be deleted");
            }
            ElbArns.RuleRef ref = ElbArns.parseRule(scope, request.ruleArn()).orElseThrow();
            tx.delete(ElbKeys.rule(scope, ref.listener().loadBalancerName(), ref.listener().id(), ref.id()));
            return null;
        });
        return new DeleteRuleOutput();
    }

    /** Sets the priorities of rules of one listener at once; the result must leave every priority unique. */
    SetRulePrioritiesOutput setPriorities(CallContext ctx, SetRulePrioritiesInput request) {
        EcsScope scope = EcsScope.of(ctx);
        return StoreTx.run(store, tx -> {
            Map<String, Integer> wanted = new HashMap<>();
            Set<String> listenerArns = new HashSet<>();
            List<RuleRecord> changed = new ArrayList<>();
            for (RulePriorityPair pair : request.rulePriorities()) {
                Found found = find(tx, scope, pair.ruleArn()).orElseThrow(ElbErrors::ruleNotFound);
                if (found.record().isEmpty()) {
                    throw ElbErrors.of("OperationNotPermitted",
                            "The priority of default rule '" + pair.ruleArn() + "' cannot be changed");
                }
                if (pair.priority() == null) {
                    throw ElbErrors.validation("A priority must be specified for rule '" + pair.ruleArn() + "'");
                }
                if (wanted.put(pair.ruleArn(), pair.priority()) != null) {
                    throw ElbErrors.validation("Rule '" + pair.ruleArn() + "' is specified more than once");
                }
                listenerArns.add(found.listenerArn());
                changed.add(found.record().get());
            }
            if (listenerArns.size() > 1) {
                throw ElbErrors.validation("The rules must all belong to the same listener");
            }
            ElbArns.ListenerRef ref = ElbArns.parseListener(scope, listenerArns.iterator().next()).orElseThrow();
            Map<Integer, String> byPriority = new HashMap<>();
            for (RuleRecord rule : tx.scan(ElbKeys.rulesOf(scope, ref.loadBalancerName(), ref.id()), RuleRecord.class)) {
                int priority = wanted.getOrDefault(rule.arn(), rule.priority());
                if (byPriority.put(priority, rule.arn()) != null) {
                    throw priorityInUse(priority);
                }
            }
            List<Rule> out = new ArrayList<>();
            for (RuleRecord record : changed) {
                Rule rule = record.rule().toBuilder().priority(Integer.toString(wanted.get(record.arn()))).build();
                String id = ElbArns.parseRule(scope, record.arn()).orElseThrow().id();
                tx.put(ElbKeys.rule(scope, ref.loadBalancerName(), ref.id(), id), record.withRule(rule));
                out.add(rule);
            }
            tx.put(ElbKeys.listener(scope, ref.loadBalancerName(), ref.id()),
                    ElbRecords.requireListener(tx, scope, listenerArns.iterator().next()));
            return new SetRulePrioritiesOutput(out);
        });
    }

    /** A listener's rules, its default rule last, the others by priority. */
    public static List<Rule> rulesOf(StoreTx tx, EcsScope scope, ListenerRecord listener) {
        ElbArns.ListenerRef ref = ElbArns.parseListener(scope, listener.arn()).orElseThrow();
        List<Rule> out = new ArrayList<>(tx.scan(ElbKeys.rulesOf(scope, ref.loadBalancerName(), ref.id()), RuleRecord.class)
                .stream().sorted(Comparator.comparingInt(RuleRecord::priority)).map(RuleRecord::rule).toList());
        out.add(defaultRule(scope, listener));
        return out;
    }

    public static Rule defaultRule(EcsScope scope, ListenerRecord listener) {
        ElbArns.ListenerRef ref = ElbArns.parseListener(scope, listener.arn()).orElseThrow();
        return Rule.builder().ruleArn(ElbArns.rule(scope, ref, ElbArns.defaultRuleId(ref.id()))).priority("default")
                .conditions(List.of()).actions(listener.listener().defaultActions()).isDefault(true).build();
    }

    /** A rule by ARN: a stored one, or a listener's default rule (no record). */
    public record Found(Rule rule, String listenerArn, Optional<RuleRecord> record) {
    }

    public static Optional<Found> find(StoreTx tx, EcsScope scope, String ruleArn) {
        if (ruleArn == null || !ruleArn.startsWith("arn:aws:elasticloadbalancing:")) {
            throw ElbErrors.validation("'" + ruleArn + "' is not a valid rule ARN");
        }
        Optional<ElbArns.RuleRef> parsed = ElbArns.parseRule(scope, ruleArn);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        ElbArns.RuleRef ref = parsed.get();
        String listenerArn = ElbArns.listener(scope, ref.listener().loadBalancer(), ref.listener().id());
        Optional<RuleRecord> stored = tx.read(ElbKeys.rule(scope, ref.listener().loadBalancerName(), ref.listener().id(),
                ref.id()), RuleRecord.class).filter(r -> r.arn().equals(ruleArn));
        if (stored.isPresent()) {
            return Optional.of(new Found(stored.get().rule(), listenerArn, stored));
        }
        if (ref.id().equals(ElbArns.defaultRuleId(ref.listener().id()))) {
            return ElbRecords.listener(tx, scope, listenerArn)
                    .map(l -> new Found(defaultRule(scope, l), listenerArn, Optional.empty()));
        }
        return Optional.empty();
    }

    private static RuntimeException priorityInUse(int priority) {
        return ElbErrors.of("PriorityInUse", "Priority '" + priority + "' is currently in use");
    }

    /**
     * Orders rules as ELB lists them: by priority, the default rule last; the ARN after the priority keeps the key
     * unique (rules of several listeners may share a priority), as the paging marker needs.
     */
    private static String sortKey(Rule rule) {
        String priority = rule.priority().equals("default") ? "99999"
                : String.format("%05d", Integer.parseInt(rule.priority()));
        return priority + " " + rule.ruleArn();
    }
}
