package dev.stevedore.control.ecs.service;

import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.fargate.FargateLaunch;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Deployment;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.TaskSet;

import java.util.List;
import java.util.Optional;

/**
 * Reading and writing service records: the door other aggregates and the controller use.
 *
 * <p>The stored record is the wire {@link Service} without its events (kept in a
 * {@link ServiceEventLog} of their own) and its tags (kept with every resource's tags). Owners of
 * its fields: the API writes the specification (task definition, desired count, configuration) and
 * adds deployments; the service controller writes counts, rollout states and the removal of
 * drained deployments, and the move from DRAINING to INACTIVE. Task sets (EXTERNAL controller) are
 * kept here too: the task set operations write their specification, scale and status (PRIMARY,
 * ACTIVE, DRAINING); the controller writes their counts and stability and removes drained ones.
 */
public final class Services {
    private Services() {
    }

    public static Optional<Service> read(StoreTx tx, ServiceRef ref) {
        return tx.read(ref.key(), Service.class);
    }

    /** The same, decoding through a cache of the reader's. */
    public static Optional<Service> read(StoreTx tx, ServiceRef ref, dev.stevedore.control.state.DecodeCache<Service> cache) {
        return tx.read(ref.key(), cache);
    }

    /** The service a {@code service} parameter names, which must exist (in any status). */
    public static Service require(StoreTx tx, EcsScope scope, String cluster, String nameOrArn) {
        ServiceRef ref = ServiceRef.parse(scope, cluster, nameOrArn).orElseThrow(Services::notFound);
        return read(tx, ref).orElseThrow(Services::notFound);
    }

    public static ServiceRef ref(EcsScope scope, Service service) {
        String cluster = service.clusterArn().substring(service.clusterArn().lastIndexOf('/') + 1);
        return new ServiceRef(scope, cluster, service.serviceName());
    }

    public static void write(StoreTx tx, ServiceRef ref, Service service) {
        tx.put(ref.key(), service.toBuilder().events(null).tags(null).build());
    }

    public static dev.stevedore.awsproto.AwsException notFound() {
        return EcsErrors.of("ServiceNotFoundException", "Service not found.");
    }

    public static dev.stevedore.awsproto.AwsException notActive() {
        return EcsErrors.of("ServiceNotActiveException", "Service was not ACTIVE.");
    }

    /** The PRIMARY deployment; every service of the ECS controller has one. */
    public static Optional<Deployment> primary(Service service) {
        return deployments(service).stream().filter(d -> ServiceStatus.PRIMARY.equals(d.status())).findFirst();
    }

    public static List<Deployment> deployments(Service service) {
        return service.deployments() == null ? List.of() : service.deployments();
    }

    /** The task sets of a service of the EXTERNAL controller, newest first; none for the others. */
    public static List<TaskSet> taskSets(Service service) {
        return service.taskSets() == null ? List.of() : service.taskSets();
    }

    public static boolean isDaemon(Service service) {
        return ServiceStatus.DAEMON.equals(service.schedulingStrategy());
    }

    public static boolean isExternal(Service service) {
        return service.deploymentController() != null
                && ServiceStatus.EXTERNAL.equals(service.deploymentController().type());
    }

    /** Runs on the platform: launch type FARGATE, or a (Fargate) capacity provider strategy. */
    public static boolean isFargate(Service service) {
        return "FARGATE".equals(service.launchType())
                || (service.capacityProviderStrategy() != null && !service.capacityProviderStrategy().isEmpty());
    }

    /** The same of a deployment: each deployment keeps the launch it was made with. */
    public static boolean isFargate(Deployment deployment) {
        return "FARGATE".equals(deployment.launchType())
                || (deployment.capacityProviderStrategy() != null && !deployment.capacityProviderStrategy().isEmpty());
    }

    /**
     * A deployment's launch as ECS shows it, taken from the service as it now is: its launch type or
     * capacity provider strategy, its network configuration and, on Fargate, the platform version it
     * resolved to and the platform family.
     */
    public static Deployment.Builder withLaunchOf(Deployment.Builder deployment, Service service) {
        deployment.launchType(service.launchType())
                .capacityProviderStrategy(service.capacityProviderStrategy())
                .networkConfiguration(service.networkConfiguration());
        if (isFargate(service)) {
            deployment.platformVersion(FargateLaunch.platformVersion(service.platformVersion()))
                    .platformFamily(FargateLaunch.PLATFORM_FAMILY);
        }
        return deployment;
    }
}
