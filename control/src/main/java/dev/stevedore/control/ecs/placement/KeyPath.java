package dev.stevedore.control.ecs.placement;

import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;

/**
 * The store keys the plan applier follows: {@code /ecs/{account}/{region}/container-instances/{cluster}/{id}}
 * and {@code /ecs/{account}/{region}/tasks/{cluster}/{id}}.
 */
record KeyPath(Kind kind, EcsScope scope, String cluster, String id) {

    enum Kind { INSTANCE, TASK }

    /** The path of a key the applier cares about, or null for any other key. */
    static KeyPath parse(String key) {
        String[] parts = key.split("/");
        // "", "ecs", account, region, kind, cluster, id
        if (parts.length != 7 || !"ecs".equals(parts[1])) {
            return null;
        }
        Kind kind = switch (parts[4]) {
            case "container-instances" -> Kind.INSTANCE;
            case "tasks" -> Kind.TASK;
            default -> null;
        };
        return kind == null ? null : new KeyPath(kind, new EcsScope(parts[2], parts[3]), parts[5], parts[6]);
    }

    String clusterKey() {
        return clusterKey(scope, cluster);
    }

    static String clusterKey(EcsScope scope, String cluster) {
        return scope.keyPrefix() + cluster;
    }

    static String instanceKey(EcsScope scope, String cluster, String instanceArn) {
        return EcsKeys.containerInstance(scope, cluster, instanceArn.substring(instanceArn.lastIndexOf('/') + 1));
    }

    /** A task ARN's parts: {@code arn:aws:ecs:region:account:task/cluster/id}. */
    record TaskArn(EcsScope scope, String cluster, String id) {
        static TaskArn parse(String arn) {
            String[] colon = arn.split(":", 6);
            String[] resource = colon[5].split("/");
            return new TaskArn(new EcsScope(colon[4], colon[3]), resource[1], resource[2]);
        }
    }
}
