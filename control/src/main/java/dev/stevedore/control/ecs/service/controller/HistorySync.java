package dev.stevedore.control.ecs.service.controller;

import dev.stevedore.control.ecs.service.CircuitBreakerThreshold;
import dev.stevedore.control.ecs.service.HookDetails;
import dev.stevedore.control.ecs.service.ServiceHistory;
import dev.stevedore.control.ecs.service.ServiceMessages;
import dev.stevedore.control.ecs.service.ServiceRef;
import dev.stevedore.control.ecs.service.ServiceStatus;
import dev.stevedore.control.ecs.service.rollout.Progress;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Deployment;
import dev.stevedore.model.ecs.DeploymentConfiguration;
import dev.stevedore.model.ecs.Rollback;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.ServiceDeployment;
import dev.stevedore.model.ecs.ServiceDeploymentCircuitBreaker;
import dev.stevedore.model.ecs.ServiceRevisionSummary;

import java.time.Instant;
import java.util.Optional;

/**
 * Keeps the deployment history (the ServiceDeployment records of ListServiceDeployments and
 * DescribeServiceDeployments) in step with the deployments of the service record, in the same
 * transaction as the service.
 *
 * <p>A deployment's record goes PENDING → IN_PROGRESS (its first pass) → SUCCESSFUL (completed);
 * a failed one goes to ROLLBACK_IN_PROGRESS and then ROLLBACK_SUCCESSFUL once the deployment it
 * rolled back to completes, or to STOPPED when there was nothing to roll back to. A deployment
 * superseded by a newer one is STOPPED by UpdateService. One stopped by StopServiceDeployment is
 * ROLLBACK_REQUESTED (written with the rollback itself) and moves on as a failed one does.
 */
final class HistorySync {
    private HistorySync() {
    }

    static void sync(StoreTx tx, ServiceRef ref, Service service, Progress.Result progress, Instant now) {
        DeploymentConfiguration config = service.deploymentConfiguration();
        boolean breaker = config != null && config.deploymentCircuitBreaker() != null
                && Boolean.TRUE.equals(config.deploymentCircuitBreaker().enable());
        int desired = Optional.ofNullable(service.desiredCount()).orElse(0);
        for (Deployment d : service.deployments() == null ? java.util.List.<Deployment>of() : service.deployments()) {
            Optional<ServiceDeployment> stored = ServiceHistory.read(tx, ref, d.id());
            if (stored.isEmpty()) {
                continue;
            }
            ServiceDeployment sd = stored.get();
            ServiceDeployment.Builder b = sd.toBuilder()
                    .targetServiceRevision(ServiceRevisionSummary.builder()
                            .arn(ServiceHistory.revisionArn(ref, d.id()))
                            .requestedTaskCount(d.desiredCount())
                            .runningTaskCount(d.runningCount())
                            .pendingTaskCount(d.pendingCount())
                            .build())
                    .deploymentCircuitBreaker(ServiceDeploymentCircuitBreaker.builder()
                            .status(breakerStatus(breaker, d))
                            .failureCount(Optional.ofNullable(d.failedTasks()).orElse(0))
                            .threshold(CircuitBreakerThreshold.of(desired))
                            .build());
            String status = sd.status();
            boolean rollingBackFrom = progress.rolledBack().filter(d.id()::equals).isPresent();
            if (rollingBackFrom) {
                String target = service.deployments().getFirst().id();
                b.status(ServiceHistory.ROLLBACK_IN_PROGRESS)
                        .statusReason(ServiceMessages.ROLLOUT_FAILED)
                        .rollback(Rollback.builder().reason(ServiceMessages.ROLLOUT_FAILED).startedAt(now)
                                .serviceRevisionArn(ServiceHistory.revisionArn(ref, target)).build());
            } else if (ServiceStatus.FAILED.equals(d.rolloutState())
                    && ServiceHistory.ROLLBACK_REQUESTED.equals(status)) {
                // StopServiceDeployment asked for the rollback and put it in the service; it now runs.
                b.status(ServiceHistory.ROLLBACK_IN_PROGRESS);
            } else if (ServiceStatus.FAILED.equals(d.rolloutState()) && ongoing(status)) {
                b.status(ServiceHistory.STOPPED).statusReason(ServiceMessages.ROLLOUT_FAILED).stoppedAt(now);
            } else if (ServiceStatus.COMPLETED.equals(d.rolloutState()) && ongoing(status)) {
                b.status(ServiceHistory.SUCCESSFUL).statusReason(d.rolloutStateReason()).finishedAt(now);
            } else if (ServiceStatus.IN_PROGRESS.equals(d.rolloutState())
                    && ServiceHistory.PENDING.equals(status)) {
                b.status(ServiceHistory.IN_PROGRESS).startedAt(now);
            }
            ServiceDeployment next = b.build();
            if (!ongoing(next.status())) {
                next = HookDetails.withWaitingHooksFailed(next, now);
            }
            if (!next.equals(sd)) {
                tx.put(ServiceHistory.serviceDeploymentKey(ref, d.id()), next.toBuilder().updatedAt(now).build());
            }
        }
        Optional<Deployment> primary = service.deployments() == null ? Optional.empty()
                : service.deployments().stream().filter(d -> ServiceStatus.PRIMARY.equals(d.status())).findFirst();
        if (primary.isPresent() && progress.events().contains(
                ServiceMessages.deploymentCompleted(service.serviceName(), primary.get().id()))) {
            finishRollbacks(tx, ref, primary.get(), now);
        }
    }

    /** A rollback ends when the deployment it went back to completes again. */
    private static void finishRollbacks(StoreTx tx, ServiceRef ref, Deployment completed, Instant now) {
        String revision = ServiceHistory.revisionArn(ref, completed.id());
        for (ServiceDeployment sd : tx.scan(dev.stevedore.control.ecs.EcsKeys.serviceDeployments(ref.scope(),
                ref.cluster(), ref.name()), ServiceDeployment.class)) {
            // A requested rollback can finish before a pass saw it start (the stopped deployment's
            // tasks were gone by then), so it ends here too.
            boolean rollingBack = ServiceHistory.ROLLBACK_IN_PROGRESS.equals(sd.status())
                    || ServiceHistory.ROLLBACK_REQUESTED.equals(sd.status());
            if (rollingBack && sd.rollback() != null
                    && revision.equals(sd.rollback().serviceRevisionArn())) {
                String id = sd.serviceDeploymentArn().substring(sd.serviceDeploymentArn().lastIndexOf('/') + 1);
                tx.put(dev.stevedore.control.ecs.EcsKeys.serviceDeployment(ref.scope(), ref.cluster(), ref.name(), id),
                        sd.toBuilder().status(ServiceHistory.ROLLBACK_SUCCESSFUL).finishedAt(now).updatedAt(now).build());
            }
        }
    }

    private static boolean ongoing(String status) {
        return ServiceHistory.PENDING.equals(status) || ServiceHistory.IN_PROGRESS.equals(status);
    }

    private static String breakerStatus(boolean enabled, Deployment d) {
        if (!enabled) {
            return "DISABLED";
        }
        return switch (d.rolloutState() == null ? "" : d.rolloutState()) {
            case ServiceStatus.FAILED -> "TRIGGERED";
            case ServiceStatus.COMPLETED -> "MONITORING_COMPLETE";
            default -> "MONITORING";
        };
    }
}
