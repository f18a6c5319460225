package dev.stevedore.control.ecs.service;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.elb.ListenerRuleFacts;
import dev.stevedore.control.elb.ServiceTargets;
import dev.stevedore.control.elb.TargetGroupFacts;
import dev.stevedore.control.elb.TargetHealth;
import dev.stevedore.control.elb.TargetRef;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.store.StateStore;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Target groups for tests of the service scheduler, standing in for the ELB API until it is merged:
 * registrations are records written in the caller's transaction (so a refused or retried transaction
 * leaves none), and each target's health is what the test says: a verdict per target (the default for
 * registered targets otherwise), and for a deregistered target {@code draining} while drains are held,
 * {@code unused} once released.
 */
final class InMemoryTargets implements ServiceTargets {
    private static final String PREFIX = "/test-elb/targets/";
    private static final String RULES = "/test-elb/rules/";

    /** A target's registration as stored. */
    record Registration(String targetGroupArn, String id, int port, boolean registered) {
    }

    private final StateStore store;
    private final Map<String, TargetGroupFacts> groups = new ConcurrentHashMap<>();
    private final Map<TargetRef, String> verdicts = new ConcurrentHashMap<>();
    private final Set<TargetRef> released = ConcurrentHashMap.newKeySet();
    private final Map<TargetRef, AtomicInteger> askedWhileDraining = new ConcurrentHashMap<>();
    private final Map<TargetRef, AtomicInteger> asked = new ConcurrentHashMap<>();
    private final List<TargetRef> deregistrations = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile String defaultVerdict = "healthy";
    private volatile boolean holdDrains;

    InMemoryTargets(StateStore store) {
        this.store = store;
    }

    /** Adds a target group with a load balancer forwarding to it; returns its ARN. */
    String group(String name, String targetType) {
        return group(name, targetType, List.of("arn:aws:elasticloadbalancing:us-east-1:" + "123456789012"
                + ":loadbalancer/app/lb-" + name + "/50dc6c495c0c9188"));
    }

    String group(String name, String targetType, List<String> loadBalancers) {
        String arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/" + name + "/73e2d6bc24d8a067";
        groups.put(arn, new TargetGroupFacts(arn, name, targetType, loadBalancers, 300));
        return arn;
    }

    void defaultVerdict(String state) {
        defaultVerdict = state;
    }

    void verdict(TargetRef target, String state) {
        verdicts.put(target, state);
    }

    /** Deregistered targets stay {@code draining} until {@link #release}d. */
    void holdDrains() {
        holdDrains = true;
    }

    void release(TargetRef target) {
        released.add(target);
    }

    /** How often the target's health was asked while it was draining. */
    int askedWhileDraining(TargetRef target) {
        return askedWhileDraining.getOrDefault(target, new AtomicInteger()).get();
    }

    /**
     * The targets deregistration was asked for, in the order asked (a transaction that lost a race and ran
     * again asks again; whether it committed shows in the store).
     */
    List<TargetRef> deregistrations() {
        return List.copyOf(deregistrations);
    }

    /** How often the target's health was asked. */
    int asked(TargetRef target) {
        return asked.getOrDefault(target, new AtomicInteger()).get();
    }

    /** The group's targets as stored, registered or deregistered. */
    List<Registration> registrations(String targetGroupArn) {
        return store.range(PREFIX + targetGroupArn + "/").stream()
                .map(kv -> Records.decode(kv.value(), Registration.class)).toList();
    }

    List<TargetRef> registered(String targetGroupArn) {
        return registrations(targetGroupArn).stream().filter(Registration::registered)
                .map(r -> new TargetRef(r.id(), r.port())).toList();
    }

    @Override
    public Optional<TargetGroupFacts> targetGroup(EcsScope scope, String targetGroupArn) {
        return Optional.ofNullable(groups.get(targetGroupArn));
    }

    @Override
    public void register(StoreTx tx, EcsScope scope, String targetGroupArn, TargetRef target) {
        if (!groups.containsKey(targetGroupArn)) {
            throw new IllegalStateException("no target group " + targetGroupArn);
        }
        tx.put(key(targetGroupArn, target), new Registration(targetGroupArn, target.id(), target.port(), true));
    }

