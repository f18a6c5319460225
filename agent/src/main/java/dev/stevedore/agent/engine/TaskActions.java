package dev.stevedore.agent.engine;

import dev.stevedore.agent.efs.EfsMounts;
import dev.stevedore.agent.runtime.ContainerRuntime;
import dev.stevedore.agent.runtime.ContainerRuntimeException;
import dev.stevedore.agent.runtime.ContainerRuntimeException.Kind;
import dev.stevedore.agent.runtime.ContainerSpec;
import dev.stevedore.agent.runtime.ContainerStatus;
import dev.stevedore.agent.runtime.HealthStatus;
import dev.stevedore.agent.runtime.ImageInfo;
import dev.stevedore.agent.runtime.RegistryAuth;
import dev.stevedore.model.agent.NetworkInterfaceAssignment;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskCredentials;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.NetworkBinding;
import dev.stevedore.model.ecs.PortMapping;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the steps of one task against the container engine and returns the task's record
 * as they leave it. Failures that belong to the task (a bad image, a bad command) end up in the
 * record as reasons; failures of the engine itself (unreachable, or the supervisor being closed)
 * are thrown, so that the step is tried again later rather than blamed on the task.
 */
final class TaskActions {

    static final String CREATE_ERROR = "CannotCreateContainerError: ";
    static final String START_ERROR = "CannotStartContainerError: ";

    private static final Logger log = LoggerFactory.getLogger(TaskActions.class);
    /** 128 + SIGKILL: how the engine reports a process the kernel killed. */
    private static final int SIGKILL_EXIT = 137;

    private final EngineContext ctx;
    private final ContainerRuntime runtime;

    TaskActions(EngineContext ctx) {
        this.ctx = ctx;
        this.runtime = ctx.runtime();
    }

    /**
     * Reads the secrets of the containers still to create and hands them to {@code keep}; when they
     * cannot be read, no container is created and the task fails to start, for that reason.
     */
    TaskRecord resolveSecrets(TaskRecord r, TaskPlan plan, Consumer<ResolvedSecrets> keep) {
        return switch (SecretResolution.resolve(r, plan, regionOf(r), ctx.secrets())) {
            case SecretResolution.Outcome.Resolved resolved -> {
                keep.accept(resolved.secrets());
                yield r;
            }
            case SecretResolution.Outcome.Failed failed -> {
                log.warn("task {}: {}", r.taskArn(), failed.reason());
                yield r.withContainers(c -> c.phase().startable() ? c.failed(failed.reason()) : c);
            }
        };
    }

    /**
     * Makes every image still needed present, pulling only absent ones (ECS_IMAGE_PULL_BEHAVIOR=prefer-cached),
     * with a container's registry credentials when it has them, else, for an image of this
     * Stevedore's registry, with a token of its ECR.
     */
    TaskRecord pullImages(TaskRecord r, TaskPlan plan, ResolvedSecrets secrets) {
        r = r.withPullStarted(ctx.clock().instant());
        Map<String, PullOutcome> outcomes = new HashMap<>();
        for (PlannedContainer pc : plan.containers()) {
            ContainerRecord c = r.container(pc.name()).orElseThrow();
            if (c.phase() != ContainerPhase.NONE) {
                continue;
            }
            String image = pc.definition().image();
            Optional<RegistryAuth> auth = secrets.registryAuthOf(pc.name());
            // By image and user: containers of one image with other credentials each try theirs.
            String key = image + auth.map(a -> "\n" + a.username()).orElse("");
            PullOutcome outcome = outcomes.get(key);
            if (outcome == null) {
                outcome = ensure(r, image, auth);
                outcomes.put(key, outcome);
            }
            r = r.withContainer(outcome.failure().isPresent() ? c.failed(outcome.failure().get()) : c.withImageDigest(outcome.digest()));
        }
        return r.withImagesPulled(ctx.clock().instant());
    }

    private record PullOutcome(Optional<String> digest, Optional<String> failure) {
        static PullOutcome failed(String reason) {
            return new PullOutcome(Optional.empty(), Optional.of(reason));
        }
    }

