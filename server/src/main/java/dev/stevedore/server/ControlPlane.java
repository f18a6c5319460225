package dev.stevedore.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AccessDenials;
import dev.stevedore.awsproto.AwsFrontDoor;
import dev.stevedore.awsproto.CredentialsLookup;
import dev.stevedore.awsproto.QueryProtocolEndpoint;
import dev.stevedore.awsproto.RestJsonProtocolEndpoint;
import dev.stevedore.control.access.PolicyAuthorizer;
import dev.stevedore.control.elb.ElbApi;
import dev.stevedore.control.elb.TargetHealthReadings;
import dev.stevedore.control.elb.loadbalancer.LoopbackAddresses;
import dev.stevedore.lb.DataPlane;
import dev.stevedore.server.lb.DataPlaneFeed;
import dev.stevedore.server.lb.ExternalDataPlanes;
import dev.stevedore.control.iam.IamAccessRules;
import dev.stevedore.control.iam.IamApi;
import dev.stevedore.control.iam.IamDirectory;
import dev.stevedore.control.iam.SecretSealer;
import dev.stevedore.control.logs.LogStore;
import dev.stevedore.control.logs.LogsApi;
import dev.stevedore.control.logs.sqlite.SqliteLogStore;
import dev.stevedore.control.ecr.EcrApi;
import dev.stevedore.control.ecr.RegistryAccess;
import dev.stevedore.control.ecr.RegistryPasswords;
import dev.stevedore.control.secretsmanager.SecretsManagerApi;
import dev.stevedore.server.registry.ImageRegistryPlane;
import dev.stevedore.control.sts.AgentSession;
import dev.stevedore.control.sts.JoinTokens;
import dev.stevedore.control.sts.SessionTokens;
import dev.stevedore.control.sts.StsApi;
import dev.stevedore.control.sts.TaskRoleSessions;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.HttpResponse;
import dev.stevedore.awsproto.Ec2ProtocolEndpoint;
import dev.stevedore.awsproto.GuardedOperations;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.awsproto.ThrottledOperations;
import dev.stevedore.control.ecs.EcsRequestRates;
import dev.stevedore.awsproto.JsonProtocolEndpoint;
import dev.stevedore.control.ec2.Ec2Api;
import dev.stevedore.control.ec2.VpcDirectory;
import dev.stevedore.control.ssm.SsmApi;
import dev.stevedore.control.efs.EfsApi;
import dev.stevedore.control.efs.VolumeController;
import dev.stevedore.server.efs.GlusterVolumes;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.SigV4Verifier;
import dev.stevedore.awsproto.SigningIdentity;
import dev.stevedore.control.ecs.EcsApi;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.reset.StateReset;
import dev.stevedore.control.ecs.stats.TaskStats;
import dev.stevedore.control.ecs.task.StoppedTaskReaper;
import dev.stevedore.server.agentchannel.AgentChannelServer;
import dev.stevedore.server.console.Console;
import dev.stevedore.server.replica.Replication;
import dev.stevedore.server.metrics.MetricsEndpoint;
import dev.stevedore.server.metrics.MetricsRegistry;
import dev.stevedore.server.metrics.ServerMetrics;
import dev.stevedore.store.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A running control plane: the durable store, the ECS API behind SigV4, the HTTP listener and the
 * agent channel on it.
 * This is the composition root; nothing else wires modules together.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    static final String STATE_FILE = "state.db";
    /** Log events live in a database of their own, beside the state store: volume, not coordination. */
    static final String LOGS_FILE = "logs.db";
    /** How often a file system's size is read from its volume (EFS too reports it with a delay). */
    static final Duration FILE_SYSTEM_METERING = Duration.ofSeconds(30);
    /** How long the console waits for an agent to answer with a container's lines. */
    static final Duration CONSOLE_LOG_WAIT = Duration.ofSeconds(5);

    private final ControlPlaneConfig config;
    private final StateStore store;
    private final LogStore logs;
    private final HttpEdge edge;
    /** Runs where the store is written: from the start, or once this replica leads. */
    private final AtomicReference<Housekeeping> housekeeping;
    private final Optional<Replication> replication;
    private final AgentChannelServer channel;
    private final EcsApi ecs;
    private final IamDirectory iamDirectory;
    private final JoinTokens joinTokens;
    private final Optional<DataPlaneFeed> loadBalancers;
    private final Optional<ExternalDataPlanes> externalPlanes;
    private final Console console;
    /** The EFS volumes' controller, where this machine stores file systems and the store is written. */
    private final AtomicReference<VolumeController> fileSystemVolumes;
    private final ImageRegistryPlane registry;

    private ControlPlane(ControlPlaneConfig config, StateStore store, LogStore logs, EcsApi ecs,
                         IamDirectory iamDirectory, JoinTokens joinTokens, HttpEdge edge,
                         AtomicReference<Housekeeping> housekeeping, AgentChannelServer channel,
                         Optional<Replication> replication, Optional<DataPlaneFeed> loadBalancers,
                         Optional<ExternalDataPlanes> externalPlanes, Console console,
                         AtomicReference<VolumeController> fileSystemVolumes, ImageRegistryPlane registry) {
        this.console = console;
        this.fileSystemVolumes = fileSystemVolumes;
        this.registry = registry;
        this.replication = replication;
        this.config = config;
        this.loadBalancers = loadBalancers;
        this.externalPlanes = externalPlanes;
        this.store = store;
        this.logs = logs;
        this.edge = edge;
        this.housekeeping = housekeeping;
        this.channel = channel;
        this.ecs = ecs;
        this.iamDirectory = iamDirectory;
        this.joinTokens = joinTokens;
    }

    public static ControlPlane start(ControlPlaneConfig config) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + config.dataDir(), e);
        }
        ServerMetrics metrics = new ServerMetrics(new MetricsRegistry());
        // On etcd every control plane is a replica: a follower's copy of the store until elected.
        Optional<Replication> replication = config.store() instanceof StateStoreAddress.Etcd etcd
                ? Optional.of(etcd.replicate(metrics.store())) : Optional.empty();
        StateStore store = replication.<StateStore>map(Replication::store)
                .orElseGet(() -> config.store().open(config.dataDir(), metrics.store()));
        IamDirectory directory = null;
        LogStore logStore = null;
        DataPlaneFeed loadBalancers = null;
        ExternalDataPlanes externalPlanes = null;
        Console console = null;
        ImageRegistryPlane registry = null;
        try {
            logStore = SqliteLogStore.open(config.dataDir().resolve(LOGS_FILE));
            Clock clock = Clock.systemUTC();
            // The endpoint is known once the listener is bound; DiscoverPollEndpoint asks for it later.
            AtomicReference<String> endpoint = new AtomicReference<>();
            Principal root = new Principal(config.accountId(), config.credentials().accessKeyId(),
                    "arn:aws:iam::" + config.accountId() + ":root");
            SigningIdentity rootIdentity = new SigningIdentity(config.credentials().accessKeyId(),
                    config.credentials().secretAccessKey(), Optional.empty(), root);
            // One key file seals IAM's secrets and signs session tokens, a derived key for each.
            byte[] identityKey = IdentityKey.loadOrCreate(config.dataDir());
            IamApi iam = new IamApi(store, clock,
                    new SecretSealer(SessionTokens.derive(identityKey, "stevedore/iam/secret-sealer")));
            directory = new IamDirectory(store, iam.identityPolicies());
            SessionTokens sessions = new SessionTokens(identityKey, clock);
            // The root's keys, then IAM users' access keys, then STS sessions (which carry a token).
            CredentialsLookup rootKeys = CredentialsLookup.of(rootIdentity);
            SigV4Verifier verifier = new SigV4Verifier(rootKeys.or(iam.credentials()).or(sessions), clock);
            Ec2Api ec2 = new Ec2Api(store);
            // The load balancers' data plane runs in this process; its health checks answer DescribeTargetHealth.
            // Or in load balancer processes of their own, whose reports answer it.
            if (config.loadBalancerDataPlane() == ControlPlaneConfig.LoadBalancerDataPlane.IN_PROCESS) {
                loadBalancers = new DataPlaneFeed(store, new DataPlane());
            } else if (config.loadBalancerDataPlane() == ControlPlaneConfig.LoadBalancerDataPlane.EXTERNAL) {
                externalPlanes = new ExternalDataPlanes(store, clock);
            }
            ElbApi elb = new ElbApi(store, clock, new VpcDirectory(store), loadBalancers != null ? loadBalancers
                    : externalPlanes != null ? externalPlanes : TargetHealthReadings.NONE, LoopbackAddresses.DEFAULT_POOL);
            // Every replica streams the configuration from its copy of the store; readings go to the leader.
            if (externalPlanes != null) {
                externalPlanes.start(elb.snapshots());
            }
            SsmApi ssm = new SsmApi(store, clock,
                    new SecretSealer(SessionTokens.derive(identityKey, "stevedore/ssm/secure-string")));
            PolicyAuthorizer authorizer = new PolicyAuthorizer(directory, clock);
            // Task role credentials go to the agents with the tasks, minted as ecs-tasks.amazonaws.com;
            // RunTask, StartTask and the service scheduler first ask whether that service may assume the roles.
            // EFS mounts with IAM authorization ask what the task role may do on the file system.
            TaskRoleSessions taskRoles = new TaskRoleSessions(sessions, directory, authorizer::serviceMayAssume,
                    authorizer::roleMayAct, identityKey, clock);
            EcsApi ecs = new EcsApi(store, clock, endpoint::get, config.controllers(), taskRoles, metrics.placement(),
                    elb.serviceTargets(), replication.isEmpty());
            StsApi sts = new StsApi(sessions, directory, authorizer::assumeRoleDenial, clock);
            SecretsManagerApi secrets = new SecretsManagerApi(store, clock,
                    new SecretSealer(SessionTokens.derive(identityKey, "stevedore/secretsmanager/values")));
            LogsApi logs = new LogsApi(logStore, clock);
            EfsApi efs = new EfsApi(store, clock, new VpcDirectory(store));
            // The registry's address goes into repository URIs, so it is fixed before the API exists.
            registry = ImageRegistryPlane.prepare(config.registry(), config.dataDir().resolve("registry"), clock);
            RegistryPasswords registryPasswords = new RegistryPasswords(
                    SessionTokens.derive(identityKey, "stevedore/ecr/registry-password"));
            EcrApi ecr = new EcrApi(store, clock, registry.images(), registryPasswords);
            registry.start(ecr, new RegistryAccess(ecr.ledger(), registryPasswords, authorizer, config.region(), clock),
                    config.region());
            // Off by default: ECS's per-account rates are there for users who want to meet real throttling.
            UnaryOperator<Map<String, JsonOperation>> ecsRates = config.edgeLimits().serviceRequestRates()
                    ? handlers -> ThrottledOperations.throttle(handlers, EcsRequestRates.byOperation(), System::nanoTime)
                    : UnaryOperator.identity();
            JsonProtocolEndpoint ecsEndpoint = new JsonProtocolEndpoint(ecs.spec(), ecsRates.apply(
                    GuardedOperations.guard(ecs.operations(), ecs.accessRules(), authorizer, AccessDenials.JSON)));
            JsonProtocolEndpoint logsEndpoint = new JsonProtocolEndpoint(logs.spec(),
                    GuardedOperations.guard(logs.operations(), logs.accessRules(), authorizer, AccessDenials.JSON));
            AwsFrontDoor frontDoor = new AwsFrontDoor(verifier, config.regions(), List.of(
                    ecsEndpoint,
                    new Ec2ProtocolEndpoint(ec2.spec(),
                            GuardedOperations.guard(ec2.operations(), ec2.accessRules(), authorizer, AccessDenials.EC2)),
                    new QueryProtocolEndpoint(iam.spec(),
                            GuardedOperations.guard(directory.observing(iam.operations()), IamAccessRules.rules(), authorizer,
                                    AccessDenials.QUERY)),
                    new QueryProtocolEndpoint(elb.spec(),
                            GuardedOperations.guard(elb.operations(), elb.accessRules(), authorizer, AccessDenials.QUERY)),
                    new QueryProtocolEndpoint(sts.spec(),
                            GuardedOperations.guard(sts.operations(), sts.accessRules(), authorizer, AccessDenials.QUERY)),
                    new JsonProtocolEndpoint(ssm.spec(),
                            GuardedOperations.guard(ssm.operations(), ssm.accessRules(), authorizer, AccessDenials.JSON)),
                    new JsonProtocolEndpoint(secrets.spec(), GuardedOperations.guard(secrets.operations(),
                            secrets.accessRules(), authorizer, AccessDenials.JSON)),
                    logsEndpoint,
                    new RestJsonProtocolEndpoint(efs.spec(),
                            GuardedOperations.guard(efs.operations(), efs.accessRules(), authorizer,
                                    AccessDenials.REST_JSON)),
                    new JsonProtocolEndpoint(ecr.spec(),
                            GuardedOperations.guard(ecr.operations(), ecr.accessRules(), authorizer, AccessDenials.JSON))),
                    metrics.api(), new StoreFaults());
            JoinTokens joinTokens = new JoinTokens(store, sessions, directory, clock);
            AgentJoinEndpoint joins = new AgentJoinEndpoint(joinTokens, verifier);
            LoadBalancerProcessEndpoint lbProcesses = new LoadBalancerProcessEndpoint(Optional.ofNullable(externalPlanes),
                    verifier, config.accountId());
            // Agents presign their channel URL with the same keys, checked by the same verifier.
            AgentChannelServer channel = new AgentChannelServer(ecs, verifier, authorizer, config.regions(),
                    config.agentChannel(), taskRoles);
            // The console signs in with the keys SigV4 knows (the root's, IAM users'), and calls the same
            // guarded endpoints as the signed-in user; logs kept on a host it asks of the host's agent.
            console = new Console(rootKeys.or(iam.credentials()),
                    SessionTokens.derive(identityKey, "stevedore/console/sessions"), config.region(), ecsEndpoint,
                    logsEndpoint, (instance, request) -> channel.containerLogs(instance, request, CONSOLE_LOG_WAIT),
                    ecs.clusterFeed(), ecs.placementExplanations(), ecs.taskStats(), store, clock);
            Console pages = console;
            Function<HttpRequest, HttpResponse> aws = frontDoor::handle;
            if (config.dev()) {
                DevReset reset = new DevReset(new StateReset(store, clock), verifier, channel,
                        region -> createDefaultCluster(ecs, root, region), config.region(), DevReset.CONVERGE_TIMEOUT);
                aws = request -> reset.accepts(request) ? reset.handle(request) : frontDoor.handle(request);
            }
            Function<HttpRequest, HttpResponse> awsOrReset = aws;
            MetricsEndpoint scrapes = new MetricsEndpoint(metrics.registry());
            Function<HttpRequest, HttpResponse> served = request -> joins.accepts(request) ? joins.handle(request)
                    : lbProcesses.accepts(request) ? lbProcesses.handle(request) : awsOrReset.apply(request);
            // A replica that does not lead answers reads itself and relays the rest to the leader.
            Function<HttpRequest, HttpResponse> routed = replication
                    .<Function<HttpRequest, HttpResponse>>map(r -> request -> r.route(request, served)).orElse(served);
            Function<HttpRequest, HttpResponse> api = request -> scrapes.accepts(request) ? scrapes.handle(request)
                    : pages.accepts(request) ? pages.handle(request) : routed.apply(request);
            HttpEdge.Upgrades upgrades = replication.<HttpEdge.Upgrades>map(r -> vertx ->
                    r.channelOnlyWhileLeading(channel.handshakes(vertx))).orElse(channel::handshakes);
            HttpEdge edge = HttpEdge.start(config.host(), config.port(), api, upgrades,
                    request -> lbProcesses.stream(request).or(() -> pages.stream(request)), config.edgeLimits());
            metrics.edge(edge::throttledRequests, edge::oversizedRequests, edge::requestsInFlight);
            metrics.feed(ecs.clusterFeed());
            metrics.taskStats(ecs.taskStats());
            metrics.agents(channel::sessionCount, channel::refusedJoins);
            endpoint.set("http://" + config.host() + ":" + edge.port());
            LOG.info("control plane listening on {}:{}", config.host(), edge.port());
            AtomicReference<Housekeeping> housekeeping = new AtomicReference<>();
            AtomicReference<VolumeController> volumes = new AtomicReference<>();
            // What only the process that writes the store does; a replica does it once elected.
            // The load balancers' listeners are served by the replica that leads (one set of addresses).
            Optional<DataPlaneFeed> dataPlane = Optional.ofNullable(loadBalancers);
            // Placement first: a new replica leader serves (the calls held through the failover
            // among them) as soon as its plan applier runs, and does the rest a moment later.
            Runnable placement = ecs::lead;
            Runnable chores = () -> {
                dataPlane.ifPresent(feed -> feed.start(elb.snapshots()));
                createDefaultCluster(ecs, root, config.region());
                // The file systems' volumes are made on this machine, for now the one storage host.
                if (config.fileSystemStorage()) {
                    VolumeController controller = new VolumeController(store,
                            GlusterVolumes.inDataDir(config.dataDir()), clock, FILE_SYSTEM_METERING);
                    volumes.set(controller);
                    controller.start();
                }
                channel.startPresenceSweep(config.regions().names().stream()
                        .map(region -> new EcsScope(config.accountId(), region)).toList());
                // ECS keeps stopped tasks describable for at least an hour; RunTask tokens for as long.
                housekeeping.set(new Housekeeping(
                        new StoppedTaskReaper(store, Duration.ofHours(1), Duration.ofHours(1)), logs.retentionSweep(),
                        ecr.lifecycleSweep(),
                        clock, Duration.ofMinutes(1)));
            };
            if (replication.isPresent()) {
                Replication replica = replication.get();
                replica.start(endpoint.get(), placement, chores);
                // A stale leader key (a leader killed) holds for up to its lease; then someone leads.
                if (!replica.awaitLeader(((StateStoreAddress.Etcd) config.store()).leaderLease().multipliedBy(3))) {
                    LOG.warn("no replica leads the store yet; writes are refused until one does");
                }
                if (!replica.leads()) {
                    // Taking over later should not start with loading the placement code cold.
                    Thread.ofVirtual().name("stevedore-prepare-to-lead").start(() -> {
                        try {
                            ecs.prepareToLead();
                        } catch (RuntimeException e) {
                            LOG.debug("reading the placement views ahead of a take-over failed", e);
                        }
                    });
                }
            } else {
                placement.run();
                chores.run();
            }
            return new ControlPlane(config, store, logStore, ecs, directory, joinTokens, edge, housekeeping, channel,
                    replication, dataPlane, Optional.ofNullable(externalPlanes), console, volumes, registry);
        } catch (RuntimeException | InterruptedException e) {
            // What was started before the failure is closed, whichever way the start failed.
            for (AutoCloseable started : new AutoCloseable[] {console, registry, loadBalancers, externalPlanes, directory,
                    logStore}) {
                closeQuietly(started, e);
            }
            replication.ifPresentOrElse(Replication::close, store::close);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a leader", e);
            }
            throw (RuntimeException) e;
        }
    }

    private static void closeQuietly(AutoCloseable started, Exception failure) {
        if (started == null) {
            return;
        }
        try {
            started.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    /** This process as a replica of a store in etcd; empty for the embedded store. */
    public Optional<Replication> replication() {
        return replication;
    }

    /**
     * The {@code default} cluster of the start-up Region, made through the ordinary API path: the
     * local agent joins it. In the other Regions {@code default} exists once someone makes it, as on
     * AWS, where the ECS agent creates it when it is the first instance to join it.
     */
    private static void createDefaultCluster(EcsApi ecs, Principal root, String region) {
        ObjectNode input = JsonNodeFactory.instance.objectNode().put("clusterName", "default");
        CallContext ctx = new CallContext(UUID.randomUUID().toString(), root, "CreateCluster", region);
        ecs.operations().get("CreateCluster").handle(ctx, input);
    }

    public int port() {
        return edge.port();
    }

    /** API requests the HTTP edge has admitted and not yet answered (observability and tests). */
    public int requestsInFlight() {
        return edge.requestsInFlight();
    }

    public String endpoint() {
        return "http://" + config.host() + ":" + port();
    }

    /** The image registry's {@code 127.0.0.1:PORT}, when this server runs one. */
    public Optional<String> registryAddress() {
        return registry.address();
    }

    public ControlPlaneConfig config() {
        return config;
    }

    /**
     * Instance-role credentials for an agent of this process that registers into {@code cluster} of the
     * account this server runs for ({@link LocalAgent}): the root's keys never leave the control plane.
     *
     * @throws dev.stevedore.control.sts.JoinRefusedException when the instance role no longer exists
     */
    AgentSession localAgentSession(String cluster) {
        return joinTokens.local(config.accountId(), cluster);
    }

    /**
     * The store's revision: it moves with every committed write, so a caller that sees it unchanged
     * across a refused request knows the request wrote nothing (the malformed-input suite checks so).
     */
    public long storeRevision() {
        return store.currentRevision();
    }

    /**
     * Running tasks' CPU and memory of the last hour, as their agents reported them to this process
     * (in memory; on replicas, the leader's, which holds the channels).
     */
    public TaskStats taskStats() {
        return ecs.taskStats();
    }

    /** The agent channel endpoint: which agents are connected to this server. */
    public AgentChannelServer agentChannel() {
        return channel;
    }

    @Override
    public void close() {
        Housekeeping running = housekeeping.get();
        if (running != null) {
            running.close();
        }
        // Before the listener: closing sessions writes presence to the store and uses the event loops.
        channel.close();
        edge.close();
        console.close();
        registry.close();
        loadBalancers.ifPresent(DataPlaneFeed::close);
        externalPlanes.ifPresent(ExternalDataPlanes::close);
        VolumeController volumes = fileSystemVolumes.get();
        if (volumes != null) {
            volumes.close();
        }
        ecs.close();
        iamDirectory.close();
        logs.close();
        replication.ifPresentOrElse(Replication::close, store::close);
    }
}