    @Override
    public void deregister(StoreTx tx, EcsScope scope, String targetGroupArn, TargetRef target) {
        deregistrations.add(target);
        Optional<Registration> r = tx.read(key(targetGroupArn, target), Registration.class);
        if (r.isPresent() && r.get().registered()) {
            tx.put(key(targetGroupArn, target), new Registration(targetGroupArn, target.id(), target.port(), false));
        }
    }

    @Override
    public TargetHealth health(EcsScope scope, String targetGroupArn, TargetRef target) {
        asked.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet();
        Optional<Registration> r = store.get(key(targetGroupArn, target))
                .map(kv -> Records.decode(kv.value(), Registration.class));
        if (r.isEmpty()) {
            return new TargetHealth("unused", "Target.NotRegistered", "Target is not registered to the target group");
        }
        if (!r.get().registered()) {
            if (holdDrains && !released.contains(target)) {
                askedWhileDraining.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet();
                return new TargetHealth("draining", "Target.DeregistrationInProgress",
                        "Target deregistration is in progress");
            }
            return new TargetHealth("unused", "Target.NotRegistered", "Target is not registered to the target group");
        }
        String state = verdicts.getOrDefault(target, defaultVerdict);
        return switch (state) {
            case "healthy" -> new TargetHealth("healthy", "", "");
            case "unhealthy" -> new TargetHealth("unhealthy", "Target.ResponseCodeMismatch",
                    "Health checks failed with these codes: [502]");
            default -> new TargetHealth("initial", "Elb.InitialHealthChecking", "Initial health checks in progress");
        };
    }

    /** A listener rule as stored: its forward's weights by target group. */
    record RuleWeightsRecord(Map<String, Integer> weights) {
    }

    /** Adds a listener rule forwarding to the groups with these weights; returns its ARN. */
    String rule(String name, Map<String, Integer> weights) {
        String arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/lb/50dc6c495c0c9188/"
                + "f2f7dc8efc522ab2/" + name;
        StoreTx.run(store, tx -> {
            tx.put(RULES + name, new RuleWeightsRecord(Map.copyOf(weights)));
            return null;
        });
        return arn;
    }

    /** Every value the rule's forward weights took from now on, as the store committed them, in order. */
    List<Map<String, Integer>> followWeights(String ruleArn) {
        List<Map<String, Integer>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        store.watch(RULES + ruleName(ruleArn), store.currentRevision() + 1, events -> events.forEach(e ->
                seen.add(Records.decode(e.kv().value(), RuleWeightsRecord.class).weights())));
        return seen;
    }

    /** The rule's forward weights as stored now. */
    Map<String, Integer> weights(String ruleArn) {
        return store.get(RULES + ruleName(ruleArn)).map(kv -> Records.decode(kv.value(), RuleWeightsRecord.class))
                .map(RuleWeightsRecord::weights).orElse(Map.of());
    }

    @Override
    public Optional<ListenerRuleFacts> listenerRule(EcsScope scope, String ruleArn) {
        return store.get(RULES + ruleName(ruleArn)).map(kv -> Records.decode(kv.value(), RuleWeightsRecord.class))
                .map(r -> new ListenerRuleFacts(ruleArn, "listener", "lb", r.weights()));
    }

    @Override
    public void forward(StoreTx tx, EcsScope scope, String ruleArn, Map<String, Integer> weights) {
        Optional<RuleWeightsRecord> now = tx.read(RULES + ruleName(ruleArn), RuleWeightsRecord.class);
        if (now.isPresent() && !now.get().weights().equals(weights)) {
            tx.put(RULES + ruleName(ruleArn), new RuleWeightsRecord(Map.copyOf(weights)));
        }
    }

    private static String ruleName(String ruleArn) {
        return ruleArn.substring(ruleArn.lastIndexOf('/') + 1);
    }

    private static String key(String targetGroupArn, TargetRef target) {
        return PREFIX + targetGroupArn + "/" + target.id() + ":" + target.port();
    }
}
