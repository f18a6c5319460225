package dev.stevedore.control.ecs.service.controller;

import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.service.ServiceRef;
import dev.stevedore.control.ecs.service.rollout.TrafficShift;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a traffic-shifting service keeps between passes, next to its record: which of each load balancer's two
 * target groups is production now (they swap with every completed deployment), which group each deployment's
 * tasks are registered in, and the shift under way, if any.
 *
 * @param production  each load balancer entry's targetGroupArn → the group that serves production now
 * @param placements  deployment id → (entry's targetGroupArn → the group its tasks register in)
 * @param shift       the shift under way: none or one
 */
record ServiceTraffic(Map<String, String> production, Map<String, Map<String, String>> placements, List<Shift> shift) {
    static final ServiceTraffic EMPTY = new ServiceTraffic(Map.of(), Map.of(), List.of());

    ServiceTraffic {
        production = Map.copyOf(production);
        placements = Map.copyOf(placements);
        shift = List.copyOf(shift);
    }

    /** A deployment's shift: green is {@code deploymentId}; the state as {@link TrafficShift.State} has it. */
    record Shift(String deploymentId, String stage, long sinceMillis, double greenPercent) {
        TrafficShift.State state() {
            return new TrafficShift.State(stage, Instant.ofEpochMilli(sinceMillis), greenPercent);
        }

        static Shift of(String deploymentId, TrafficShift.State state) {
            return new Shift(deploymentId, state.stage(), state.since().toEpochMilli(), state.greenPercent());
        }
    }

    static String key(ServiceRef ref) {
        return EcsKeys.serviceTraffic(ref.scope(), ref.cluster(), ref.name());
    }

    Optional<Shift> current() {
        return shift.stream().findFirst();
    }

    /** The production group of an entry; an entry never shifted serves production from its targetGroupArn. */
    String productionOf(String entryArn) {
        return production.getOrDefault(entryArn, entryArn);
    }

    ServiceTraffic withShift(Optional<Shift> next) {
        return new ServiceTraffic(production, placements, next.map(List::of).orElse(List.of()));
    }

    ServiceTraffic withPlacement(String deploymentId, Map<String, String> groups) {
        Map<String, Map<String, String>> next = new HashMap<>(placements);
        next.put(deploymentId, groups);
        return new ServiceTraffic(production, next, shift);
    }

    ServiceTraffic withProduction(Map<String, String> next) {
        return new ServiceTraffic(next, placements, shift);
    }

    /** Forgets the placements of deployments the service no longer lists. */
    ServiceTraffic keepingPlacementsOf(java.util.Set<String> deploymentIds) {
        Map<String, Map<String, String>> next = new HashMap<>(placements);
        next.keySet().retainAll(deploymentIds);
        return new ServiceTraffic(production, next, shift);
    }
}
