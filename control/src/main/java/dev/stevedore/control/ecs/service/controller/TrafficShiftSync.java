package dev.stevedore.control.ecs.service.controller;

import dev.stevedore.control.ecs.service.ServiceHistory;
import dev.stevedore.control.ecs.service.ServiceMessages;
import dev.stevedore.control.ecs.service.ServiceRef;
import dev.stevedore.control.ecs.service.ServiceStatus;
import dev.stevedore.control.ecs.service.Services;
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
import dev.stevedore.store.StateStore;

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
    record Outcome(Set<String> held, List<String> events, Optional<Instant> recheckAt) {
        static final Outcome NONE = new Outcome(Set.of(), List.of(), Optional.empty());
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
                boolean blueGone = tasks.stream().noneMatch(task -> task.active()
                        && !task.deploymentId().equals(primaryId) && onProduction(before, entries, task.deploymentId()));
                TrafficShift.State from = shift.get().state();
                TrafficShift.Step step = TrafficShift.advance(plan, from, ready >= desired, blueGone, now);
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
            return new Outcome(held, events, recheck);
        });
    }

    /** The deployment's history record shows the stage it is in (DescribeServiceDeployments' lifecycleStage). */
    private static void recordStage(StoreTx tx, ServiceRef ref, ServiceTraffic.Shift shift, Instant now) {
        ServiceHistory.read(tx, ref, shift.deploymentId())
                .filter(sd -> !shift.stage().equals(sd.lifecycleStage()))
                .ifPresent(sd -> tx.put(ServiceHistory.serviceDeploymentKey(ref, shift.deploymentId()),
                        sd.toBuilder().lifecycleStage(shift.stage()).updatedAt(now).build()));
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

    /** The decision without its stops of held tasks, unless a task is stopped for failing its health checks. */
    static Decision held(Decision decision, Set<String> heldDeployments) {
        if (heldDeployments.isEmpty()) {
            return decision;
        }
        List<Decision.Stop> stops = decision.stops().stream()
                .filter(s -> s.unhealthy() || !heldDeployments.contains(s.task().deploymentId())).toList();
        return new Decision(decision.starts(), decision.namedStarts(), stops, decision.events(), decision.recheckAt());
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
