package dev.stevedore.control.ecs.service;

import dev.stevedore.control.ecs.EcsScope;

/**
 * The ARNs of a service and of what hangs off it, in the long format ECS uses for every account
 * created since 2019: each names the cluster.
 */
public final class ServiceArns {
    private ServiceArns() {
    }

    public static String service(EcsScope scope, String cluster, String name) {
        return scope.arnPrefix() + "service/" + cluster + "/" + name;
    }

    /** A deployment of the history API; its last part is the number of the deployment's {@code ecs-svc/} id. */
    public static String serviceDeployment(EcsScope scope, String cluster, String service, String deploymentNumber) {
        return scope.arnPrefix() + "service-deployment/" + cluster + "/" + service + "/" + deploymentNumber;
    }

    public static String serviceRevision(EcsScope scope, String cluster, String service, String revisionId) {
        return scope.arnPrefix() + "service-revision/" + cluster + "/" + service + "/" + revisionId;
    }

    /** A task set's ARN; its id, {@code ecs-svc/N}, keeps its slash. */
    public static String taskSet(EcsScope scope, String cluster, String service, String taskSetId) {
        return scope.arnPrefix() + "task-set/" + cluster + "/" + service + "/" + taskSetId;
    }
}
