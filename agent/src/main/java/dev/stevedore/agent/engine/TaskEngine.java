package dev.stevedore.agent.engine;

import java.nio.file.Path;

import dev.stevedore.agent.efs.EfsMounts;
import dev.stevedore.agent.efs.FuseMounts;
import dev.stevedore.agent.efs.HostMounts;
import dev.stevedore.agent.runtime.ContainerEvent;
import dev.stevedore.agent.runtime.ContainerRuntime;
import dev.stevedore.agent.runtime.EventSubscription;
import dev.stevedore.agent.runtime.HostInfo;
import dev.stevedore.model.agent.AgentChannel;
import dev.stevedore.model.agent.DesiredTasks;
import dev.stevedore.model.agent.TaskAssignment;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's task engine: converges the containers on this host to the desired state the control
 * plane pushes, and reports the known state of every task through a {@link StateReporter}.
 *
 * <p>Each task has its own supervising loop on a virtual thread; {@link #apply} only hands the
 * new desired state to them and never waits for Docker. {@link #start()} adopts what an earlier
 * run of the agent left on the host; {@link #close()} ends supervision but leaves every container
 * running, so that an agent restart does not disturb the tasks.
 */
public final class TaskEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskEngine.class);

    private final ContainerRuntime runtime;
    private final AgentIdentity identity;
    private final StateReporter reporter;
    private final Clock clock;
    private final EngineSettings settings;
    private final TaskStateStore store;
    private final TaskRoutes routes;
    private final SecretStores secrets;
    private final RegistryLogins logins;
    private final Optional<AwsLogs.Target> awslogs;
    private final TaskCredentialsBook credentials = new TaskCredentialsBook();
    private final HostMounts efsHost = new FuseMounts();
    private final Map<String, TaskSupervisor> supervisors = new ConcurrentHashMap<>();
    /** Serialises start, apply and close; supervisors never take it. */
    private final ReentrantLock lock = new ReentrantLock();
    private EngineContext ctx;
    private EventSubscription events;
    private OptionalLong lastRevision = OptionalLong.empty();
    private boolean started;
    private boolean closed;

    public TaskEngine(ContainerRuntime runtime, AgentIdentity identity, StateReporter reporter, Clock clock) {
        this(runtime, identity, reporter, clock, EngineSettings.defaults());
    }

    public TaskEngine(ContainerRuntime runtime, AgentIdentity identity, StateReporter reporter, Clock clock, EngineSettings settings) {
        this(runtime, identity, reporter, clock, settings, TaskRoutes.NONE);
    }

    /**
     * @param routes how tasks reach the task endpoints; with {@link TaskRoutes#NONE} containers
     *               are not told of them
     */
    public TaskEngine(ContainerRuntime runtime, AgentIdentity identity, StateReporter reporter, Clock clock, EngineSettings settings,
                      TaskRoutes routes) {
        this(runtime, identity, reporter, clock, settings, routes, SecretStores.NONE, Optional.empty());
    }

    /** An engine that knows of no registry of its control plane's (pulls use no ECR token). */
    public TaskEngine(ContainerRuntime runtime, AgentIdentity identity, StateReporter reporter, Clock clock, EngineSettings settings,
                      TaskRoutes routes, SecretStores secrets, Optional<AwsLogs.Target> awslogs) {
        this(runtime, identity, reporter, clock, settings, routes, secrets, RegistryTokens.NONE, awslogs);
    }

    /**
     * @param routes  how tasks reach the task endpoints; with {@link TaskRoutes#NONE} containers
     *                are not told of them
     * @param secrets where tasks' secrets and registry credentials are read, with their execution role
     * @param registry this Stevedore's image registry and its tokens, for images pulled from it
     * @param awslogs where the Docker daemon ships containers with the awslogs log driver; without
     *                it such containers fail to be created
     */
    public TaskEngine(ContainerRuntime runtime, AgentIdentity identity, StateReporter reporter, Clock clock, EngineSettings settings,
                      TaskRoutes routes, SecretStores secrets, RegistryTokens registry, Optional<AwsLogs.Target> awslogs) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.logins = new RegistryLogins(Objects.requireNonNull(registry, "registry"), clock);
        this.awslogs = Objects.requireNonNull(awslogs, "awslogs");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = new TaskStateStore(identity.dataDir());
    }

    /**
     * Whether the engine can enforce task-level CPU and memory on this host (it makes a cgroup per
     * task); the agent advertises the matching capability only then.
     */
    public static boolean enforcesTaskLimits(HostInfo host, Path cgroupRoot) {
        return TaskCgroups.supported(host, cgroupRoot);
    }

    /** Where this agent mounts file systems for its tasks: under its data directory, so agents sharing a host do not meet. */
    static Path efsRoot(AgentIdentity identity) {
        return identity.dataDir().resolve("efs");
    }

    /** Whether the engine can run {@code awsvpc} tasks on this host: its pause program is x86-64 code. */
    public static boolean runsAwsvpc(HostInfo host) {
        return PauseImage.runsOn(host.architecture());
    }

    /**
     * Subscribes to the engine's events and adopts the tasks an earlier run left behind: their
     * containers are supervised again (never created twice), and what happened to them while the
     * agent was away is reported. Adopted tasks the first desired state does not list are stopped.
     *
     * @throws IllegalStateException when already started or closed
     * @throws dev.stevedore.agent.runtime.ContainerRuntimeException when the engine is unreachable
     */
    public void start() {
        lock.lock();
        try {
            if (started || closed) {
                throw new IllegalStateException(closed ? "the task engine is closed" : "the task engine is already started");
            }
            store.init();
            HostInfo host = runtime.hostInfo();
            TaskCgroups cgroups = TaskCgroups.detect(host, settings.cgroupRoot(), settings.cgroupParentName());
            ctx = new EngineContext(runtime, identity, reporter, clock, settings, store, cgroups, routes, credentials, secrets, logins,
                    awslogs, new PauseImagePresence(), new EfsMounts(efsRoot(identity), efsHost));
            Map<String, String> mine = Map.of(Labels.CONTAINER_INSTANCE, identity.containerInstanceArn());
            // Subscribed before listing, so that nothing can happen unseen in between.
            events = runtime.subscribe(mine, this::onEvent, this::onEngineBack);
            List<TaskRecord> adopted = Adoption.merge(store.loadAll(), runtime.listContainers(mine));
            // Routes of tasks that stopped or vanished while the agent was away are stale.
            routes.keepOnly(adopted.stream().filter(r -> r.known() != WireStatus.STOPPED).map(TaskRecord::taskArn)
                    .collect(Collectors.toSet()));
            adopted.forEach(r -> launch(r, false));
            // A crash between a task's release and its unmount left a mount no task uses.
            try {
                ctx.efs().sweep();
            } catch (RuntimeException e) {
                log.warn("cannot look for file system mounts no task uses: {}", e.getMessage());
            }
            if (FuseMounts.available() && !efsHost.forcesOwners()) {
                log.warn("bindfs is not installed: this host mounts EFS volumes but does not advertise efsAuth, so it "
                        + "takes no task that mounts one (ECS asks efsAuth of every EFS volume); install Debian's bindfs");
            }
            started = true;
            log.info("task engine started for {}; adopted {} task(s)", identity.containerInstanceArn(), adopted.size());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a complete desired state. Tasks it wants RUNNING are started (or keep running), tasks
     * it wants STOPPED are stopped, tasks it does not list are stopped and cleaned up. Only the
     * supervisors of tasks whose assignment differs from the one they last had are woken. A state
     * whose revision is not newer than the last one applied is ignored, as is one for another
     * container instance.
     *
     * @throws IllegalStateException when not started, or closed
     */
    public void apply(DesiredTasks desired) {
        Objects.requireNonNull(desired, "desired");
        lock.lock();
        try {
            if (!started || closed) {
                throw new IllegalStateException("the task engine is " + (closed ? "closed" : "not started"));
            }
            if (!identity.containerInstanceArn().equals(desired.containerInstanceArn())) {
                log.warn("ignoring desired state for {}: this is {}", desired.containerInstanceArn(), identity.containerInstanceArn());
                return;
            }
            if (desired.protocolVersion() > AgentChannel.PROTOCOL_VERSION) {
                log.warn("ignoring desired state of protocol version {}: this agent speaks {}",
                        desired.protocolVersion(), AgentChannel.PROTOCOL_VERSION);
                return;
            }
            if (lastRevision.isPresent() && desired.revision() <= lastRevision.getAsLong()) {
                log.debug("ignoring desired state revision {}: revision {} is applied", desired.revision(), lastRevision.getAsLong());
                return;
            }
            lastRevision = OptionalLong.of(desired.revision());
            Set<String> listed = new HashSet<>();
            for (TaskAssignment a : desired.tasks()) {
                String arn = a.task() == null ? null : a.task().taskArn();
                if (arn == null || a.taskDefinition() == null || !listed.add(arn)) {
                    continue;
                }
                // Offered before a supervisor can start a container that asks for them.
                credentials.offer(a);
                TaskSupervisor existing = supervisors.get(arn);
                if (existing == null || !existing.desire(a)) {
                    admit(a);
                }
                if (!supervisors.containsKey(arn)) {
                    credentials.forget(arn);
                }
            }
            for (TaskSupervisor s : supervisors.values()) {
                if (!listed.contains(s.taskArn())) {
                    s.unwanted();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The tasks the engine supervises, as it knows them now. */
    public List<TaskSnapshot> tasks() {
        return supervisors.values().stream()
                .map(TaskSupervisor::snapshot)
                .sorted(Comparator.comparing(TaskSnapshot::taskArn))
                .toList();
    }

    /** Reports of every task made and not yet sent to the control plane (metrics). */
    public int pendingReports() {
        return supervisors.values().stream().mapToInt(TaskSupervisor::pendingReports).sum();
    }

    /** The task-role credentials of the tasks this engine runs, by the ids their containers ask with. */
    public TaskCredentialsBook credentials() {
        return credentials;
    }

    public Optional<TaskSnapshot> task(String taskArn) {
        return Optional.ofNullable(supervisors.get(taskArn)).map(TaskSupervisor::snapshot);
    }

    /**
     * Ends supervision and reporting. Containers keep running and the task state stays on disk
     * for the next {@link #start()}. The runtime is not closed: it belongs to the caller.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        if (events != null) {
            events.close();
        }
        List<TaskSupervisor> all = List.copyOf(supervisors.values());
        all.forEach(TaskSupervisor::interrupt);
        all.forEach(TaskSupervisor::awaitTermination);
        supervisors.clear();
        log.info("task engine closed; containers left running");
    }

    private void admit(TaskAssignment a) {
        switch (Transitions.admit(a.task())) {
            case Transitions.Admission.Start s -> launch(TaskRecord.fresh(a), true);
            case Transitions.Admission.ReportStopped r -> {
                log.info("task {}: will not run here ({}); reporting it stopped", a.task().taskArn(), r.cause().reason());
                launch(TaskRecord.stoppedUnstarted(a, r.cause(), clock.instant()), true);
            }
            case Transitions.Admission.Ignore i -> log.debug("task {}: already stopped, nothing to do", a.task().taskArn());
        }
    }

    /** @param assigned whether the record comes from the control plane's word in this run (not from the state file) */
    private void launch(TaskRecord record, boolean assigned) {
        TaskSupervisor supervisor = new TaskSupervisor(ctx, record, assigned, done -> {
            if (supervisors.remove(done.taskArn(), done)) {
                credentials.forget(done.taskArn());
            }
        });
        supervisors.put(record.taskArn(), supervisor);
        supervisor.start();
    }

    /**
     * The engine's event stream is back after a break (the engine restarted, or refused for a
     * while): what happened meanwhile may have sent no event at all (a restarted engine sends none
     * for a container it finds dead), so every task inspects its containers now rather than at its
     * next poll, and reports what changed: a container that died while the engine was away is
     * reported STOPPED with its exit code.
     */
    private void onEngineBack() {
        log.info("container engine events resumed; every task ({}) looks at its containers again", supervisors.size());
        supervisors.values().forEach(s -> s.offer(new TaskSupervisor.Signal.Recheck()));
    }

    /** Events are only hints to look: the supervisor inspects the containers itself when they may tell it something. */
    private void onEvent(ContainerEvent event) {
        String task = event.attributes().get(Labels.TASK_ARN);
        if (task != null) {
            TaskSupervisor s = supervisors.get(task);
            if (s != null) {
                s.offer(new TaskSupervisor.Signal.Observe(event.type(), event.containerId()));
            }
        }
    }
}