    private PullOutcome ensure(TaskRecord r, String image, Optional<RegistryAuth> given) {
        try {
            Optional<ImageInfo> present = runtime.inspectImage(image);
            if (present.isPresent()) {
                return new PullOutcome(present.get().manifestDigest(), Optional.empty());
            }
            Optional<RegistryAuth> auth = given;
            if (auth.isEmpty() && ctx.logins().holds(image)) {
                // The token is asked for only when a pull needs it, as ECS does.
                auth = Optional.of(ctx.logins().login(r.assignment().flatMap(TaskAssignment::executionRoleCredentials),
                        regionOf(r)));
            }
            return new PullOutcome(runtime.pullImage(image, auth).manifestDigest(), Optional.empty());
        } catch (RegistryTokens.TokenRefusedException e) {
            log.warn("task {}: no token of the registry of {}: {}", r.taskArn(), image, e.getMessage());
            return PullOutcome.failed(PullReasons.tokenRefused(e.getMessage()));
        } catch (ContainerRuntimeException e) {
            rethrowIfNotTheTasks(e);
            log.warn("task {}: cannot pull {}: {}", r.taskArn(), image, e.getMessage());
            return PullOutcome.failed(PullReasons.pullFailed(e.getMessage()));
        } catch (IllegalArgumentException e) {
            return PullOutcome.failed(PullReasons.pullFailed("invalid image reference " + image + ": " + e.getMessage()));
        }
    }

    /** The task's Region, from its ARN. */
    private static String regionOf(TaskRecord r) {
        return r.taskArn().split(":", 5)[3];
    }

    /** Creates the task's volumes and cgroup; when a volume cannot be had, no container can start. */
    TaskRecord prepare(TaskRecord r, TaskPlan plan) {
        for (Map.Entry<String, VolumePlan> e : plan.volumes().entrySet()) {
            Optional<String> failure = prepareVolume(r, e.getKey(), e.getValue());
            if (failure.isPresent()) {
                String reason = failure.get();
                return r.withContainers(c -> c.phase().startable() ? c.failed(reason) : c).withPrepared(Optional.empty());
            }
        }
        return r.withPrepared(ctx.cgroups().create(r.taskId(), plan.cpuUnits(), plan.memoryMiB()));
    }

    /** Why the volume cannot be had, as the task's stopped reason; empty when it is ready. */
    private Optional<String> prepareVolume(TaskRecord r, String name, VolumePlan volume) {
        try {
            switch (volume) {
                case VolumePlan.Efs e -> {
                    try {
                        ctx.efs().acquire(r.taskId(), e.volume());
                    } catch (EfsMounts.MountException failed) {
                        log.warn("task {}: cannot mount volume {}: {}", r.taskArn(), name, failed.getMessage());
                        return Optional.of(failed.getMessage());
                    }
                }
                case VolumePlan.HostPath h -> {
                    // The engine creates a missing host directory when it binds it.
                }
                case VolumePlan.TaskScoped t -> runtime.createVolume(t.spec());
                case VolumePlan.Shared s -> {
                    if (runtime.inspectVolume(s.spec().name()).isEmpty()) {
                        if (!s.autoprovision()) {
                            return Optional.of(CREATE_ERROR + "shared Docker volume " + s.spec().name() + " of task volume " + name
                                    + " does not exist and autoprovision is not enabled");
                        }
                        runtime.createVolume(s.spec());
                    }
                }
            }
            return Optional.empty();
        } catch (ContainerRuntimeException e) {
            rethrowIfNotTheTasks(e);
            return Optional.of(CREATE_ERROR + "cannot create volume " + name + ": " + e.getMessage());
        }
    }

    /**
     * Creates the container unless it exists, then starts it.
     *
     * @param checkpoint saves the record with the container's name before the create, so that a
     *                   crash during or after it finds the container again (by that name and its
     *                   labels) instead of creating a second one. Its id is not saved separately:
     *                   the name and labels find it.
     */
    TaskRecord startContainer(TaskRecord r, TaskPlan plan, String name, ResolvedSecrets secrets,
                              Consumer<TaskRecord> checkpoint) {
        r = createContainer(r, plan, name, secrets, checkpoint);
        ContainerRecord c = r.container(name).orElseThrow();
        if (c.dockerId().isEmpty() || !c.phase().startable()) {
            return r;
        }
        return start(r, plan, name);
    }

