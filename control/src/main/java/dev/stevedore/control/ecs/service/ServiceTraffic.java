package dev.stevedore.control.ecs.service;

import dev.stevedore.control.ecs.EcsKeys;
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
public record ServiceTraffic(Map<String, String> production, Map<String, Map<String, String>> placements, List<Shift> shift) {
    public static final ServiceTraffic EMPTY = new ServiceTraffic(Map.of(), Map.of(), List.of());

    public ServiceTraffic {
        production = Map.copyOf(production);
        placements = Map.copyOf(placements);
        shift = List.copyOf(shift);
    }

    /**
     * A deployment's shift: green is {@code deploymentId}; the state as {@link TrafficShift.State} has it.
     *
     * @param pause      the PAUSE hook it waits at: none or one
     * @param passedGate the last hook stage passed on the way to the next stage; "" for none
     */
    public record Shift(String deploymentId, String stage, long sinceMillis, double greenPercent, List<StoredPause> pause,
                 String passedGate) {
        public Shift {
            // Records written before pause hooks existed have neither member.
            pause = pause == null ? List.of() : List.copyOf(pause);
            passedGate = passedGate == null ? "" : passedGate;
        }

        public TrafficShift.State state() {
            return new TrafficShift.State(stage, Instant.ofEpochMilli(sinceMillis), greenPercent,
                    pause.stream().findFirst().map(StoredPause::pause), passedGate);
        }

        public static Shift of(String deploymentId, TrafficShift.State state) {
            return new Shift(deploymentId, state.stage(), state.since().toEpochMilli(), state.greenPercent(),
                    state.pause().map(StoredPause::of).map(List::of).orElse(List.of()), state.passedGate());
        }

        /** The same shift with its waiting hook answered CONTINUE, if {@code hookId} is the one it waits at. */
        public Optional<Shift> continued(String hookId) {
            return pause.stream().findFirst().filter(p -> p.hookId().equals(hookId) && !p.continued())
                    .map(p -> new Shift(deploymentId, stage, sinceMillis, greenPercent,
                            List.of(StoredPause.of(p.pause().answeredContinue())), passedGate));
        }
    }

    /** {@link TrafficShift.Pause} as stored. */
    public record StoredPause(String hookStage, String hookId, long sinceMillis, long expiresAtMillis, String timeoutAction,
                       boolean continued) {
        public TrafficShift.Pause pause() {
            return new TrafficShift.Pause(hookStage, hookId, Instant.ofEpochMilli(sinceMillis),
                    Instant.ofEpochMilli(expiresAtMillis), timeoutAction, continued);
        }

        public static StoredPause of(TrafficShift.Pause p) {
            return new StoredPause(p.hookStage(), p.hookId(), p.since().toEpochMilli(), p.expiresAt().toEpochMilli(),
                    p.timeoutAction(), p.continued());
        }
    }

    public static String key(ServiceRef ref) {
        return EcsKeys.serviceTraffic(ref.scope(), ref.cluster(), ref.name());
    }

    public Optional<Shift> current() {
        return shift.stream().findFirst();
    }

    /** The production group of an entry; an entry never shifted serves production from its targetGroupArn. */
    public String productionOf(String entryArn) {
        return production.getOrDefault(entryArn, entryArn);
    }

    public ServiceTraffic withShift(Optional<Shift> next) {
        return new ServiceTraffic(production, placements, next.map(List::of).orElse(List.of()));
    }

    public ServiceTraffic withPlacement(String deploymentId, Map<String, String> groups) {
        Map<String, Map<String, String>> next = new HashMap<>(placements);
        next.put(deploymentId, groups);
        return new ServiceTraffic(production, next, shift);
    }

    public ServiceTraffic withProduction(Map<String, String> next) {
        return new ServiceTraffic(next, placements, shift);
    }

    /** Forgets the placements of deployments the service no longer lists. */
    public ServiceTraffic keepingPlacementsOf(java.util.Set<String> deploymentIds) {
        Map<String, Map<String, String>> next = new HashMap<>(placements);
        next.keySet().retainAll(deploymentIds);
        return new ServiceTraffic(production, next, shift);
    }
}
