package dev.stevedore.control.ecs.service.rollout;

import dev.stevedore.control.ecs.service.CircuitBreakerThreshold;
import dev.stevedore.control.ecs.service.ServiceMessages;
import dev.stevedore.control.ecs.service.ServiceStatus;
import dev.stevedore.control.ecs.service.Services;
import dev.stevedore.control.ecs.task.TaskStatus;
import dev.stevedore.model.ecs.Deployment;
import dev.stevedore.model.ecs.DeploymentConfiguration;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.ServiceRevision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What a service's tasks say about its deployments, as a pure function: each deployment's counts,
 * the removal of old deployments that have no task left, the circuit breaker (and the rollback it
 * starts), the completion of the primary deployment, the DRAINING service becoming INACTIVE, and
 * the events all of that is worth.
 */
public final class Progress {
    private Progress() {
    }

    /**
     * A deployment to roll back to: the last one that completed, with the revision it rolled out
     * when it is no longer listed (its launch, network and platform are made again from it).
     */
    public record RollbackTarget(String deploymentId, String taskDefinitionArn, Optional<ServiceRevision> revision) {
        /** A deployment still in the service's list, which keeps its own launch. */
        public RollbackTarget(String deploymentId, String taskDefinitionArn) {
            this(deploymentId, taskDefinitionArn, Optional.empty());
        }
    }

    /**
     * @param service      the service record after this step
     * @param failures     messages about what went wrong (the circuit breaker, the rollback), oldest
     *                     first: they come before the events of what the scheduler then does
     * @param outcomes     messages about where the service now is (completed, steady), oldest first:
     *                     they come after them
     * @param rolledBack   the deployment that failed and is being rolled back, if this step started that
     */
    public record Result(Service service, List<String> failures, List<String> outcomes, Optional<String> rolledBack) {
        public Result {
            failures = List.copyOf(failures);
            outcomes = List.copyOf(outcomes);
        }

        /** Every message, oldest first. */
        public List<String> events() {
            List<String> all = new ArrayList<>(failures);
            all.addAll(outcomes);
            return all;
        }
    }

