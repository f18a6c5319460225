package dev.stevedore.control.ecs.service.controller;

import dev.stevedore.control.ecs.service.ServiceHistory;
import dev.stevedore.control.ecs.service.ServiceMessages;
import dev.stevedore.control.ecs.service.ServiceRef;
import dev.stevedore.control.ecs.service.ServiceStatus;
import dev.stevedore.control.ecs.service.Services;
import dev.stevedore.control.ecs.service.DeploymentRollback;
import dev.stevedore.control.ecs.service.HookDetails;
import dev.stevedore.control.ecs.service.ServiceTraffic;
import dev.stevedore.control.ecs.service.rollout.Decision;
import dev.stevedore.control.ecs.service.rollout.RolloutSettings;
import dev.stevedore.control.ecs.service.rollout.ServiceTask;
import dev.stevedore.control.ecs.service.rollout.TrafficShift;
import dev.stevedore.control.elb.ServiceTargets;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.AdvancedConfiguration;
import dev.stevedore.model.ecs.Deployment;
import dev.stevedore.model.ecs.DeploymentConfiguration;
import dev.stevedore.model.ecs.LoadBalancer;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.ServiceDeployment;
import dev.stevedore.store.StateStore;
import dev.stevedore.awsproto.AwsException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The part of a pass that carries out a BLUE_GREEN, LINEAR or CANARY deployment of a service behind load
 * balancers whose entries name an {@code advancedConfiguration}. The decisions are {@link TrafficShift}'s; this
 * class reads and writes what they need, in one transaction per pass: the service's {@link ServiceTraffic} and the
 * weights of its production and test listener rules (through {@link ServiceTargets#forward}, so each change is one
 * ELB record and reaches the data plane whole).
 * <ul>
 *   <li>A new primary deployment while blue (a deployment whose tasks serve production) still has tasks is
 *       placed in the alternate groups and its shift starts; one with no blue to replace (the first) is placed in
 *       production.</li>
 *   <li>While the shift has not reached CLEAN_UP, blue's tasks are held: the pass does not stop them.</li>
 *   <li>A shift whose deployment stopped being the primary (the circuit breaker's rollback, StopServiceDeployment,
 *       a newer UpdateService) puts all production and test traffic back on blue in one write, and green is
 *       then scaled in as any older deployment; one already in CLEAN_UP (traffic on green, blue going) is finished
 *       instead, as going back would send traffic to tasks being removed.</li>
 *   <li>When blue is gone the groups swap roles: green's groups are production from then on.</li>
 *   <li>PAUSE hooks: each one reached is listed in the deployment's history record (lifecycleHookDetails) and
 *       moved on as it is answered or times out; green is not started while the shift is held before its
 *       scale-up; a timeout with ROLLBACK rolls the deployment back as StopServiceDeployment does.</li>
 * </ul>
 */
final class TrafficShiftSync {
    private final StateStore store;
    private final ServiceTargets targets;
    private final RolloutSettings settings;

    TrafficShiftSync(StateStore store, ServiceTargets targets, RolloutSettings settings) {
        this.store = store;
        this.targets = targets;
        this.settings = settings;
    }

    /** Whether the service's deployments shift traffic: a traffic-shifting strategy and advanced load balancers. */
    static boolean applies(Service service) {
        return service.deploymentConfiguration() != null
                && TrafficShift.shifting(service.deploymentConfiguration().strategy())
                && !advanced(service).isEmpty();
    }

    /** What the pass does with the shift: which deployments' tasks to hold, the events, when to look again. */
    record Outcome(Set<String> held, Set<String> startsHeld, List<String> events, Optional<Instant> recheckAt,
                   boolean rolledBack) {
        static final Outcome NONE = new Outcome(Set.of(), Set.of(), List.of(), Optional.empty(), false);
    }

    /** The groups each deployment's tasks register in, as the service's record of them says now. */
    Placement placement(ServiceRef ref) {
        ServiceTraffic traffic = StoreTx.run(store, tx -> tx.read(ServiceTraffic.key(ref), ServiceTraffic.class))
                .orElse(ServiceTraffic.EMPTY);
        return new Placement(traffic);
    }

    /** A deployment's load balancers with each entry's targetGroupArn replaced by the group its tasks go to. */
    record Placement(ServiceTraffic traffic) {
        List<LoadBalancer> of(String deploymentId, List<LoadBalancer> lbs) {
            Map<String, String> placed = traffic.placements().getOrDefault(deploymentId, Map.of());
            List<LoadBalancer> out = new ArrayList<>(lbs.size());
            for (LoadBalancer lb : lbs) {
                if (lb.advancedConfiguration() == null) {
                    out.add(lb);
                    continue;
                }
                String group = placed.getOrDefault(lb.targetGroupArn(), traffic.productionOf(lb.targetGroupArn()));
                out.add(group.equals(lb.targetGroupArn()) ? lb : lb.toBuilder().targetGroupArn(group).build());
            }
            return out;
        }
    }

    /**
     * Advances the service's shift with its tasks as they are (their target health included) and writes the
     * outcome and the rule weights it implies in one transaction.
     */
    Outcome advance(ServiceRef ref, Service service, List<ServiceTask> tasks, int desired, Instant now) {
        Optional<Deployment> primary = Services.primary(service);
        if (primary.isEmpty() || !ServiceStatus.ACTIVE.equals(service.status())) {
            return Outcome.NONE;
        }
        List<LoadBalancer> entries = advanced(service);
        TrafficShift.Plan plan = TrafficShift.Plan.of(service.deploymentConfiguration());
        String primaryId = primary.get().id();
        Set<String> listed = Services.deployments(service).stream().map(Deployment::id).collect(Collectors.toSet());
        return StoreTx.run(store, tx -> {
            ServiceTraffic stored = tx.read(ServiceTraffic.key(ref), ServiceTraffic.class).orElse(ServiceTraffic.EMPTY);
            ServiceTraffic t = stored.keepingPlacementsOf(listed);
            List<String> events = new ArrayList<>();
            Optional<Instant> recheck = Optional.empty();
            Optional<ServiceTraffic.Shift> shift = t.current();
            if (shift.isPresent() && !shift.get().deploymentId().equals(primaryId)) {
                String green = shift.get().deploymentId();
                if (shift.get().state().blueReleased()) {
                    t = t.withProduction(production(t, entries, green)).withShift(Optional.empty());
                } else {
                    t = t.withShift(Optional.empty());
                    events.add(ServiceMessages.restoredProductionTraffic(ref.name(), green));
                }
                shift = Optional.empty();
            }
            if (shift.isEmpty() && !t.placements().containsKey(primaryId)) {
                ServiceTraffic before = t;
                boolean blue = tasks.stream().anyMatch(task -> task.active() && !task.deploymentId().equals(primaryId)
                        && onProduction(before, entries, task.deploymentId()));
                Map<String, String> groups = new LinkedHashMap<>();
                for (LoadBalancer lb : entries) {
                    String production = t.productionOf(lb.targetGroupArn());
                    groups.put(lb.targetGroupArn(), blue ? other(lb, production) : production);
                }
                t = t.withPlacement(primaryId, groups);
                if (blue) {
                    shift = Optional.of(ServiceTraffic.Shift.of(primaryId, TrafficShift.State.start(now)));
                }
            }
            if (shift.isPresent()) {
                ServiceTraffic before = t;
                long ready = tasks.stream().filter(task -> task.deploymentId().equals(primaryId)
                        && task.healthy(now, settings.healthyAfterRunning())).count();
                Set<String> blueDeployments = tasks.stream().filter(task -> task.active()
                        && !task.deploymentId().equals(primaryId) && onProduction(before, entries, task.deploymentId()))
                        .map(ServiceTask::deploymentId).collect(Collectors.toSet());
                TrafficShift.State from = shift.get().state();
                TrafficShift.Step step = TrafficShift.advance(plan, from, new TrafficShift.Facts(ready >= desired,
                        blueDeployments.isEmpty(), blueDeployments.size()), now, TrafficShift::newHookId);
                recordHooks(tx, ref, primaryId, step.hooks(), now);
                if (step.rollBack()) {
                    Optional<String> refused = rollBack(tx, ref, primaryId, now);
                    if (refused.isEmpty()) {
                        events.add(ServiceMessages.hookTimedOutRollingBack(ref.name(), primaryId));
                        return new Outcome(Set.of(), Set.of(), events, Optional.empty(), true);
                    }
                    events.add(refused.get());
                }
                if (step.state().isEmpty()) {
                    t = t.withProduction(production(t, entries, primaryId));
                    shift = Optional.empty();
                } else {
                    TrafficShift.State to = step.state().get();
                    if (!from.testOnGreen() && to.testOnGreen() && entries.stream()
                            .anyMatch(lb -> lb.advancedConfiguration().testListenerRule() != null)) {
                        events.add(ServiceMessages.shiftedTestTraffic(ref.name(), primaryId));
                    }
                    if (to.greenPercent() != from.greenPercent()) {
                        events.add(ServiceMessages.shiftedProductionTraffic(ref.name(), primaryId, to.greenPercent()));
                    }
                    shift = Optional.of(ServiceTraffic.Shift.of(primaryId, to));
                    recheck = step.recheckAt();
                }
                t = t.withShift(shift);
            }
            for (LoadBalancer lb : entries) {
                writeWeights(tx, ref, t, lb);
            }
            shift.ifPresent(sh -> recordStage(tx, ref, sh, now));
            if (!t.equals(stored)) {
                tx.put(ServiceTraffic.key(ref), t);
            }
            Set<String> held = new java.util.HashSet<>();
            if (shift.isPresent() && !shift.get().state().blueReleased()) {
                ServiceTraffic after = t;
                tasks.stream().map(ServiceTask::deploymentId).filter(d -> !d.equals(primaryId))
                        .filter(d -> onProduction(after, entries, d)).forEach(held::add);
            }
            Set<String> startsHeld = shift.filter(sh -> !sh.state().greenMayStart())
                    .map(sh -> Set.of(sh.deploymentId())).orElse(Set.of());
            return new Outcome(held, startsHeld, events, recheck, false);
        });
    }

    /** The deployment's history record shows the stage it is in (DescribeServiceDeployments' lifecycleStage). */
    private static void recordStage(StoreTx tx, ServiceRef ref, ServiceTraffic.Shift shift, Instant now) {
        String shown = shift.state().shownStage();
        ServiceHistory.read(tx, ref, shift.deploymentId())
                .filter(sd -> !shown.equals(sd.lifecycleStage()))
                .ifPresent(sd -> tx.put(ServiceHistory.serviceDeploymentKey(ref, shift.deploymentId()),
                        sd.toBuilder().lifecycleStage(shown).updatedAt(now).build()));
    }

    /** Each hook whose status changed, as the deployment's lifecycleHookDetails list it (one entry per hook id). */
    private static void recordHooks(StoreTx tx, ServiceRef ref, String deploymentId, List<TrafficShift.HookChange> hooks,
                                    Instant now) {
        if (hooks.isEmpty()) {
            return;
        }
        ServiceHistory.read(tx, ref, deploymentId).ifPresent(sd -> {
            ServiceDeployment next = HookDetails.with(sd, hooks, now);
            if (!next.equals(sd)) {
                tx.put(ServiceHistory.serviceDeploymentKey(ref, deploymentId), next);
            }
        });
    }

    /** A hook's timeout asked for a rollback: done as StopServiceDeployment does it; empty, or why it could not be. */
    private static Optional<String> rollBack(StoreTx tx, ServiceRef ref, String deploymentId, Instant now) {
        // Read back as recordHooks left it in this transaction: with the timed-out hook.
        Optional<ServiceDeployment> sd = ServiceHistory.read(tx, ref, deploymentId);
        if (sd.isEmpty()) {
            return Optional.of(ServiceMessages.hookRollbackRefused(ref.name(), deploymentId, "no service deployment record"));
        }
        try {
            DeploymentRollback.rollBack(tx, ref, sd.get(), ServiceMessages.HOOK_TIMED_OUT, now);
            return Optional.empty();
        } catch (AwsException e) {
            return Optional.of(ServiceMessages.hookRollbackRefused(ref.name(), deploymentId, e.getMessage()));
        }
    }

    /**
     * The production rule forwards to the production group and green's group by green's share (all to
     * production without a shift); the test rule forwards all to green once the shift has passed SCALE_UP, else
     * all to production.
     */
    private void writeWeights(StoreTx tx, ServiceRef ref, ServiceTraffic t, LoadBalancer lb) {
        AdvancedConfiguration advanced = lb.advancedConfiguration();
        String production = t.productionOf(lb.targetGroupArn());
        String alternate = other(lb, production);
        Optional<TrafficShift.State> state = t.current().map(ServiceTraffic.Shift::state);
        int green = state.map(s -> TrafficShift.greenWeight(s.greenPercent())).orElse(0);
        Map<String, Integer> productionWeights = new LinkedHashMap<>();
        productionWeights.put(production, TrafficShift.WEIGHT_TOTAL - green);
        productionWeights.put(alternate, green);
        targets.forward(tx, ref.scope(), advanced.productionListenerRule(), productionWeights);
        if (advanced.testListenerRule() != null) {
            boolean testOnGreen = state.map(TrafficShift.State::testOnGreen).orElse(false);
            Map<String, Integer> testWeights = new LinkedHashMap<>();
            testWeights.put(production, testOnGreen ? 0 : TrafficShift.WEIGHT_TOTAL);
            testWeights.put(alternate, testOnGreen ? TrafficShift.WEIGHT_TOTAL : 0);
            targets.forward(tx, ref.scope(), advanced.testListenerRule(), testWeights);
        }
    }

    /**
     * The service as the replica plan should see it during a shift: green starts at the full desired count beside
     * blue (blue is held, not replaced), so up to twice the count may run and none of blue may go early.
     */
    static Service sideBySide(Service service) {
        DeploymentConfiguration config = service.deploymentConfiguration();
        int max = Math.max(200, config.maximumPercent() == null ? 200 : config.maximumPercent());
        return service.toBuilder().deploymentConfiguration(config.toBuilder().maximumPercent(max)
                .minimumHealthyPercent(100).build()).build();
    }

    /**
     * The decision without its stops of held tasks, unless a task is stopped for failing its health checks, and
     * without starts of deployments held before their scale-up.
     */
    static Decision held(Decision decision, Outcome shift) {
        Set<String> heldDeployments = shift.held();
        if (heldDeployments.isEmpty() && shift.startsHeld().isEmpty()) {
            return decision;
        }
        List<Decision.Stop> stops = decision.stops().stream()
                .filter(s -> s.unhealthy() || !heldDeployments.contains(s.task().deploymentId())).toList();
        Map<String, Integer> starts = new HashMap<>(decision.starts());
        starts.keySet().removeAll(shift.startsHeld());
        Map<String, List<String>> namedStarts = new HashMap<>(decision.namedStarts());
        namedStarts.keySet().removeAll(shift.startsHeld());
        return new Decision(starts, namedStarts, stops, decision.events(), decision.recheckAt());
    }

    /** Whether a deployment's tasks are in the production groups (a deployment never placed serves production). */
    private static boolean onProduction(ServiceTraffic t, List<LoadBalancer> entries, String deploymentId) {
        Map<String, String> placed = t.placements().get(deploymentId);
        if (placed == null) {
            return true;
        }
        return entries.stream().allMatch(lb -> t.productionOf(lb.targetGroupArn())
                .equals(placed.getOrDefault(lb.targetGroupArn(), t.productionOf(lb.targetGroupArn()))));
    }

    /** Production as the deployment's placement makes it: its groups serve production from now on. */
    private static Map<String, String> production(ServiceTraffic t, List<LoadBalancer> entries, String deploymentId) {
        Map<String, String> next = new HashMap<>(t.production());
        Map<String, String> placed = t.placements().getOrDefault(deploymentId, Map.of());
        for (LoadBalancer lb : entries) {
            next.put(lb.targetGroupArn(), placed.getOrDefault(lb.targetGroupArn(), t.productionOf(lb.targetGroupArn())));
        }
        return next;
    }

    /** The entry's group that is not {@code group}. */
    private static String other(LoadBalancer lb, String group) {
        String alternate = lb.advancedConfiguration().alternateTargetGroupArn();
        return group.equals(lb.targetGroupArn()) ? alternate : lb.targetGroupArn();
    }

    private static List<LoadBalancer> advanced(Service service) {
        return service.loadBalancers() == null ? List.of()
                : service.loadBalancers().stream().filter(lb -> lb.advancedConfiguration() != null).toList();
    }
}