    /**
     * Creates the container unless it exists; when the create fails for a reason of the task's,
     * the container is failed with it.
     *
     * @param checkpoint as for {@link #startContainer}
     */
    private TaskRecord createContainer(TaskRecord r, TaskPlan plan, String name, ResolvedSecrets secrets,
                                       Consumer<TaskRecord> checkpoint) {
        PlannedContainer pc = plan.container(name).orElseThrow();
        ContainerRecord c = r.container(name).orElseThrow();
        if (c.dockerId().isEmpty()) {
            String dockerName = c.dockerName().orElseGet(() -> ContainerSpecs.dockerName(plan, name));
            boolean taskRole = r.assignment().flatMap(TaskAssignment::taskRoleCredentials).isPresent();
            if (taskRole && !ctx.routes().enabled()) {
                return r.withContainer(c.failed(CREATE_ERROR + "the task has a task role, and this agent does not serve task"
                        + " credentials at 169.254.170.2 (it needs to run as root on Linux)"));
            }
            if (taskRole && plan.networkMode().equals("host")) {
                return r.withContainer(c.failed(CREATE_ERROR + "the task has a task role, and the Stevedore agent does not"
                        + " serve task credentials to the host network mode"));
            }
            Optional<String> awslogsRefusal = awslogsRefusal(r, pc);
            if (awslogsRefusal.isPresent()) {
                return r.withContainer(c.failed(awslogsRefusal.get()));
            }
            Optional<ContainerSpecs.EndpointAccess> endpoints = endpointAccess(r, plan);
            ContainerSpec spec;
            try {
                spec = ContainerSpecs.build(specContext(r, plan, endpoints, secrets, name), pc, dockerName);
            } catch (RuntimeException e) {
                // The spec is built from the definition alone: whatever it rejects is the definition's fault.
                return r.withContainer(c.failed(CREATE_ERROR + e.getMessage()));
            }
            if (spec.bridgeMacAddress().isPresent()) {
                // Before the container exists, so that its first request already finds the route.
                try {
                    ctx.routes().routeContainer(r.taskArn(), spec.bridgeMacAddress().get());
                } catch (RuntimeException e) {
                    log.warn("task {}: cannot route container {} to the task endpoints: {}", r.taskArn(), name, e.getMessage());
                    return r.withContainer(c.failed(CREATE_ERROR + "cannot route the container to the task endpoints: "
                            + e.getMessage()));
                }
            }
            c = c.withDockerName(dockerName);
            r = r.withContainer(c);
            checkpoint.accept(r);
            String id;
            try {
                id = runtime.createContainer(spec);
            } catch (ContainerRuntimeException e) {
                rethrowIfNotTheTasks(e);
                Optional<String> earlier = e.kind() == Kind.CONFLICT ? createdEarlier(dockerName, r.taskArn(), name) : Optional.empty();
                if (earlier.isEmpty()) {
                    log.warn("task {}: cannot create container {}: {}", r.taskArn(), name, e.getMessage());
                    return r.withContainer(c.failed(CREATE_ERROR + e.getMessage()));
                }
                id = earlier.get();
            }
            c = c.created(dockerName, id);
            r = r.withContainer(c);
        }
        return r;
    }

    /** Starts a created container. */
    private TaskRecord start(TaskRecord r, TaskPlan plan, String name) {
        PlannedContainer pc = plan.container(name).orElseThrow();
        ContainerRecord c = r.container(name).orElseThrow();
        String id = c.dockerId().orElseThrow();
        try {
            runtime.startContainer(id);
        } catch (ContainerRuntimeException e) {
            rethrowIfNotTheTasks(e);
            log.warn("task {}: cannot start container {}: {}", r.taskArn(), name, e.getMessage());
            // The daemon answered (an unreachable one was rethrown): its refusal reads as ECS shows
            // it, in the words of Docker's client.
            return r.withContainer(e.kind() == Kind.NOT_FOUND
                    ? Observations.observe(c, Optional.empty(), plan.networkMode(), pc.definition())
                    : c.failed(START_ERROR + ContainerRuntimeException.DAEMON_RESPONSE + e.getMessage()));
        }
        if (!publishesPorts(plan, pc)) {
            // Nothing to learn by inspecting it now: the start answered, and a container that dies
            // or changes health right away sends an event the supervisor looks at.
            List<NetworkBinding> bindings = plan.networkMode().equals("host") ? Observations.hostBindings(pc.definition()) : List.of();
            return r.withContainer(c.running(HealthStatus.NONE, bindings));
        }
        ContainerRecord started = c.running(HealthStatus.NONE, List.of());
        return r.withContainer(Observations.observe(started, runtime.findContainer(id), plan.networkMode(), pc.definition()));
    }