    /**
     * @param effectiveDesired the desired count: the service's, 0 when it is DRAINING, the number of
     *                         eligible instances for DAEMON
     * @param lastCompleted    looks up the last completed deployment when the list no longer holds it
     */
    public static Result apply(Service service, List<ServiceTask> tasks, int effectiveDesired, Instant now,
                               RolloutSettings settings, Supplier<Optional<RollbackTarget>> lastCompleted) {
        if (ServiceStatus.INACTIVE.equals(service.status()) || Services.isExternal(service)) {
            return new Result(service, List.of(), List.of(), Optional.empty());
        }
        Map<String, List<ServiceTask>> byDeployment = tasks.stream()
                .collect(Collectors.groupingBy(ServiceTask::deploymentId));
        List<String> events = new ArrayList<>();
        List<String> outcomes = new ArrayList<>();
        Optional<String> rolledBack = Optional.empty();
        String name = service.serviceName();
        List<Deployment> deployments = new ArrayList<>();
        for (Deployment d : Services.deployments(service)) {
            List<ServiceTask> own = byDeployment.getOrDefault(d.id(), List.of());
            boolean primary = ServiceStatus.PRIMARY.equals(d.status());
            // As ECS counts them: by last status, so a task told to stop counts until it has stopped
            // (and the waiter services-stable does not pass while old tasks still run).
            int running = (int) own.stream().filter(t -> !t.summary().isStopped() && ranOrRuns(t)).count();
            int pending = (int) own.stream().filter(t -> !t.summary().isStopped() && !ranOrRuns(t)).count();
            if (!primary && running + pending == 0) {
                continue;  // an old deployment with nothing left leaves the list
            }
            int failed = ServiceStatus.IN_PROGRESS.equals(d.rolloutState())
                    ? CircuitBreaker.failures(own, now, settings.healthyAfterRunning())
                    : Optional.ofNullable(d.failedTasks()).orElse(0);
            int wanted = (int) own.stream().filter(ServiceTask::active).count();
            deployments.add(counted(d, primary ? effectiveDesired : wanted, running, pending, failed, now));
        }
        Service.Builder next = service.toBuilder().deployments(deployments);

        // The circuit breaker, on the primary deployment while it rolls out.
        Optional<Deployment> primary = deployments.stream().filter(Progress::isPrimary).findFirst();
        DeploymentConfiguration config = service.deploymentConfiguration();
        boolean breaker = config != null && config.deploymentCircuitBreaker() != null
                && Boolean.TRUE.equals(config.deploymentCircuitBreaker().enable());
        if (primary.isPresent() && breaker && ServiceStatus.IN_PROGRESS.equals(primary.get().rolloutState())
                && primary.get().failedTasks() >= CircuitBreakerThreshold.of(effectiveDesired)) {
            Deployment failedOne = primary.get();
            events.add(ServiceMessages.deploymentFailed(name, failedOne.id()));
            Deployment failed = failedOne.toBuilder().rolloutState(ServiceStatus.FAILED)
                    .rolloutStateReason(ServiceMessages.ROLLOUT_FAILED).updatedAt(now).build();
            Optional<RollbackTarget> target = Boolean.TRUE.equals(config.deploymentCircuitBreaker().rollback())
                    ? completedIn(deployments).or(lastCompleted)
                        .filter(t -> !t.deploymentId().equals(failedOne.id())) : Optional.empty();
            replace(deployments, failedOne, failed);
            if (target.isPresent()) {
                RollbackTarget t = target.get();
                events.add(ServiceMessages.rollingBack(name, t.deploymentId()));
                rollBack(deployments, failed, t, effectiveDesired, service, now);
                next.deployments(deployments).taskDefinition(t.taskDefinitionArn());
                rolledBack = Optional.of(failedOne.id());
            } else {
                next.deployments(deployments);
            }
        }

        // Completion and steady state.
        primary = deployments.stream().filter(Progress::isPrimary).findFirst();
        boolean draining = ServiceStatus.DRAINING.equals(service.status());
        if (primary.isPresent() && !draining) {
            Deployment p = primary.get();
            List<ServiceTask> own = byDeployment.getOrDefault(p.id(), List.of());
            boolean steady = deployments.size() == 1 && p.runningCount() == effectiveDesired && p.pendingCount() == 0
                    && own.stream().filter(ServiceTask::running).allMatch(Progress::passesChecks);
            if (steady && ServiceStatus.IN_PROGRESS.equals(p.rolloutState()) && baked(service, own, now)) {
                Deployment done = p.toBuilder().rolloutState(ServiceStatus.COMPLETED)
                        .rolloutStateReason(ServiceMessages.rolloutCompleted(p.id())).updatedAt(now).build();
                replace(deployments, p, done);
                next.deployments(deployments);
                outcomes.add(ServiceMessages.deploymentCompleted(name, p.id()));
                p = done;
            }
            if (steady && !ServiceStatus.IN_PROGRESS.equals(p.rolloutState())) {
                outcomes.add(ServiceMessages.steady(name));
            }
        }
        int running = deployments.stream().mapToInt(d -> Optional.ofNullable(d.runningCount()).orElse(0)).sum();
        int pending = deployments.stream().mapToInt(d -> Optional.ofNullable(d.pendingCount()).orElse(0)).sum();
        next.runningCount(running).pendingCount(pending);
        if (Services.isDaemon(service)) {
            next.desiredCount(effectiveDesired);
        }
        if (draining && tasks.stream().noneMatch(t -> !t.summary().isStopped())) {
            next.status(ServiceStatus.INACTIVE);
        }
        Service result = next.build();
        return new Result(result, events, outcomes, rolledBack);
    }

    /**
     * A running task of a steady deployment: HEALTHY when its containers are checked, and reported
     * healthy by every target group when it is behind load balancers (ECS completes a deployment
     * behind a load balancer only once its tasks pass the load balancer's checks).
     */
    private static boolean passesChecks(ServiceTask t) {
        boolean containers = !t.healthChecked() || "HEALTHY".equals(t.summary().healthStatus());
        return containers && (!t.targets().balanced() || t.targets().state() == TargetsHealth.State.HEALTHY);
    }

    /** RUNNING, or on its way from RUNNING to STOPPED. */
    private static boolean ranOrRuns(ServiceTask t) {
        return TaskStatus.isRunningOrLater(t.summary().lastStatus());
    }

    private static boolean isPrimary(Deployment d) {
        return ServiceStatus.PRIMARY.equals(d.status());
    }

    private static Deployment counted(Deployment d, int desired, int running, int pending, int failed, Instant now) {
        if (Objects.equals(d.desiredCount(), desired) && Objects.equals(d.runningCount(), running)
                && Objects.equals(d.pendingCount(), pending) && Objects.equals(d.failedTasks(), failed)) {
            return d;
        }
        return d.toBuilder().desiredCount(desired).runningCount(running).pendingCount(pending).failedTasks(failed)
                .updatedAt(now).build();
    }

    /** The newest deployment in the list that completed, other than the primary. */
    private static Optional<RollbackTarget> completedIn(List<Deployment> deployments) {
        return deployments.stream()
                .filter(d -> !isPrimary(d) && ServiceStatus.COMPLETED.equals(d.rolloutState()))
                .max(Comparator.comparing(Deployment::createdAt))
                .map(d -> new RollbackTarget(d.id(), d.taskDefinition()));
    }

