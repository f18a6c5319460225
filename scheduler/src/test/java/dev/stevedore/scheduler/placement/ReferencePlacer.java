package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.BinpackField;
import dev.stevedore.scheduler.InstanceState;
import dev.stevedore.scheduler.InstanceStatus;
import dev.stevedore.scheduler.LaunchType;
import dev.stevedore.scheduler.NoContainerInstancesException;
import dev.stevedore.scheduler.Placement;
import dev.stevedore.scheduler.PlacementConstraint;
import dev.stevedore.scheduler.PlacementFailure;
import dev.stevedore.scheduler.PlacementPlan;
import dev.stevedore.scheduler.PlacementRequest;
import dev.stevedore.scheduler.PlacementStrategy;
import dev.stevedore.scheduler.RequiredAttribute;
import dev.stevedore.scheduler.TaskRequirements;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Predicate;

/**
 * The scheduler's placement rules written as plainly as possible, against {@link InstanceState}
 * records and nothing of the engine but its seeded hash: every filter on every instance, every
 * score from scratch, for every task. Slow on purpose; the tests compare the engine (its indexes,
 * its incremental state, its sessions) with it.
 */
public final class ReferencePlacer {

    /** A filter as ECS applies it: its reason, its detail clause, and the test itself. */
    private record Filter(String reason, String describe, Predicate<InstanceState> passes) {
    }

    private ReferencePlacer() {
    }

    public static PlacementPlan place(List<InstanceState> instances, PlacementRequest request) {
        boolean external = request.launchType() == LaunchType.EXTERNAL;
        List<InstanceState> pool = new ArrayList<>();
        for (InstanceState instance : instances) {
            if (instance.hasAttribute(LaunchType.EXTERNAL_ATTRIBUTE) == external) {
                pool.add(instance);
            }
        }
        if (pool.isEmpty()) {
            throw new NoContainerInstancesException();
        }
        long seed = Seeds.hash(request.requestId());
        List<Filter> filters = filters(request);
        List<Placement> placements = new ArrayList<>();
        List<PlacementFailure> failures = new ArrayList<>();
        for (int task = 0; task < request.count(); task++) {
            int best = -1;
            long[] bestKey = null;
            for (int k = 0; k < pool.size(); k++) {
                InstanceState candidate = pool.get(k);
                if (!filters.stream().allMatch(f -> f.passes().test(candidate))) {
                    continue;
                }
                long[] key = rankKey(pool, candidate, request, seed, task);
                if (best < 0 || better(key, candidate, bestKey, pool.get(best))) {
                    best = k;
                    bestKey = key;
                }
            }
            if (best < 0) {
                PlacementFailure failure = failure(pool, filters, task);
                for (int rest = task; rest < request.count(); rest++) {
                    failures.add(new PlacementFailure(rest, failure.arn(), failure.reason(), failure.detail()));
                }
                break;
            }
            placements.add(new Placement(pool.get(best).arn(), task));
            pool.set(best, pool.get(best).withTask(request.task(), request.group()));
        }
        return new PlacementPlan(placements, failures);
    }

    private static List<Filter> filters(PlacementRequest request) {
        TaskRequirements task = request.task();
        List<Filter> filters = new ArrayList<>();
        filters.add(new Filter("INACTIVE", " not ACTIVE", i -> i.status() == InstanceStatus.ACTIVE));
        filters.add(new Filter("AGENT", " had a disconnected agent", InstanceState::agentConnected));
        for (RequiredAttribute required : task.requiredAttributes()) {
            filters.add(new Filter("ATTRIBUTE", " lacked attribute " + required, i -> i.hasAttribute(required.name())
                    && required.value().map(v -> v.equals(i.attributes().get(required.name()))).orElse(true)));
        }
        if (!task.zones().isEmpty()) {
            filters.add(new Filter("LOCATION", " outside the zones of the task's subnets",
                    i -> i.hasAttribute("ecs.availability-zone")
                            && task.zones().contains(i.attributeValue("ecs.availability-zone"))));
        }
        if (task.cpu() > 0) {
            filters.add(new Filter("RESOURCE:CPU", " lacked CPU", i -> i.remaining().cpu() >= task.cpu()));
        }
        if (task.memoryMiB() > 0) {
            filters.add(new Filter("RESOURCE:MEMORY", " lacked memory",
                    i -> i.remaining().memoryMiB() >= task.memoryMiB()));
        }
        if (!task.tcpHostPorts().isEmpty()) {
            filters.add(new Filter("RESOURCE:PORTS", " had a required TCP host port taken",
                    i -> Collections.disjoint(i.remaining().tcpPorts(), task.tcpHostPorts())));
        }
        if (!task.udpHostPorts().isEmpty()) {
            filters.add(new Filter("RESOURCE:PORTS_UDP", " had a required UDP host port taken",
                    i -> Collections.disjoint(i.remaining().udpPorts(), task.udpHostPorts())));
        }
        if (task.needsEni()) {
            filters.add(new Filter("RESOURCE:ENI", " had no free ENI attachment", i -> i.remaining().eniAttachments() >= 1));
        }
        boolean distinct = false;
        for (PlacementConstraint constraint : request.constraints()) {
            if (constraint instanceof PlacementConstraint.MemberOf memberOf) {
                filters.add(new Filter("MemberOf placement constraint unsatisfied.",
                        "failed memberOf(" + memberOf.expression().source() + ")", memberOf.expression()::matches));
            } else {
                distinct = true;
            }
        }
        if (distinct) {
            filters.add(new Filter("DistinctInstance placement constraint unsatisfied.",
                    "failed distinctInstance (already running a task of " + request.group() + ")",
                    i -> i.taskGroupCount(request.group()) == 0));
        }
        return filters;
    }

