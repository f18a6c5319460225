package dev.stevedore.control.elb.snapshot;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.elb.ElbKeys;
import dev.stevedore.control.elb.listener.ListenerRecord;
import dev.stevedore.control.elb.loadbalancer.LoadBalancerOperations;
import dev.stevedore.control.elb.loadbalancer.LoadBalancerRecord;
import dev.stevedore.control.elb.rule.RuleOperations;
import dev.stevedore.control.elb.rule.RuleRecord;
import dev.stevedore.control.elb.target.TargetRecord;
import dev.stevedore.control.elb.targetgroup.HealthCheckSettings;
import dev.stevedore.control.elb.targetgroup.TargetGroupAttributes;
import dev.stevedore.control.elb.targetgroup.TargetGroupRecord;
import dev.stevedore.control.state.Records;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@link ElbSnapshot} of a store: one range read of {@link ElbKeys#ROOT}, so the data plane sees
 * one consistent revision. Pure: it writes nothing (draining targets whose delay is over are left out, not
 * deleted).
 */
public final class ElbSnapshots {
    private final StateStore store;
    private final Clock clock;

    public ElbSnapshots(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The key prefix to watch: any change under it may change the snapshot. */
    public static String watchPrefix() {
        return ElbKeys.ROOT;
    }

    public ElbSnapshot read() {
        long revision = store.currentRevision();
        List<KeyValue> all = store.range(ElbKeys.ROOT);
        Instant now = clock.instant();
        Map<String, LoadBalancerRecord> loadBalancers = new HashMap<>();
        Map<String, EcsScope> scopes = new HashMap<>();
        List<ListenerRecord> listeners = new ArrayList<>();
        List<RuleRecord> rules = new ArrayList<>();
        List<TargetGroupRecord> groups = new ArrayList<>();
        Map<String, List<TargetRecord>> targetsByGroupKey = new HashMap<>();
        for (KeyValue kv : all) {
            String[] parts = kv.key().substring(ElbKeys.ROOT.length()).split("/");
            if (parts.length < 4 || kv.key().startsWith(ElbKeys.ADDRESSES)) {
                continue;
            }
            EcsScope scope = new EcsScope(parts[0], parts[1]);
            switch (parts[2]) {
                case "load-balancers" -> {
                    LoadBalancerRecord lb = Records.decode(kv.value(), LoadBalancerRecord.class);
                    loadBalancers.put(lb.arn(), lb);
                    scopes.put(lb.arn(), scope);
                }
                case "listeners" -> listeners.add(Records.decode(kv.value(), ListenerRecord.class));
                case "rules" -> rules.add(Records.decode(kv.value(), RuleRecord.class));
                case "target-groups" -> {
                    TargetGroupRecord tg = Records.decode(kv.value(), TargetGroupRecord.class);
                    groups.add(tg);
                    scopes.put(tg.arn(), scope);
                }
                case "targets" -> targetsByGroupKey.computeIfAbsent(parts[0] + "/" + parts[1] + "/" + parts[3],
                        k -> new ArrayList<>()).add(Records.decode(kv.value(), TargetRecord.class));
                default -> {
                }
            }
        }
        List<ElbSnapshot.LoadBalancerView> lbViews = new ArrayList<>();
        for (LoadBalancerRecord lb : loadBalancers.values()) {
            List<ElbSnapshot.ListenerView> listenerViews = listeners.stream()
                    .filter(l -> l.listener().loadBalancerArn().equals(lb.arn()))
                    .sorted(Comparator.comparing(l -> l.listener().port()))
                    .map(l -> listenerView(scopes.get(lb.arn()), l, rules)).toList();
            lbViews.add(new ElbSnapshot.LoadBalancerView(scopes.get(lb.arn()), lb.arn(), lb.name(), lb.address(),
                    lb.loadBalancer().scheme(), LoadBalancerOperations.ATTRIBUTES.effective(lb.attributes()),
                    listenerViews));
        }
        lbViews.sort(Comparator.comparing(ElbSnapshot.LoadBalancerView::address));
        List<ElbSnapshot.TargetGroupView> groupViews = new ArrayList<>();
        for (TargetGroupRecord tg : groups) {
            EcsScope scope = scopes.get(tg.arn());
            int delay = TargetGroupAttributes.deregistrationDelaySeconds(tg.attributes());
            List<ElbSnapshot.TargetView> targets = targetsByGroupKey
                    .getOrDefault(scope.accountId() + "/" + scope.region() + "/" + tg.name(), List.of()).stream()
                    .filter(t -> !t.drainedBy(now, delay))
                    .sorted(Comparator.comparing(TargetRecord::id).thenComparingInt(TargetRecord::port))
                    .map(t -> new ElbSnapshot.TargetView(t.ref(), t.drainingSince())).toList();
            groupViews.add(new ElbSnapshot.TargetGroupView(scope, tg.arn(), tg.name(), tg.targetGroup().protocol(),
                    tg.targetGroup().port(), tg.targetGroup().targetType(), HealthCheckSettings.of(tg.targetGroup()),
                    TargetGroupAttributes.SCHEMA.effective(tg.attributes()), targets));
        }
        groupViews.sort(Comparator.comparing(ElbSnapshot.TargetGroupView::arn));
        return new ElbSnapshot(revision, lbViews, groupViews);
    }

    private static ElbSnapshot.ListenerView listenerView(EcsScope scope, ListenerRecord listener, List<RuleRecord> rules) {
        List<ElbSnapshot.RuleView> views = new ArrayList<>(rules.stream()
                .filter(r -> r.listenerArn().equals(listener.arn()))
                .sorted(Comparator.comparingInt(RuleRecord::priority))
                .map(r -> new ElbSnapshot.RuleView(r.arn(), Optional.of(r.priority()), r.rule().conditions(),
                        r.rule().actions()))
                .toList());
        views.add(new ElbSnapshot.RuleView(RuleOperations.defaultRule(scope, listener).ruleArn(), Optional.empty(), List.of(),
                listener.listener().defaultActions()));
        return new ElbSnapshot.ListenerView(listener.arn(), listener.listener().port(), listener.listener().protocol(),
                views);
    }
}
