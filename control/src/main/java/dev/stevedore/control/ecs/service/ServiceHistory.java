package dev.stevedore.control.ecs.service;

import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.DeploymentConfiguration;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.ServiceDeployment;
import dev.stevedore.model.ecs.ServiceDeploymentCircuitBreaker;
import dev.stevedore.model.ecs.ServiceRevision;
import dev.stevedore.model.ecs.ServiceRevisionSummary;
import dev.stevedore.model.ecs.TaskDefinition;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The deployment history of a service: a {@link ServiceRevision} (the configuration a deployment
 * rolls out, immutable) and a {@link ServiceDeployment} (the rollout's progress) per deployment.
 *
 * <p>A revision's id is the number of its deployment's {@code ecs-svc/} id, as on ECS. A service
 * deployment's id is 21 characters of base64url, as on ECS; Stevedore derives it from the service
 * and deployment id, so whoever knows a deployment finds its history record without an index.
 */
public final class ServiceHistory {
    /** The service deployment statuses the rolling controller uses. */
    public static final String PENDING = "PENDING";
    public static final String IN_PROGRESS = "IN_PROGRESS";
    public static final String SUCCESSFUL = "SUCCESSFUL";
    public static final String STOPPED = "STOPPED";
    public static final String STOP_REQUESTED = "STOP_REQUESTED";
    public static final String ROLLBACK_REQUESTED = "ROLLBACK_REQUESTED";
    public static final String ROLLBACK_IN_PROGRESS = "ROLLBACK_IN_PROGRESS";
    public static final String ROLLBACK_SUCCESSFUL = "ROLLBACK_SUCCESSFUL";
    public static final String ROLLBACK_FAILED = "ROLLBACK_FAILED";

    private ServiceHistory() {
    }

    /** Ids already derived: a pass asks for its deployments' ids every time, and hashing them is not free. */
    private static final java.util.Map<String, String> DERIVED = new java.util.concurrent.ConcurrentHashMap<>();

    /** The id of the service deployment that tracks {@code deploymentId} of {@code serviceArn}. */
    public static String serviceDeploymentId(String serviceArn, String deploymentId) {
        String key = serviceArn + "\n" + deploymentId;
        if (DERIVED.size() > 100_000) {
            DERIVED.clear();
        }
        return DERIVED.computeIfAbsent(key, ServiceHistory::derive);
    }

    /** From {@code serviceArn + "\n" + deploymentId}. */
    private static String derive(String serviceAndDeployment) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(serviceAndDeployment.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 21);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String serviceDeploymentArn(ServiceRef ref, String deploymentId) {
        return ServiceArns.serviceDeployment(ref.scope(), ref.cluster(), ref.name(),
                serviceDeploymentId(ref.arn(), deploymentId));
    }

    public static String serviceDeploymentKey(ServiceRef ref, String deploymentId) {
        return EcsKeys.serviceDeployment(ref.scope(), ref.cluster(), ref.name(),
                serviceDeploymentId(ref.arn(), deploymentId));
    }

    public static String revisionArn(ServiceRef ref, String deploymentId) {
        return ServiceArns.serviceRevision(ref.scope(), ref.cluster(), ref.name(), DeploymentIds.number(deploymentId));
    }

    public static String revisionKey(ServiceRef ref, String deploymentId) {
        return EcsKeys.serviceRevision(ref.scope(), ref.cluster(), ref.name(), DeploymentIds.number(deploymentId));
    }

    /** The revision a new deployment rolls out: the service's configuration as it now is. */
    public static ServiceRevision revision(ServiceRef ref, Service service, String deploymentId, TaskDefinition td,
                                           Instant now) {
        return ServiceRevision.builder()
                .serviceRevisionArn(revisionArn(ref, deploymentId))
                .serviceArn(ref.arn())
                .clusterArn(service.clusterArn())
                .taskDefinition(td.taskDefinitionArn())
                .launchType(service.launchType())
                .capacityProviderStrategy(service.capacityProviderStrategy())
                .loadBalancers(service.loadBalancers() == null ? List.of() : service.loadBalancers())
                .serviceRegistries(List.of())
                .networkConfiguration(service.networkConfiguration())
                .platformVersion(Services.isFargate(service)
                        ? dev.stevedore.control.ecs.fargate.FargateLaunch.platformVersion(service.platformVersion()) : null)
                .platformFamily(service.platformFamily())
                .containerImages(td.containerDefinitions().stream()
                        .map(c -> dev.stevedore.model.ecs.ContainerImage.builder()
                                .containerName(c.name()).image(c.image()).build())
                        .toList())
                .guardDutyEnabled(false)
                .createdAt(now)
                .build();
    }

    /** The history record of a deployment just made; it starts PENDING, as ECS's do. */
    public static ServiceDeployment deployment(ServiceRef ref, Service service, String deploymentId,
                                               List<ServiceRevisionSummary> sources, Instant now) {
        DeploymentConfiguration config = service.deploymentConfiguration();
        boolean breaker = config != null && config.deploymentCircuitBreaker() != null
                && Boolean.TRUE.equals(config.deploymentCircuitBreaker().enable());
        return ServiceDeployment.builder()
                .serviceDeploymentArn(serviceDeploymentArn(ref, deploymentId))
                .serviceArn(ref.arn())
                .clusterArn(service.clusterArn())
                .createdAt(now)
                .updatedAt(now)
                .sourceServiceRevisions(sources)
                .targetServiceRevision(ServiceRevisionSummary.builder().arn(revisionArn(ref, deploymentId))
                        .requestedTaskCount(0).runningTaskCount(0).pendingTaskCount(0).build())
                .status(PENDING)
                .deploymentConfiguration(config)
                .deploymentCircuitBreaker(ServiceDeploymentCircuitBreaker.builder()
                        .status(breaker ? "MONITORING" : "DISABLED").failureCount(0)
                        .threshold(CircuitBreakerThreshold.of(Optional.ofNullable(service.desiredCount()).orElse(0)))
                        .build())
                .build();
    }

    /** Reads a deployment's history record as a condition of the transaction. */
    public static Optional<ServiceDeployment> read(StoreTx tx, ServiceRef ref, String deploymentId) {
        return tx.read(serviceDeploymentKey(ref, deploymentId), ServiceDeployment.class);
    }

    public static Optional<ServiceRevision> readRevision(StoreTx tx, ServiceRef ref, String deploymentId) {
        return tx.read(revisionKey(ref, deploymentId), ServiceRevision.class);
    }

    /** A deployment that completed, with the revision it rolled out. */
    public record Completed(String deploymentId, ServiceRevision revision) {
    }

    /**
     * The deployment of the service that last completed (SUCCESSFUL, latest finish), the one a
     * rollback returns to when the service's deployment list no longer holds it. Read without
     * conditions: the history of finished deployments does not change under a rollback.
     */
    public static Optional<Completed> lastSuccessful(StoreTx tx, ServiceRef ref) {
        return tx.scan(EcsKeys.serviceDeployments(ref.scope(), ref.cluster(), ref.name()), ServiceDeployment.class)
                .stream()
                .filter(sd -> SUCCESSFUL.equals(sd.status()) && sd.finishedAt() != null)
                .max(java.util.Comparator.comparing(ServiceDeployment::finishedAt))
                .flatMap(sd -> {
                    String arn = sd.targetServiceRevision().arn();
                    String deploymentId = DeploymentIds.PREFIX + arn.substring(arn.lastIndexOf('/') + 1);
                    return readRevision(tx, ref, deploymentId).map(r -> new Completed(deploymentId, r));
                });
    }

    static String keyOf(EcsScope scope, String cluster, String service, String serviceDeploymentId) {
        return EcsKeys.serviceDeployment(scope, cluster, service, serviceDeploymentId);
    }
}
