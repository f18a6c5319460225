package dev.stevedore.agent.host;

import dev.stevedore.agent.api.ControlPlaneEndpoints;
import dev.stevedore.agent.api.EcsApiClient;
import dev.stevedore.agent.api.EcsApiException;
import dev.stevedore.agent.api.EcsStateReporter;
import dev.stevedore.agent.api.EcrTokenClient;
import dev.stevedore.agent.api.SecretStoreClient;
import dev.stevedore.agent.channel.AgentChannelClient;
import dev.stevedore.agent.channel.Backoff;
import dev.stevedore.agent.channel.ChannelUrlSigner;
import dev.stevedore.agent.engine.AgentIdentity;
import dev.stevedore.agent.engine.AwsLogs;
import dev.stevedore.agent.engine.EngineSettings;
import dev.stevedore.agent.engine.TaskEngine;
import dev.stevedore.agent.engine.TaskHealthChange;
import dev.stevedore.agent.engine.TaskRoutes;
import dev.stevedore.model.agent.TaskCredentialsRefresh;
import dev.stevedore.agent.endpoint.IptablesRoutes;
import dev.stevedore.agent.endpoint.TaskEndpointServer;
import dev.stevedore.agent.runtime.ContainerRuntime;
import dev.stevedore.agent.runtime.HostInfo;
import dev.stevedore.agent.logs.ContainerLogReader;
import dev.stevedore.agent.stats.TaskStatsSampler;
import dev.stevedore.model.agent.DesiredTasks;
import dev.stevedore.model.agent.TaskHealthReport;
import dev.stevedore.model.ecs.RegisterContainerInstanceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;

/**
 * A running agent: this host registered as a container instance, the task engine running its
 * containers, and the agent channel feeding the engine the instance's desired tasks. The channel is
 * the heartbeat: the control plane counts the instance connected while it is open.
 *
 * <p>Closing stops supervising and disconnects but leaves every container running; the next start
 * (same data directory) re-registers the same instance and adopts them.
 */