    /** Whether the engine publishes the container's ports on host ports it may choose, which only an inspection tells. */
    private static boolean publishesPorts(TaskPlan plan, PlannedContainer pc) {
        List<PortMapping> mappings = Optional.ofNullable(pc.definition().portMappings()).orElse(List.of());
        return plan.networkMode().equals("bridge") && !mappings.isEmpty();
    }

    /** A container of this name made by an earlier attempt that a crash kept from being recorded. */
    private Optional<String> createdEarlier(String dockerName, String taskArn, String container) {
        return runtime.findContainer(dockerName)
                .filter(s -> taskArn.equals(s.labels().get(Labels.TASK_ARN)))
                .filter(s -> container.equals(s.labels().get(Labels.CONTAINER_NAME)))
                .filter(s -> ctx.identity().containerInstanceArn().equals(s.labels().get(Labels.CONTAINER_INSTANCE)))
                .map(ContainerStatus::id);
    }

    /** What the container is told of the task endpoints; nothing when this host does not serve them. */
    private Optional<ContainerSpecs.EndpointAccess> endpointAccess(TaskRecord r, TaskPlan plan) {
        // Host-mode containers cannot reach the endpoints (see IptablesRoutes): told of them, SDKs
        // would wait for answers that never come instead of moving on.
        if (!ctx.routes().enabled() || plan.networkMode().equals("host")) {
            return Optional.empty();
        }
        Optional<String> credentialsId = r.assignment().flatMap(TaskAssignment::taskRoleCredentials)
                .map(TaskCredentials::credentialsId);
        Optional<String> mac = plan.networkMode().equals("bridge") ? Optional.of(ContainerSpecs.randomMac()) : Optional.empty();
        return Optional.of(new ContainerSpecs.EndpointAccess(UUID.randomUUID().toString(), credentialsId, mac));
    }

    /**
     * Why a container with the awslogs log driver cannot be made here: the daemon would have no
     * credentials to sign with (no route from the host to this agent's endpoints, or a task without
     * an execution role: unlike an EC2 instance, a Stevedore host has no instance role the daemon
     * could fall back on, and letting it try would send it looking for one on the network).
     */
    private Optional<String> awslogsRefusal(TaskRecord r, PlannedContainer pc) {
        if (!usesAwsLogs(pc)) {
            return Optional.empty();
        }
        if (ctx.awslogs().isEmpty()) {
            return Optional.of(CREATE_ERROR + "log driver awslogs needs the Docker daemon routed to this agent's task"
                    + " endpoints at 169.254.170.2, and this agent cannot route it (it needs to run as root on Linux)");
        }
        if (r.assignment().flatMap(TaskAssignment::executionRoleCredentials).isEmpty()) {
            return Optional.of(START_ERROR + "log driver awslogs needs the task's execution role to sign with, and the"
                    + " task definition has no executionRoleArn");
        }
        return Optional.empty();
    }

    private static boolean usesAwsLogs(PlannedContainer pc) {
        return pc.definition().logConfiguration() != null
                && AwsLogs.DRIVER.equals(pc.definition().logConfiguration().logDriver());
    }

    private ContainerSpecs.Context specContext(TaskRecord r, TaskPlan plan, Optional<ContainerSpecs.EndpointAccess> endpoints,
                                               ResolvedSecrets secrets, String container) {
        Map<String, String> names = new HashMap<>();
        for (ContainerRecord c : r.containers()) {
            if (c.dockerId().isPresent() && c.dockerName().isPresent()) {
                names.put(c.name(), c.dockerName().get());
            }
        }
        return new ContainerSpecs.Context(ctx.identity(), r.taskArn(), plan, names, r.cgroupParent(),
                r.network().flatMap(TaskNetworkRecord::pauseName), endpoints, secrets.environmentOf(container),
                secrets.logOptionsOf(container),
                ctx.awslogs().flatMap(t -> r.assignment().flatMap(TaskAssignment::executionRoleCredentials)
                        .map(c -> t.access(c.credentialsId()))));
    }

