package dev.stevedore.control.ecs.service.history;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.ecs.service.DeploymentIds;
import dev.stevedore.control.ecs.service.ServiceHistory;
import dev.stevedore.control.ecs.service.ServiceRef;
import dev.stevedore.control.ecs.service.ServiceStatus;
import dev.stevedore.control.ecs.service.Services;
import dev.stevedore.control.ecs.service.rollout.Progress;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Deployment;
import dev.stevedore.model.ecs.Rollback;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.ServiceDeployment;
import dev.stevedore.model.ecs.StopServiceDeploymentRequest;
import dev.stevedore.model.ecs.StopServiceDeploymentResponse;
import dev.stevedore.model.ecs.StopServiceDeploymentStopType;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * StopServiceDeployment: rolls an ongoing deployment back to the service's last completed one,
 * exactly as the circuit breaker with rollback does, and marks its history record
 * ROLLBACK_REQUESTED; the service controller then carries the rollback out and moves the record on.
 *
 * <p>ECS documents ROLLBACK as the only valid stop type (ABORT is in the model's enum but not
 * accepted), so ABORT is refused as an invalid parameter.
 */
public final class DeploymentStops {
    /** Why the stopped deployment failed: the circuit breaker's form, with the stop as the cause. */
    static final String STOPPED = "ECS deployment stopped: rollback requested.";

    private final StateStore store;
    private final Clock clock;

    public DeploymentStops(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of("StopServiceDeployment", Operations.typed(StopServiceDeploymentRequest.class, this::stop));
    }

    /** The new primary's rollout reason: the circuit breaker's "rolling back" form, with the stop as the cause. */
    static String rollingBack(String toDeploymentId) {
        return "ECS deployment stopped: rolling back to deploymentId " + toDeploymentId + ".";
    }

    StopServiceDeploymentResponse stop(CallContext ctx, StopServiceDeploymentRequest r) {
        EcsScope scope = EcsScope.of(ctx);
        if (StopServiceDeploymentStopType.ABORT.equals(r.stopType())) {
            throw EcsErrors.invalidParameter("The stopType ABORT is not supported. The valid values are ROLLBACK.");
        }
        HistoryArns named = HistoryArns.deployment(scope, r.serviceDeploymentArn()).orElseThrow(DeploymentStops::notFound);
        Instant now = clock.instant();
        StoreTx.run(store, tx -> {
            ServiceDeployment sd = tx.read(named.deploymentKey(), ServiceDeployment.class)
                    .orElseThrow(DeploymentStops::notFound);
            switch (sd.status()) {
                case ServiceHistory.PENDING, ServiceHistory.IN_PROGRESS -> {
                    rollBack(tx, named, sd, now);
                }
                case ServiceHistory.STOP_REQUESTED, ServiceHistory.ROLLBACK_REQUESTED,
                     ServiceHistory.ROLLBACK_IN_PROGRESS -> {
                    // Already stopping: ECS lets the stop or rollback under way carry on.
                }
                default -> throw conflict("The service deployment is " + sd.status()
                        + ". Only a PENDING or IN_PROGRESS service deployment can be stopped.");
            }
            return null;
        });
        return new StopServiceDeploymentResponse(r.serviceDeploymentArn());
    }

    private static void rollBack(StoreTx tx, HistoryArns named, ServiceDeployment sd, Instant now) {
        ServiceRef ref = named.service();
        Service service = Services.read(tx, ref).filter(s -> ServiceStatus.ACTIVE.equals(s.status()))
                .orElseThrow(() -> conflict("The service of the service deployment is not ACTIVE."));
        String arn = sd.targetServiceRevision().arn();
        String deploymentId = DeploymentIds.PREFIX + arn.substring(arn.lastIndexOf('/') + 1);
        Services.primary(service).filter(d -> d.id().equals(deploymentId))
                .orElseThrow(() -> conflict("The service deployment is no longer rolling out."));
        Progress.RollbackTarget target = Progress.completedInList(service)
                .or(() -> ServiceHistory.lastSuccessful(tx, ref).map(c ->
                        new Progress.RollbackTarget(c.deploymentId(), c.revision().taskDefinition(),
                        Optional.of(c.revision()))))
                .filter(t -> !t.deploymentId().equals(deploymentId))
                .orElseThrow(() -> conflict("The service deployment cannot be rolled back: the service has no "
                        + "completed deployment to roll back to."));
        int desired = Optional.ofNullable(service.desiredCount()).orElse(0);
        Service rolledBack = Progress.rollBackTo(service, deploymentId, STOPPED, target, desired, now);
        Services.write(tx, ref, withPrimaryReason(rolledBack, rollingBack(target.deploymentId())));
        tx.put(named.deploymentKey(), sd.toBuilder()
                .status(ServiceHistory.ROLLBACK_REQUESTED)
                .statusReason(STOPPED)
                .rollback(Rollback.builder().reason(STOPPED).startedAt(now)
                        .serviceRevisionArn(ServiceHistory.revisionArn(ref, target.deploymentId())).build())
                .updatedAt(now)
                .build());
    }

    /**
     * The rollback helper words the new primary's reason as the circuit breaker's; a stop is not
     * the breaker, so the reason names the stop instead.
     */
    private static Service withPrimaryReason(Service service, String reason) {
        List<Deployment> deployments = new ArrayList<>();
        for (Deployment d : Services.deployments(service)) {
            deployments.add(ServiceStatus.PRIMARY.equals(d.status()) ? d.toBuilder().rolloutStateReason(reason).build() : d);
        }
        return service.toBuilder().deployments(deployments).build();
    }

    private static AwsException notFound() {
        return EcsErrors.of("ServiceDeploymentNotFoundException", "Service deployment not found.");
    }

    private static AwsException conflict(String message) {
        return EcsErrors.of("ConflictException", message);
    }
}