public final class AgentHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentHost.class);
    private static final Duration PRESIGN_VALIDITY = Duration.ofMinutes(1);
    private static final String DEFAULT_CLUSTER = "default";
    /** The Fargate platform pool's cluster name ({@code control}'s {@code PlatformPool.CLUSTER}). */
    static final String FARGATE_PLATFORM_CLUSTER = "fargate.platform";

    private final EcsApiClient api;
    private final String containerInstanceArn;
    private final TaskEngine engine;
    private final AgentChannelClient channel;
    private final TaskStatsSampler stats;
    private final Optional<TaskEndpointServer> endpoints;
    private final SecretStoreClient secretStores;
    private final EcrTokenClient registryTokens;
    /** The host's own route to the task endpoints, for the Docker daemon's awslogs driver. */
    private final Optional<IptablesRoutes> hostRoute;

    private AgentHost(AgentConfig config, EcsApiClient api, ContainerRuntime runtime, String containerInstanceArn,
                      Clock clock, Optional<TaskEndpointServer> endpoints, TaskRoutes routes) {
        this.api = api;
        this.containerInstanceArn = containerInstanceArn;
        this.endpoints = endpoints;
        // Tasks' secrets are read from the control plane the agent reports to, which serves SSM and Secrets Manager.
        this.secretStores = SecretStoreClient.create(config.endpoint(), clock);
        // So is ECR, whose tokens pull the images of the control plane's registry.
        this.registryTokens = EcrTokenClient.create(config.endpoint(), config.imageRegistry(), config.credentials(), clock);
        this.hostRoute = routes instanceof IptablesRoutes iptables ? routeHost(iptables) : Optional.empty();
        Optional<AwsLogs.Target> awslogs = hostRoute.map(r -> new AwsLogs.Target(config.endpoint(), r.hostPort()));
        AgentIdentity identity = new AgentIdentity(clusterArnOf(containerInstanceArn), containerInstanceArn,
                config.dataDir());
        // The engine reports health through the channel and the channel feeds the engine: each
        // reaches the other through this object, and neither is called before start().
        this.engine = new TaskEngine(runtime, identity, new EcsStateReporter(api, this::relayHealth), clock,
                EngineSettings.defaults(), routes, secretStores, registryTokens, awslogs);
        this.channel = new AgentChannelClient(containerInstanceArn,
                () -> api.discoverPollEndpoint(config.cluster(), containerInstanceArn),
                new ChannelUrlSigner(config.credentials(), config.region(), PRESIGN_VALIDITY, clock),
                this::applyDesired, this::refreshCredentials,
                new ContainerLogReader(engine::tasks, runtime)::read, config.channel());
        this.stats = new TaskStatsSampler(engine::tasks, runtime, channel::report, config.channel().statsInterval());
    }

    /**
     * Registers this host (again, if it was before), adopts the containers an earlier run left,
     * and connects the channel. Blocks until registered: while the control plane is unreachable it
     * keeps trying.
     *
     * @throws AgentStartException when the control plane refuses the registration or Docker is unusable
     */
    public static AgentHost start(AgentConfig config, ContainerRuntime runtime, Clock clock) throws InterruptedException {
        HostInfo host;
        try {
            host = runtime.hostInfo();
        } catch (RuntimeException e) {
            throw new AgentStartException("the Docker engine cannot be used (" + e.getMessage() + ")", e);
        }
        AgentDataDir dir = AgentDataDir.open(config.dataDir());
        String instanceId = dir.instanceId(config.instanceId());
        EcsApiClient api = EcsApiClient.create(ControlPlaneEndpoints.of(config.endpoints()), config.region(),
                config.credentials(), java.time.Clock.systemUTC());
        AgentHost agent = null;
        try {
            boolean taskRoles = routesUsable();
            HostRegistration.Input input = new HostRegistration.Input(config.cluster(),
                    dir.registeredInstance(config.cluster(), instanceId), instanceId, config.region(), host,
                    config.cpu(), config.memoryMiB(), config.attributes(),
                    Capabilities.taskLimitsEnforced(host, EngineSettings.defaults().cgroupRoot()), taskRoles, version());
            String arn = register(api, input);
            dir.saveRegistration(config.cluster(), instanceId, arn);
            LOG.info("registered as container instance {} ({}) in cluster {}", arn, instanceId, config.cluster());
            Optional<TaskEndpointServer> endpoints = bindEndpoints(config, dir);
            TaskRoutes routes = endpoints.isEmpty() || !taskRoles ? TaskRoutes.NONE : routes(arn, endpoints.get());
            if (routes == TaskRoutes.NONE) {
                endpoints.ifPresent(TaskEndpointServer::close);
                endpoints = Optional.empty();
            }
            agent = new AgentHost(config, api, runtime, arn, clock, endpoints, routes);
            agent.engine.start();
            String launchType = FARGATE_PLATFORM_CLUSTER.equals(config.cluster()) ? "FARGATE" : "EC2";
            AgentHost started = agent;
            String zone = HostRegistration.zoneOf(config.attributes(), config.region());
            endpoints.ifPresent(e -> e.start(started.engine, runtime, arn, launchType, zone));
            agent.channel.start();
            agent.stats.start();
            return agent;
        } catch (RuntimeException | InterruptedException e) {
            if (agent != null) {
                agent.close();
            } else {
                api.close();
            }
            throw e;
        }
    }

    /** The port is the operator's choice: another agent holding it is a start failure, not a degraded agent. */
    private static Optional<TaskEndpointServer> bindEndpoints(AgentConfig config, AgentDataDir dir) {
        if (config.taskEndpointPort() == 0) {
            return Optional.of(bindFreePort(dir));
        }
        try {
            return Optional.of(TaskEndpointServer.bind(config.taskEndpointPort()));
        } catch (IOException e) {
            throw new AgentStartException("the task endpoints cannot listen on 127.0.0.1:" + config.taskEndpointPort()
                    + " (" + e.getMessage() + "); give each agent on a host its own --task-endpoint-port", e);
        }
    }

    /**
     * A free port, the one of the last start when it still is: awslogs containers the agent adopts
     * reach it at the address they were created with.
     */
    private static TaskEndpointServer bindFreePort(AgentDataDir dir) {
        try {
            TaskEndpointServer server = null;
            if (dir.keptEndpointPort().isPresent()) {
                try {
                    server = TaskEndpointServer.bind(dir.keptEndpointPort().getAsInt());
                } catch (IOException taken) {
                    LOG.warn("the task endpoint port of the last start, {}, is taken; containers made then with the"
                            + " awslogs log driver cannot renew their credentials", dir.keptEndpointPort().getAsInt());
                }
            }
            if (server == null) {
                server = TaskEndpointServer.bind(0);
            }
            dir.keepEndpointPort(server.port());
            return server;
        } catch (IOException e) {
            throw new AgentStartException("the task endpoints cannot listen on 127.0.0.1 (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Whether the agent may make the routes to the task endpoints here (Linux, root, iptables).
     * Where it may not, it still runs tasks, but does not register the task-iam-role capability, so
     * tasks with a task role are placed elsewhere (and refused here should one come), since their
     * containers could not get their credentials.
     */
    private static boolean routesUsable() {
        try {
            IptablesRoutes.requireUsable();
            return true;
        } catch (IllegalStateException e) {
            LOG.warn("task endpoints (169.254.170.2) are off: {}; tasks with a task role will not start here", e.getMessage());
            return false;
        }
    }

    /** The routes to the task endpoints, or none when iptables stopped working since {@link #routesUsable}. */
    private static TaskRoutes routes(String containerInstanceArn, TaskEndpointServer endpoints) {
        try {
            return IptablesRoutes.create(containerInstanceArn, endpoints.port());
        } catch (IllegalStateException e) {
            LOG.warn("task endpoints (169.254.170.2) are off: {}; tasks with a task role will not start here", e.getMessage());
            return TaskRoutes.NONE;
        }
    }

    /**
     * Routes the Docker daemon to this agent's endpoints; without the route the agent still runs
     * tasks, and awslogs containers fail to be created here.
     */
    private static Optional<IptablesRoutes> routeHost(IptablesRoutes routes) {
        try {
            routes.routeHost();
            return Optional.of(routes);
        } catch (IllegalStateException e) {
            LOG.warn("the Docker daemon cannot reach the task endpoints: {}; awslogs containers will not start here", e.getMessage());
            return Optional.empty();
        }
    }

    public String containerInstanceArn() {
        return containerInstanceArn;
    }

    /** Whether the agent channel is open now. */
    public boolean isConnected() {
        return channel.isConnected();
    }

    /** The task engine, for inspection. */
    public TaskEngine engine() {
        return engine;
    }

    private static String register(EcsApiClient api, HostRegistration.Input input) throws InterruptedException {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10), new Random());
        HostRegistration.Input attempt = input;
        boolean createdCluster = false;
        while (true) {
            RegisterContainerInstanceRequest request = HostRegistration.request(attempt);
            try {
                return api.registerContainerInstance(request);
            } catch (EcsApiException e) {
                if (e.isClientError() && attempt.existingArn().isPresent()) {
                    // The kept instance is gone or deregistered: join as a new one.
                    LOG.warn("could not re-register {} ({}); registering anew", attempt.existingArn().get(),
                            e.getMessage());
                    attempt = withoutArn(attempt);
                    continue;
                }
                if (e.isClientError() && !createdCluster && createsDefaultCluster(api, attempt.cluster(), e)) {
                    createdCluster = true;
                    continue;
                }
                if (e.isClientError()) {
                    throw new AgentStartException("the control plane refused to register this host: " + e.getMessage(), e);
                }
                Duration wait = backoff.next();
                LOG.warn("cannot reach the control plane at {} ({}); trying again in {} ms", api.endpoint(),
                        e.getMessage(), wait.toMillis());
                Thread.sleep(wait);
            }
        }
    }

    /**
     * The ECS agent's rule: an instance joining {@code default} that does not exist yet creates it
     * (that is how an account gets its {@code default} cluster in a Region). Other clusters must exist.
     *
     * @return whether the cluster was created, so that registering again may succeed
     */
    private static boolean createsDefaultCluster(EcsApiClient api, String cluster, EcsApiException refusal) {
        if (!DEFAULT_CLUSTER.equals(cluster) || !"ClusterNotFoundException".equals(refusal.errorCode())) {
            return false;
        }
        LOG.info("cluster {} does not exist in {} yet; creating it", cluster, api.region());
        api.createCluster(cluster);
        return true;
    }

    private static HostRegistration.Input withoutArn(HostRegistration.Input in) {
        return new HostRegistration.Input(in.cluster(), Optional.empty(), in.instanceId(), in.region(), in.host(),
                in.cpu(), in.memoryMiB(), in.attributes(), in.taskLimits(), in.taskRoles(), in.agentVersion());
    }

    private void applyDesired(DesiredTasks desired) {
        engine.apply(desired);
    }

    private void refreshCredentials(TaskCredentialsRefresh refresh) {
        refresh.tasks().forEach(task -> engine.credentials().refresh(task.taskArn(), task.credentials()));
    }

    private void relayHealth(TaskHealthChange change) {
        channel.report(TaskHealthReport.of(change.task(), change.containers()));
    }

    /** {@code arn:…:container-instance/CLUSTER/ID} → {@code arn:…:cluster/CLUSTER}. */
    static String clusterArnOf(String containerInstanceArn) {
        int resource = containerInstanceArn.indexOf(":container-instance/");
        if (resource < 0) {
            throw new IllegalArgumentException("not a container instance ARN: " + containerInstanceArn);
        }
        String rest = containerInstanceArn.substring(resource + ":container-instance/".length());
        int slash = rest.indexOf('/');
        String cluster = slash < 0 ? rest : rest.substring(0, slash);
        return containerInstanceArn.substring(0, resource) + ":cluster/" + cluster;
    }

    /** This agent's version: the jar's, or "development" when run from classes. */
    static String version() {
        return Optional.ofNullable(AgentHost.class.getPackage().getImplementationVersion()).orElse("development");
    }

    /** Disconnects and stops supervising; containers keep running. The runtime stays open (the caller's). */
    @Override
    public void close() {
        stats.close();
        channel.close();
        engine.close();
        endpoints.ifPresent(TaskEndpointServer::close);
        secretStores.close();
        registryTokens.close();
        hostRoute.ifPresent(r -> {
            try {
                r.unrouteHost();
            } catch (IllegalStateException e) {
                LOG.warn("cannot remove the host's route to the task endpoints: {}", e.getMessage());
            }
        });
        api.close();
    }
}