    /** SIGTERM, SIGKILL after the container's stop timeout, and what it exited with. */
    TaskRecord stopContainer(TaskRecord r, TaskPlan plan, String name) {
        PlannedContainer pc = planned(plan, name);
        ContainerRecord c = r.container(name).orElseThrow();
        String id = c.dockerId().orElseThrow();
        String failure = "it is still running";
        try {
            runtime.stopContainer(id, pc.stopTimeout());
        } catch (ContainerRuntimeException e) {
            rethrowIfNotTheTasks(e);
            failure = e.getMessage();
        }
        ContainerRecord after = Observations.observe(c, runtime.findContainer(id), plan.networkMode(), pc.definition());
        if (!after.stopped()) {
            // Left running, it is killed when the task is cleaned up; the task must not wait for it forever.
            log.warn("task {}: container {} could not be stopped: {}", r.taskArn(), name, failure);
            after = after.exited(false, OptionalInt.empty(), Optional.of("Container could not be stopped: " + failure), after.health());
        }
        return r.withContainer(after);
    }

    /** Removes the task's containers (also any a crash kept from being recorded), task-scoped volumes and cgroup. */
    TaskRecord cleanup(TaskRecord r, TaskPlan plan) {
        Set<String> ids = new LinkedHashSet<>();
        r.containers().forEach(c -> c.dockerId().ifPresent(ids::add));
        runtime.listContainers(Map.of(Labels.TASK_ARN, r.taskArn(), Labels.CONTAINER_INSTANCE, ctx.identity().containerInstanceArn()))
                .forEach(s -> ids.add(s.id()));
        for (String id : ids) {
            runtime.removeContainer(id);
        }
        for (VolumePlan v : plan.volumes().values()) {
            if (v instanceof VolumePlan.TaskScoped t) {
                try {
                    runtime.removeVolume(t.spec().name());
                } catch (ContainerRuntimeException e) {
                    rethrowIfNotTheTasks(e);
                    // Someone else mounted it meanwhile; it is theirs to clean up now.
                    log.warn("task {}: cannot remove volume {}: {}", r.taskArn(), t.spec().name(), e.getMessage());
                }
            }
        }
        if (r.cgroupParent().isPresent()) {
            ctx.cgroups().remove(r.taskId());
        }
        ctx.efs().releaseAll(r.taskId());
        log.info("task {}: cleaned up", r.taskArn());
        return r.cleaned();
    }

    /**
     * Inspects every container that is created or running and folds in what changed; and the
     * pause container of an {@code awsvpc} task while the task has its namespace.
     */
    TaskRecord refresh(TaskRecord r, TaskPlan plan) {
        for (ContainerRecord c : r.containers()) {
            if (c.dockerId().isPresent() && (c.phase() == ContainerPhase.CREATED || c.phase() == ContainerPhase.RUNNING)) {
                ContainerDefinition def = planned(plan, c.name()).definition();
                ContainerRecord after = Observations.observe(c, runtime.findContainer(c.dockerId().get()), plan.networkMode(), def);
                r = r.withContainer(after.stopped() ? killedByTaskLimit(r, after) : after);
            }
        }
        if (r.network().isPresent() && r.known() != WireStatus.STOPPED) {
            r = r.withNetwork(TaskNetworks.observe(r.network().get(), runtime));
        }
        return r;
    }

    /**
     * A container the kernel killed because the task's memory limit was reached, which the engine
     * may not flag ({@code OOMKilled}): that limit is the container's cgroup parent's. On this
     * project's hosts (cgroup v1, Linux 6.x) it is flagged, because v1 tells a cgroup's descendants
     * of its OOM, and the kill is counted on the victim's own cgroup, which goes with the container;
     * where the kill is counted on the task cgroup instead, its {@code oom_kill} counter tells.
     */
    private ContainerRecord killedByTaskLimit(TaskRecord r, ContainerRecord c) {
        boolean sigkill = c.exitCode().isPresent() && c.exitCode().getAsInt() == SIGKILL_EXIT;
        if (c.reason().isEmpty() && sigkill && r.cgroupParent().isPresent() && ctx.cgroups().oomKills(r.taskId()) > 0) {
            return c.exited(true, c.exitCode(), Optional.of(Observations.OOM_REASON), c.health());
        }
        return c;
    }