    /**
     * The service with {@code failedId} (its primary deployment) marked FAILED for {@code reason}
     * and {@code target} rolling out again as the primary, as the circuit breaker leaves it; for
     * StopServiceDeployment's ROLLBACK.
     */
    public static Service rollBackTo(Service service, String failedId, String reason, RollbackTarget target,
                                     int desired, Instant now) {
        List<Deployment> deployments = new ArrayList<>(Services.deployments(service));
        Deployment failing = deployments.stream().filter(d -> d.id().equals(failedId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no deployment " + failedId));
        Deployment failed = failing.toBuilder().rolloutState(ServiceStatus.FAILED).rolloutStateReason(reason)
                .updatedAt(now).build();
        replace(deployments, failing, failed);
        rollBack(deployments, failed, target, desired, service, now);
        return service.toBuilder().deployments(deployments).taskDefinition(target.taskDefinitionArn()).build();
    }

    /** The newest completed deployment still listed, other than the primary: the first choice to roll back to. */
    public static Optional<RollbackTarget> completedInList(Service service) {
        return completedIn(Services.deployments(service));
    }

    /**
     * The deployment rolled back to becomes PRIMARY again, under its own id (as ECS reports it),
     * rolling out once more; the failed one becomes ACTIVE and is scaled in.
     */
    private static void rollBack(List<Deployment> deployments, Deployment failed, RollbackTarget target,
                                 int desired, Service service, Instant now) {
        replace(deployments, failed, failed.toBuilder().status(ServiceStatus.DEPLOYMENT_ACTIVE).build());
        Optional<Deployment> existing = deployments.stream().filter(d -> d.id().equals(target.deploymentId())).findFirst();
        Deployment.Builder b = existing.map(Deployment::toBuilder).orElseGet(() -> launchOf(target, service,
                Deployment.builder()
                        .id(target.deploymentId())
                        .taskDefinition(target.taskDefinitionArn())
                        .runningCount(0)
                        .pendingCount(0)
                        .failedTasks(0)
                        .createdAt(now)));
        Deployment promoted = b.status(ServiceStatus.PRIMARY)
                .desiredCount(desired)
                .failedTasks(0)
                .rolloutState(ServiceStatus.IN_PROGRESS)
                .rolloutStateReason(ServiceMessages.rolloutRollingBack(target.deploymentId()))
                .updatedAt(now)
                .build();
        existing.ifPresent(deployments::remove);
        deployments.addFirst(promoted);
    }

    /** The launch the target's revision rolled out, else the service's as it now is. */
    private static Deployment.Builder launchOf(RollbackTarget target, Service service, Deployment.Builder deployment) {
        if (target.revision().isEmpty()) {
            return Services.withLaunchOf(deployment, service);
        }
        ServiceRevision r = target.revision().get();
        return deployment.launchType(r.launchType())
                .capacityProviderStrategy(r.capacityProviderStrategy())
                .networkConfiguration(r.networkConfiguration())
                .platformVersion(r.platformVersion())
                .platformFamily(r.platformFamily());
    }

    private static void replace(List<Deployment> deployments, Deployment old, Deployment now) {
        int i = deployments.indexOf(old);
        if (i >= 0) {
            deployments.set(i, now);
        }
    }

    /** A bake time, if configured, runs from when the last of the primary's tasks started. */
    private static boolean baked(Service service, List<ServiceTask> primaryTasks, Instant now) {
        DeploymentConfiguration config = service.deploymentConfiguration();
        int minutes = config == null || config.bakeTimeInMinutes() == null ? 0 : config.bakeTimeInMinutes();
        if (minutes == 0) {
            return true;
        }
        Optional<Instant> lastStart = primaryTasks.stream().filter(ServiceTask::running)
                .map(t -> t.summary().startedAt()).filter(Objects::nonNull).max(Comparator.naturalOrder());
        return lastStart.map(s -> !now.isBefore(s.plus(Duration.ofMinutes(minutes)))).orElse(true);
    }

    /** When the bake time of the primary ends, if it is still baking. */
    public static Optional<Instant> bakeEnds(Service service, List<ServiceTask> primaryTasks, Instant now) {
        DeploymentConfiguration config = service.deploymentConfiguration();
        int minutes = config == null || config.bakeTimeInMinutes() == null ? 0 : config.bakeTimeInMinutes();
        if (minutes == 0) {
            return Optional.empty();
        }
        return primaryTasks.stream().filter(ServiceTask::running)
                .map(t -> t.summary().startedAt()).filter(Objects::nonNull).max(Comparator.naturalOrder())
                .map(s -> s.plus(Duration.ofMinutes(minutes))).filter(now::isBefore);
    }
}
