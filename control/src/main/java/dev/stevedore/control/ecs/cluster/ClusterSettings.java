package dev.stevedore.control.ecs.cluster;

import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.model.ecs.ClusterServiceConnectDefaultsRequest;
import dev.stevedore.model.ecs.ClusterSetting;
import dev.stevedore.model.ecs.ClusterSettingName;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cluster settings: today only {@code containerInsights}, whose value is enhanced, enabled or disabled.
 */
final class ClusterSettings {
    private static final Set<String> CONTAINER_INSIGHTS_VALUES = Set.of("enhanced", "enabled", "disabled");

    private ClusterSettings() {
    }

    static void check(List<ClusterSetting> settings) {
        if (settings == null) {
            return;
        }
        for (ClusterSetting s : settings) {
            if (ClusterSettingName.CONTAINER_INSIGHTS.equals(s.name())
                    && !CONTAINER_INSIGHTS_VALUES.contains(String.valueOf(s.value()))) {
                throw EcsErrors.invalidParameter("The value '" + s.value()
                        + "' is not valid for the containerInsights setting. Specify enhanced, enabled or disabled.");
            }
        }
    }

    /** The settings a new cluster starts with: the given ones, and containerInsights from the account otherwise. */
    static List<ClusterSetting> withDefaults(List<ClusterSetting> given, String accountContainerInsights) {
        return merge(List.of(new ClusterSetting(ClusterSettingName.CONTAINER_INSIGHTS, accountContainerInsights)),
                given);
    }

    static List<ClusterSetting> merge(List<ClusterSetting> current, List<ClusterSetting> changes) {
        Map<String, ClusterSetting> byName = new LinkedHashMap<>();
        if (current != null) {
            current.forEach(s -> byName.put(s.name(), s));
        }
        if (changes != null) {
            changes.forEach(s -> byName.put(s.name(), s));
        }
        return List.copyOf(byName.values());
    }

    /** Service Connect defaults name a Cloud Map namespace; Stevedore has no Cloud Map, so none exists. */
    static void checkServiceConnect(ClusterServiceConnectDefaultsRequest defaults) {
        if (defaults != null) {
            throw EcsErrors.of("NamespaceNotFoundException", "The specified namespace '" + defaults.namespace()
                    + "' was not found. Stevedore does not provide AWS Cloud Map namespaces yet.");
        }
    }
}
