package dev.stevedore.control.ecs.access;

import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.fargate.PlatformPool;
import dev.stevedore.control.ecs.service.ServiceArns;
import dev.stevedore.control.ecs.service.ServiceRef;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionRef;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The ARN ECS authorizes for each way a request names a resource: a short name or id becomes the
 * ARN in the caller's account and Region, an omitted cluster is {@code default}. Parsing goes
 * through the same {@link Arns}, {@link ServiceRef} and {@link TaskDefinitionRef} the handlers use,
 * so a rule and its handler never disagree on what a name means.
 *
 * <p>An ARN that names nothing here (another account or Region, another cluster) is authorized as
 * written: it is the resource the caller asked for, and the handler refuses it afterwards. Text that
 * is no valid name is put in its resource type's place the same way, so the request still names it.
 */
final class EcsResources {
    private final EcsScope scope;

    EcsResources(EcsScope scope) {
        this.scope = scope;
    }

    /**
     * {@code cluster} as a name, an ARN or absent ({@code default}); the Fargate platform pool's too,
     * which only agents name, as the agent-facing handlers read it.
     */
    String cluster(String cluster) {
        return PlatformPool.agentCluster(scope, cluster).map(name -> Arns.cluster(scope, name))
                .orElseGet(() -> asWritten(cluster, "cluster/" + cluster));
    }

    /** The cluster name to build the ARNs of resources inside it with. */
    String clusterName(String cluster) {
        return PlatformPool.agentCluster(scope, cluster)
                .or(() -> Arns.parse(cluster).map(Arns.Arn::resourceId))
                .orElse(cluster);
    }

    String service(String cluster, String service) {
        String clusterName = clusterName(cluster);
        return ServiceRef.parse(scope, clusterName, service).map(ServiceRef::arn)
                .orElseGet(() -> asWritten(service, ServiceArns.service(scope, clusterName, service)));
    }

    /** The service's name, for the task-set ARNs under it. */
    String serviceName(String cluster, String service) {
        String clusterName = clusterName(cluster);
        return ServiceRef.parse(scope, clusterName, service).map(ServiceRef::name)
                .or(() -> Arns.parse(service).map(arn -> lastPart(arn.resourceId())))
                .orElse(service);
    }

    String task(String cluster, String task) {
        return inCluster("task", cluster, task, (clusterName, id) -> Arns.task(scope, clusterName, id));
    }

    String containerInstance(String cluster, String containerInstance) {
        return inCluster("container-instance", cluster, containerInstance,
                (clusterName, id) -> Arns.containerInstance(scope, clusterName, id));
    }

    /** Every task (or container instance) of the cluster: what a call asks about when it names none. */
    String everyInCluster(String resourceType, String cluster) {
        return scope.arnPrefix() + resourceType + "/" + clusterName(cluster) + "/*";
    }

    /**
     * A task definition as the caller wrote it: {@code family:revision} or its ARN is that revision;
     * a bare family is authorized as {@code task-definition/family}, without a revision, as ECS does
     * (a policy naming {@code family:*} does not cover it).
     */
    String taskDefinition(String taskDefinition) {
        return TaskDefinitionRef.parse(scope, taskDefinition)
                .map(ref -> ref.revision().isPresent()
                        ? Arns.taskDefinition(scope, ref.family(), ref.revision().getAsInt())
                        : familyArn(ref.family()))
                .orElseGet(() -> asWritten(taskDefinition, familyArn(taskDefinition)));
    }

    Optional<TaskDefinitionRef> taskDefinitionRef(String taskDefinition) {
        return TaskDefinitionRef.parse(scope, taskDefinition);
    }

    /** Every revision of a family: the resource a registration, whose revision is not known yet, asks for. */
    String everyRevision(String family) {
        return familyArn(family) + ":*";
    }

    /** A task set ({@code ecs-svc/N} or its ARN) of the service. */
    String taskSet(String cluster, String service, String taskSet) {
        return asWritten(taskSet,
                ServiceArns.taskSet(scope, clusterName(cluster), serviceName(cluster, service), taskSet));
    }

    String capacityProvider(String capacityProvider) {
        return asWritten(capacityProvider, Arns.capacityProvider(scope, capacityProvider));
    }

    List<String> capacityProviders(List<String> capacityProviders) {
        return capacityProviders.stream().map(this::capacityProvider).toList();
    }

    /** A role a request names by ARN or by name. */
    String role(String role) {
        return asWritten(role, "arn:aws:iam::" + scope.accountId() + ":role/" + role);
    }

    private String inCluster(String resourceType, String cluster, String idOrArn,
                             BiFunction<String, String, String> arnOf) {
        String clusterName = clusterName(cluster);
        return Arns.idInCluster(scope, resourceType, clusterName, idOrArn)
                .map(id -> arnOf.apply(clusterName, id))
                .orElseGet(() -> asWritten(idOrArn, arnOf.apply(clusterName, idOrArn)));
    }

    private String familyArn(String family) {
        return scope.arnPrefix() + "task-definition/" + family;
    }

    private static String asWritten(String text, String otherwise) {
        return text != null && text.startsWith("arn:") ? text : otherwise;
    }

    private static String lastPart(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
