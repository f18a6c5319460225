package dev.stevedore.control.ecs.cluster;

import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.model.ecs.CapacityProviderStrategyItem;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The capacity providers a cluster can be associated with. The two Fargate providers exist in every
 * account; Auto Scaling group providers do not exist in Stevedore, so no other name resolves.
 */
final class CapacityProviders {
    static final Set<String> FARGATE_PROVIDERS = Set.of("FARGATE", "FARGATE_SPOT");

    private CapacityProviders() {
    }

    /** A validated association: provider names and the default strategy with its defaults filled in. */
    record Association(List<String> capacityProviders, List<CapacityProviderStrategyItem> defaultStrategy) {
    }

    static Association check(EcsScope scope, List<String> providers, List<CapacityProviderStrategyItem> strategy) {
        Set<String> names = new LinkedHashSet<>();
        for (String ref : Optional.ofNullable(providers).orElse(List.of())) {
            String name = resolve(scope, ref);
            if (!names.add(name)) {
                throw EcsErrors.invalidParameter("The capacity provider '" + name + "' is specified more than once.");
            }
        }
        List<CapacityProviderStrategyItem> items = new ArrayList<>();
        Set<String> inStrategy = new LinkedHashSet<>();
        int withBase = 0;
        boolean anyWeight = false;
        for (CapacityProviderStrategyItem item : Optional.ofNullable(strategy).orElse(List.of())) {
            String name = resolve(scope, item.capacityProvider());
            if (!names.contains(name)) {
                throw EcsErrors.invalidParameter("The specified capacity provider strategy cannot contain a capacity "
                        + "provider that is not associated with the cluster. Associate the capacity provider with the "
                        + "cluster or specify a valid capacity provider and try again.");
            }
            if (!inStrategy.add(name)) {
                throw EcsErrors.invalidParameter("The capacity provider '" + name
                        + "' appears more than once in the capacity provider strategy.");
            }
            int base = Optional.ofNullable(item.base()).orElse(0);
            int weight = Optional.ofNullable(item.weight()).orElse(0);
            if (base > 0) {
                withBase++;
            }
            anyWeight |= weight > 0;
            items.add(new CapacityProviderStrategyItem(base, name, weight));
        }
        if (withBase > 1) {
            throw EcsErrors.invalidParameter("Only one capacity provider in a capacity provider strategy can have a base defined.");
        }
        if (!items.isEmpty() && !anyWeight) {
            throw EcsErrors.invalidParameter(
                    "At least one capacity provider in a capacity provider strategy must have a weight greater than zero.");
        }
        return new Association(List.copyOf(names), List.copyOf(items));
    }

    private static String resolve(EcsScope scope, String ref) {
        String name = ref;
        if (ref != null && ref.startsWith("arn:")) {
            name = Arns.parse(ref)
                    .filter(arn -> arn.isIn(scope) && arn.resourceType().equals("capacity-provider"))
                    .map(Arns.Arn::resourceId)
                    .orElse(ref);
        }
        if (name == null || !FARGATE_PROVIDERS.contains(name)) {
            throw EcsErrors.invalidParameter("The specified capacity provider '" + ref
                    + "' does not exist. Specify a valid name or ARN and try again.");
        }
        return name;
    }
}
