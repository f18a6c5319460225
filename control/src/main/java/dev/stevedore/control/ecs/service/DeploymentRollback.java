package dev.stevedore.control.ecs.service;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.service.rollout.Progress;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Deployment;
import dev.stevedore.model.ecs.Rollback;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.ServiceDeployment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A requested rollback of an ongoing service deployment to the service's last completed one, exactly as the
 * circuit breaker with rollback does it; the service controller then carries it out and moves the deployment's
 * history record on. Requested by StopServiceDeployment, by ContinueServiceDeployment with ROLLBACK, and by a
 * PAUSE hook whose timeout action is ROLLBACK.
 */
public final class DeploymentRollback {

    private DeploymentRollback() {
    }

    /** The new primary's rollout reason: the circuit breaker's "rolling back" form, with the request as the cause. */
    static String rollingBack(String toDeploymentId) {
        return "ECS deployment stopped: rolling back to deploymentId " + toDeploymentId + ".";
    }

    /**
     * Rolls the service deployment {@code sd} of {@code ref} back and marks its record ROLLBACK_REQUESTED with
     * {@code reason}, in the caller's transaction.
     *
     * @throws AwsException ConflictException when the service or the deployment cannot be rolled back
     */
    public static void rollBack(StoreTx tx, ServiceRef ref, ServiceDeployment sd, String reason, Instant now) {
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
        Service rolledBack = Progress.rollBackTo(service, deploymentId, reason, target, desired, now);
        Services.write(tx, ref, withPrimaryReason(rolledBack, rollingBack(target.deploymentId())));
        tx.put(ServiceHistory.serviceDeploymentKey(ref, deploymentId), HookDetails.withWaitingHooksFailed(sd, now).toBuilder()
                .status(ServiceHistory.ROLLBACK_REQUESTED)
                .statusReason(reason)
                .rollback(Rollback.builder().reason(reason).startedAt(now)
                        .serviceRevisionArn(ServiceHistory.revisionArn(ref, target.deploymentId())).build())
                .updatedAt(now)
                .build());
    }

    /**
     * The rollback helper words the new primary's reason as the circuit breaker's; a requested rollback is not
     * the breaker, so the reason names the request instead.
     */
    private static Service withPrimaryReason(Service service, String reason) {
        List<Deployment> deployments = new ArrayList<>();
        for (Deployment d : Services.deployments(service)) {
            deployments.add(ServiceStatus.PRIMARY.equals(d.status()) ? d.toBuilder().rolloutStateReason(reason).build() : d);
        }
        return service.toBuilder().deployments(deployments).build();
    }

    private static AwsException conflict(String message) {
        return EcsErrors.of("ConflictException", message);
    }
}