    /** The scores of the strategies in order, then the seeded tie-break. */
    private static long[] rankKey(List<InstanceState> pool, InstanceState candidate, PlacementRequest request,
            long seed, int task) {
        List<PlacementStrategy> strategies = request.strategies();
        long[] key = new long[strategies.size() + 1];
        long arnHash = Seeds.hash(candidate.arn());
        for (int s = 0; s < strategies.size(); s++) {
            key[s] = switch (strategies.get(s)) {
                case PlacementStrategy.Binpack binpack -> binpack.field() == BinpackField.CPU
                        ? candidate.remaining().cpu() - request.task().cpu()
                        : candidate.remaining().memoryMiB() - request.task().memoryMiB();
                case PlacementStrategy.Spread spread -> spread.attributeName()
                        .map(name -> tasksWithSameValue(pool, candidate, name, request.group()))
                        .orElseGet(() -> (long) candidate.taskGroupCount(request.group()));
                case PlacementStrategy.Random random -> Seeds.mix(Seeds.mix(Seeds.mix(seed, s), task), arnHash);
            };
        }
        // The distance up the ring of ARN hashes from a point drawn per task, as an unsigned number.
        long start = Seeds.mix(Seeds.mix(seed, -1L), task);
        key[strategies.size()] = (arnHash - start) ^ Long.MIN_VALUE;
        return key;
    }

    /** Tasks of the group on the pool's instances with the candidate's value of the attribute (or, like it, none). */
    private static long tasksWithSameValue(List<InstanceState> pool, InstanceState candidate, String name, String group) {
        String value = candidate.attributes().get(name);
        long tasks = 0;
        for (InstanceState other : pool) {
            String otherValue = other.attributes().get(name);
            if (value == null ? otherValue == null : value.equals(otherValue)) {
                tasks += other.taskGroupCount(group);
            }
        }
        return tasks;
    }

    private static boolean better(long[] key, InstanceState candidate, long[] bestKey, InstanceState best) {
        for (int k = 0; k < key.length; k++) {
            if (key[k] != bestKey[k]) {
                return key[k] < bestKey[k];
            }
        }
        return candidate.arn().compareTo(best.arn()) < 0;
    }

    private static PlacementFailure failure(List<InstanceState> pool, List<Filter> filters, int task) {
        int[] rejected = new int[filters.size()];
        InstanceState closest = null;
        int closestAt = -1;
        for (InstanceState instance : pool) {
            int f = 0;
            while (filters.get(f).passes().test(instance)) {
                f++;
            }
            rejected[f]++;
            if (f > closestAt) {
                closest = instance;
                closestAt = f;
            }
        }
        StringJoiner detail = new StringJoiner("; ");
        for (int f = 0; f < filters.size(); f++) {
            if (rejected[f] > 0) {
                detail.add(describe(filters.get(f), rejected[f]));
            }
        }
        return new PlacementFailure(task, closest.arn(), filters.get(closestAt).reason(), detail.toString());
    }

    private static String describe(Filter filter, int n) {
        if (filter.describe().startsWith("failed")) {
            return n + " " + filter.describe();
        }
        String instances = n == 1 ? "1 instance" : n + " instances";
        if (filter.reason().equals("INACTIVE") || filter.reason().equals("LOCATION")) {
            return instances + (n == 1 ? " was" : " were") + filter.describe();
        }
        return instances + filter.describe();
    }

    /** The instances with a plan's tasks counted on them, as the plan applier would write them. */
    public static List<InstanceState> apply(List<InstanceState> instances, PlacementRequest request, PlacementPlan plan) {
        Map<String, Integer> position = new HashMap<>();
        List<InstanceState> after = new ArrayList<>(instances);
        for (int k = 0; k < after.size(); k++) {
            position.put(after.get(k).arn(), k);
        }
        for (Placement placement : plan.placements()) {
            int k = position.get(placement.instanceArn());
            after.set(k, after.get(k).withTask(request.task(), request.group()));
        }
        return after;
    }
}
