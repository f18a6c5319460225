package dev.stevedore.control.ecs.fargate;

import dev.stevedore.model.ecs.CapacityProviderStrategyItem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ECS's capacity provider strategy arithmetic: the provider with a base gets the first tasks up to
 * its base, and the rest go to the providers in proportion to their weights (a provider of weight
 * zero gets none beyond its base). Pure.
 */
final class CapacitySplit {
    private CapacitySplit() {
    }

    /** The provider of each of {@code count} tasks, in launch order; empty strings when the strategy is empty. */
    static List<String> of(List<CapacityProviderStrategyItem> strategy, int count) {
        return next(strategy, Map.of(), count);
    }

    /**
     * The provider of each of {@code count} more tasks when {@code existing} tasks already count
     * against each provider: bases not yet met come first, then each task goes to the provider
     * furthest below its weighted share of the tasks beyond the bases. Starting from nothing and
     * adding tasks in any number of steps ends with the same split as adding them all at once, so
     * a service that starts its tasks over many passes is split as if it had started them together.
     */
    static List<String> next(List<CapacityProviderStrategyItem> strategy, Map<String, Integer> existing, int count) {
        List<String> out = new ArrayList<>(count);
        if (strategy.isEmpty()) {
            for (int i = 0; i < count; i++) {
                out.add("");
            }
            return out;
        }
        int[] held = new int[strategy.size()];
        for (int i = 0; i < strategy.size(); i++) {
            held[i] = existing.getOrDefault(strategy.get(i).capacityProvider(), 0);
        }
        for (int i = 0; i < strategy.size(); i++) {
            int base = Optional.ofNullable(strategy.get(i).base()).orElse(0);
            while (held[i] < base && out.size() < count) {
                held[i]++;
                out.add(strategy.get(i).capacityProvider());
            }
        }
        int[] weighted = new int[strategy.size()];
        for (int i = 0; i < strategy.size(); i++) {
            weighted[i] = Math.max(0, held[i] - Optional.ofNullable(strategy.get(i).base()).orElse(0));
        }
        while (out.size() < count) {
            // The provider furthest below its share of the weighted tasks so far; ties go to the first.
            int best = -1;
            double bestRatio = Double.MAX_VALUE;
            for (int i = 0; i < strategy.size(); i++) {
                int weight = Optional.ofNullable(strategy.get(i).weight()).orElse(0);
                if (weight == 0) {
                    continue;
                }
                double ratio = (weighted[i] + 1.0) / weight;
                if (ratio < bestRatio) {
                    best = i;
                    bestRatio = ratio;
                }
            }
            weighted[best]++;
            out.add(strategy.get(best).capacityProvider());
        }
        return out;
    }
}