    /**
     * Makes an {@code awsvpc} task's network namespace; a failure that is the task's (its subnet's
     * block overlaps another network on this host, say) fails every container still to start.
     *
     * <p>The pause container's start is the longest engine call of a task's start (the namespace,
     * its interface and address). The engine accepts creates of containers joining a pause
     * container that does not run yet, so the containers that can start first (those without
     * dependencies) are created while it starts, rather than after it.
     *
     * @param attaching  saves the record with the pause container's name before it is created
     * @param checkpoint saves the record with a container's name before it is created
     */
    TaskRecord setUpNetwork(TaskRecord r, TaskPlan plan, ResolvedSecrets secrets, Consumer<TaskRecord> attaching,
                            Consumer<TaskRecord> checkpoint) {
        TaskRecord created;
        try {
            created = TaskNetworks.create(r, plan, ctx, attaching);
        } catch (ContainerRuntimeException e) {
            rethrowIfNotTheTasks(e);
            return networkFailed(r, plan, e.getMessage());
        } catch (IllegalStateException e) {
            return networkFailed(r, plan, e.getMessage());
        }
        CompletableFuture<TaskRecord> started = new CompletableFuture<>();
        Thread.ofVirtual().name("pause-start-" + r.taskId()).start(() -> {
            try {
                started.complete(TaskNetworks.start(created, plan, runtime));
            } catch (Throwable t) {
                started.completeExceptionally(t);
            }
        });
        TaskRecord ahead = created;
        RuntimeException aheadFailure = null;
        try {
            ahead = createAhead(created, plan, secrets, checkpoint);
        } catch (RuntimeException e) {
            aheadFailure = e;
        }
        TaskRecord attached;
        try {
            attached = awaitPauseStart(started);
        } catch (ContainerRuntimeException e) {
            if (aheadFailure != null) {
                throw aheadFailure;
            }
            rethrowIfNotTheTasks(e);
            return networkFailed(ahead, plan, e.getMessage());
        }
        if (aheadFailure != null) {
            throw aheadFailure;
        }
        return ahead.withNetwork(attached.network().orElseThrow());
    }

    /** Creates the containers that can start first (those that depend on none), in start order. */
    private TaskRecord createAhead(TaskRecord r, TaskPlan plan, ResolvedSecrets secrets, Consumer<TaskRecord> checkpoint) {
        for (String name : plan.startOrder()) {
            ContainerRecord c = r.container(name).orElseThrow();
            if (c.phase() == ContainerPhase.NONE && c.dockerId().isEmpty() && plan.container(name).orElseThrow().dependsOn().isEmpty()) {
                r = createContainer(r, plan, name, secrets, checkpoint);
            }
        }
        return r;
    }

    /** Waits for the pause container's start, even when interrupted: a start is not left to finish unseen. */
    private static TaskRecord awaitPauseStart(CompletableFuture<TaskRecord> started) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return started.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException("the pause container's start failed", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private TaskRecord networkFailed(TaskRecord r, TaskPlan plan, String why) {
        String subnet = plan.networkInterface().map(NetworkInterfaceAssignment::subnetId).orElse("?");
        String reason = TaskNetworks.SETUP_ERROR + "cannot set up the task's network on subnet " + subnet + ": " + why;
        log.warn("task {}: {}", r.taskArn(), reason);
        return r.withContainers(c -> c.phase().startable() ? c.failed(reason) : c);
    }

    /** Removes the pause container (it ignores SIGTERM, so it is killed): the attachment is DETACHED. */
    TaskRecord tearDownNetwork(TaskRecord r) {
        TaskNetworkRecord n = r.network().orElseThrow();
        n.pauseId().ifPresent(runtime::removeContainer);
        log.info("task {}: network namespace removed", r.taskArn());
        return r.withNetwork(n.nowDetached());
    }

    private PlannedContainer planned(TaskPlan plan, String name) {
        return plan.container(name).orElseGet(() -> new PlannedContainer(name, ContainerDefinition.builder().name(name).build(),
                false, List.of(), ctx.settings().defaultStopTimeout(), Optional.empty()));
    }

    /**
     * Engine outages and interruptions (the engine is being closed) are not the task's fault:
     * they are thrown on, and the step is retried later.
     */
    private static void rethrowIfNotTheTasks(ContainerRuntimeException e) {
        if (e.kind() == Kind.ENGINE_UNAVAILABLE || Thread.currentThread().isInterrupted()) {
            throw e;
        }
    }
}
