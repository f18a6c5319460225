package dev.stevedore.server;

import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.api.EcsApiException;
import dev.stevedore.agent.api.InstanceCredentials;
import dev.stevedore.agent.credentials.RefreshSettings;
import dev.stevedore.agent.credentials.RefreshingCredentials;
import dev.stevedore.agent.host.AgentConfig;
import dev.stevedore.agent.host.AgentHost;
import dev.stevedore.agent.runtime.DockerContainerRuntime;

import dev.stevedore.control.ecs.fargate.PlatformPool;
import dev.stevedore.control.sts.AgentSession;
import dev.stevedore.control.sts.JoinRefusedException;
import dev.stevedore.control.sts.TemporaryCredentials;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agents {@code stevedore up} runs inside its own process, so that the machine is a container
 * instance of the {@code default} cluster from the first minute, and (unless turned off) Fargate
 * capacity too: a second agent gives the machine to the platform pool, where FARGATE tasks of every
 * cluster run. Their state lives in {@value #DIRECTORY}/ and {@value #PLATFORM_DIRECTORY}/ under the
 * server's data directory.
 *
 * <p>Both agents register the whole machine: on one machine the {@code default} cluster and the
 * Fargate pool share it, each able to fill it (the kernel, not the scheduler, then arbitrates).
 *
 * <p>They do not sign with the root's keys: each holds credentials of the instance role
 * ({@code ecsInstanceRole}, session {@code local-<cluster>}, allowed to register into its own cluster
 * only), issued by the control plane in this process and issued again, in memory, when half their
 * lifetime has passed; nothing of them is written to disk. They are allowed what the role's policy
 * allows, as any joined agent.
 *
 * <p>A Docker engine that does not answer yet (not installed, not started) does not stop
 * {@code up}: the agents start as soon as it answers, tried again in the background with a
 * back-off of at most {@link #LONGEST_RETRY}, and a line says when they have. Before they start,
 * the demo image ({@link DemoImage}) is made present in the engine and pushed to {@code up}'s own
 * registry ({@link DemoRepository}).
 */
final class LocalAgent implements AutoCloseable {
    static final String DIRECTORY = "agent";
    static final String PLATFORM_DIRECTORY = "agent-fargate";
    static final String CLUSTER = "default";
    static final Duration FIRST_RETRY = Duration.ofMillis(500);
    static final Duration LONGEST_RETRY = Duration.ofSeconds(5);

    private final ControlPlane plane;
    private final boolean fargate;
    private final URI dockerHost;
    private final Path busybox;
    private final Optional<DemoRepository> demoRepository;
    private final Object lock = new Object();
    // Guarded by lock.
    private final List<Member> members = new ArrayList<>();
    private State state;
    private boolean closed;
    private Optional<Thread> waiter = Optional.empty();

    /** Where the local agents are: waiting for Docker, running, or given up on. */
    private sealed interface State {
        /** The Docker engine has not answered yet; {@code reason} is what the last attempt got. */
        record Waiting(String reason) implements State {
        }

        /** The agent of the {@code default} cluster runs; the platform host too, or not, with why. */
        record Joined(String containerInstanceArn, Optional<String> platformInstanceArn, Optional<String> platformProblem,
                      DemoImage.Outcome demoImage) implements State {
        }

        /** Docker answers but the agent cannot start (the control plane refused it): not tried again. */
        record Failed(String reason) implements State {
        }
    }

    /** One in-process agent, the engine connection and the credentials it owns. */
    private record Member(AgentHost host, DockerContainerRuntime runtime, RefreshingCredentials credentials)
            implements AutoCloseable {
        @Override
        public void close() {
            host.close();
            runtime.close();
            credentials.close();
        }
    }

    private LocalAgent(ControlPlane plane, boolean fargate, URI dockerHost, Path busybox,
                       Optional<DemoRepository> demoRepository) {
        this.demoRepository = demoRepository;
        this.plane = plane;
        this.fargate = fargate;
        this.dockerHost = dockerHost;
        this.busybox = busybox;
    }

    /**
     * Starts the agent (and the platform host, with {@code fargate}) against {@code plane} if the
     * Docker engine named by {@code DOCKER_HOST} (else the default socket) answers now; otherwise
     * the result is waiting, and {@link #keepTrying} makes it start later.
     */
    static LocalAgent start(ControlPlane plane, boolean fargate, Optional<DemoRepository> demoRepository)
            throws InterruptedException {
        URI dockerHost;
        try (DockerContainerRuntime named = DockerContainerRuntime.connectDefault()) {
            dockerHost = named.dockerHost();
        }
        return start(plane, fargate, dockerHost, DemoImage.BUSYBOX, demoRepository);
    }

    static LocalAgent start(ControlPlane plane, boolean fargate, URI dockerHost, Path busybox)
            throws InterruptedException {
        return start(plane, fargate, dockerHost, busybox, Optional.empty());
    }

    /** @param demoRepository where the demo image is pushed once it is present (up's own registry), if anywhere */
    static LocalAgent start(ControlPlane plane, boolean fargate, URI dockerHost, Path busybox,
                            Optional<DemoRepository> demoRepository) throws InterruptedException {
        LocalAgent agent = new LocalAgent(plane, fargate, dockerHost, busybox, demoRepository);
        State first = agent.attempt();
        synchronized (agent.lock) {
            agent.state = first;
        }
        return agent;
    }

    /**
     * While waiting for Docker, tries again in the background until the engine answers, then
     * starts the agents and prints to {@code out} that they did (or why they could not).
     */
    void keepTrying(PrintStream out) {
        synchronized (lock) {
            if (!(state instanceof State.Waiting) || closed || waiter.isPresent()) {
                return;
            }
            waiter = Optional.of(Thread.ofVirtual().name("stevedore-local-agent-wait").start(() -> retry(out)));
        }
    }

    private void retry(PrintStream out) {
        Duration wait = FIRST_RETRY;
        try {
            while (true) {
                Thread.sleep(wait);
                State now = attempt();
                synchronized (lock) {
                    if (closed) {
                        return;
                    }
                    state = now;
                }
                if (!(now instanceof State.Waiting)) {
                    out.println(System.lineSeparator() + describe(now, "the Docker engine at " + dockerHost + " answers now."));
                    out.flush();
                    return;
                }
                wait = wait.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait.multipliedBy(2);
            }
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
        }
    }

    /** One try: is the engine there, and if so, the demo image and the agents. */
    private State attempt() throws InterruptedException {
        DockerContainerRuntime runtime = DockerContainerRuntime.connect(dockerHost);
        try {
            runtime.hostInfo();
        } catch (RuntimeException e) {
            runtime.close();
            return new State.Waiting(e.getMessage());
        }
        DemoImage.Outcome made = DemoImage.ensure(runtime, busybox);
        DemoImage.Outcome demo = made.present() && demoRepository.isPresent()
                ? new DemoImage.Outcome(true, made.description() + "; " + demoRepository.get().publish(runtime)) : made;
        String arn;
        try {
            arn = startMember(CLUSTER, DIRECTORY, runtime);
        } catch (RuntimeException e) { // AgentStartException, mostly
            return stillAnswers() ? new State.Failed(e.getMessage() + " at " + dockerHost)
                    : new State.Waiting(e.getMessage());
        }
        if (!fargate) {
            return new State.Joined(arn, Optional.empty(), Optional.empty(), demo);
        }
        try {
            String platform = startMember(PlatformPool.CLUSTER, PLATFORM_DIRECTORY, DockerContainerRuntime.connect(dockerHost));
            return new State.Joined(arn, Optional.of(platform), Optional.empty(), demo);
        } catch (RuntimeException e) {
            return new State.Joined(arn, Optional.empty(), Optional.of(e.getMessage()), demo);
        }
    }

    /** Starts one agent on {@code runtime}, which it then owns; closes the runtime if it cannot start. */
    private String startMember(String cluster, String directory, DockerContainerRuntime runtime)
            throws InterruptedException {
        ControlPlaneConfig config = plane.config();
        Clock clock = Clock.systemUTC();
        RefreshingCredentials credentials;
        try {
            credentials = RefreshingCredentials.start(instanceCredentials(cluster, clock),
                    current -> instanceCredentials(cluster, clock), fresh -> { }, RefreshSettings.defaults(), clock);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        AgentConfig agentConfig = AgentConfig.of(URI.create(plane.endpoint()), config.region(), credentials, cluster,
                config.dataDir().resolve(directory)).withImageRegistry(plane.registryAddress());
        Member member;
        try {
            member = new Member(AgentHost.start(agentConfig, runtime, clock), runtime, credentials);
        } catch (InterruptedException | RuntimeException e) {
            runtime.close();
            credentials.close();
            throw e;
        }
        synchronized (lock) {
            if (closed) {
                member.close();
                throw new InterruptedException("stopping");
            }
            members.add(member);
        }
        return member.host().containerInstanceArn();
    }

    /** New instance-role credentials for the agent of {@code cluster}, as a joined agent would be given them. */
    private InstanceCredentials instanceCredentials(String cluster, Clock clock) {
        AgentSession session;
        try {
            session = plane.localAgentSession(cluster);
        } catch (JoinRefusedException e) { // the instance role was deleted
            throw new EcsApiException("AccessDeniedException", true, e.getMessage(), e);
        }
        TemporaryCredentials keys = session.credentials();
        return new InstanceCredentials(new AgentCredentials(keys.accessKeyId(), keys.secretAccessKey(),
                Optional.of(keys.sessionToken())), keys.expiration(), session.roleArn(), session.cluster(), clock.instant());
    }

    private boolean stillAnswers() {
        try (DockerContainerRuntime runtime = DockerContainerRuntime.connect(dockerHost)) {
            runtime.hostInfo();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** What {@code up} prints about its agents now. */
    String status() {
        State now;
        synchronized (lock) {
            now = state;
        }
        return describe(now, "");
    }

    private String describe(State state, String lead) {
        String nl = System.lineSeparator();
        String prefix = lead.isEmpty() ? "Local agent: " : "Local agent: " + lead + nl + "  ";
        return switch (state) {
            case State.Waiting w -> prefix + "waiting for the Docker engine at " + dockerHost + " (" + w.reason() + ")."
                    + nl + "  Stevedore keeps trying in the background; the agents join by themselves as soon as it "
                    + "answers," + nl + "  no restart needed. The ECS API works meanwhile." + nl
                    + "  No engine on this machine yet? `bin/stevedore up` run as root on Debian installs and "
                    + "starts it;" + nl + "  `bin/lib/docker-engine.sh check` prints what to run otherwise.";
            case State.Failed f -> "WARNING: " + prefix + "not running: " + f.reason() + nl
                    + "  Tasks cannot run on this machine until Stevedore is restarted (or `stevedore agent` is "
                    + "started). The ECS API works without it.";
            case State.Joined j -> prefix + "this machine is container instance " + j.containerInstanceArn() + nl
                    + "  of the `default` cluster; run-task places tasks on it."
                    + j.platformInstanceArn().map(arn -> nl + "  It is Fargate capacity too (platform host "
                            + arn.substring(arn.lastIndexOf('/') + 1) + ").").orElse("")
                    + j.platformProblem().map(p -> nl + "  WARNING: it is not Fargate capacity: " + p).orElse("")
                    + nl + "  Demo image: " + j.demoImage().description() + ".";
        };
    }

    @Override
    public void close() {
        List<Member> started;
        Optional<Thread> waiting;
        synchronized (lock) {
            closed = true;
            waiting = waiter;
            started = List.copyOf(members);
            members.clear();
        }
        waiting.ifPresent(Thread::interrupt);
        waiting.ifPresent(thread -> {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // The platform host first, as before: the reverse of the order they started in.
        for (Member member : started.reversed()) {
            member.close();
        }
    }
}
