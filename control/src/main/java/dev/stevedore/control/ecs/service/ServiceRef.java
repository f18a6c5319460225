package dev.stevedore.control.ecs.service;

import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;

import java.util.Optional;

/**
 * A service named the ways ECS accepts: its name, or its ARN in the long format
 * ({@code arn:aws:ecs:region:account:service/cluster/name}) or the legacy short one
 * ({@code service/name}), in this account and Region and, for the long format, this cluster.
 */
public record ServiceRef(EcsScope scope, String cluster, String name) {

    public static Optional<ServiceRef> parse(EcsScope scope, String cluster, String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isEmpty()) {
            return Optional.empty();
        }
        if (!nameOrArn.startsWith("arn:")) {
            return Arns.NAME.matcher(nameOrArn).matches()
                    ? Optional.of(new ServiceRef(scope, cluster, nameOrArn)) : Optional.empty();
        }
        return Arns.parse(nameOrArn)
                .filter(a -> a.isIn(scope) && "service".equals(a.resourceType()))
                .map(Arns.Arn::resourceId)
                .flatMap(rest -> {
                    int slash = rest.indexOf('/');
                    if (slash < 0) {
                        return Optional.of(rest);
                    }
                    return rest.substring(0, slash).equals(cluster) ? Optional.of(rest.substring(slash + 1)) : Optional.empty();
                })
                .filter(name -> Arns.NAME.matcher(name).matches())
                .map(name -> new ServiceRef(scope, cluster, name));
    }

    public String arn() {
        return ServiceArns.service(scope, cluster, name);
    }

    public String key() {
        return EcsKeys.service(scope, cluster, name);
    }

    public String eventsKey() {
        return EcsKeys.serviceEvents(scope, cluster, name);
    }
}
