package dev.stevedore.server;

import dev.stevedore.server.registry.RegistrySettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Optional;
import java.time.Duration;
import dev.stevedore.control.ecs.service.rollout.RolloutSettings;
import dev.stevedore.control.ecs.ControllerSettings;
import dev.stevedore.awsproto.AwsRegions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

/**
 * {@code stevedore up}: starts the control plane on this machine and serves until interrupted.
 */
@Command(name = "up",
        mixinStandardHelpOptions = true,
        description = {
                "Start Stevedore on this machine: the ECS API on 127.0.0.1 with its embedded store.",
                "",
                "Root credentials come from STEVEDORE_ACCESS_KEY_ID / STEVEDORE_SECRET_ACCESS_KEY; without them "
                        + "a pair is generated once and kept in the data directory.",
                "",
                "Also runs an agent that makes this machine a container instance of the `default` cluster, "
                        + "running tasks' containers in the local Docker engine (DOCKER_HOST, else "
                        + "unix:///var/run/docker.sock; its state is in <data-dir>/agent). Without a reachable "
                        + "Docker engine Stevedore starts anyway, says so, and the agent joins by itself as soon "
                        + "as the engine answers. Then it also makes sure the demo image stevedore/busybox:latest "
                        + "is there, built from this machine's /bin/busybox (Debian's busybox-static), no download.",
                "",
                "The endpoint and Region are recorded in <data-dir>/up.properties, where `env` and `reset` read them.",
                "",
                "Stops cleanly on Ctrl-C or SIGTERM; the tasks' containers keep running and are taken over "
                        + "at the next start.",
                ""})
final class UpCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options;

    @Option(names = "--no-agent", description = "Do not run the local agent: the control plane only.")
    boolean noAgent;

    @Option(names = "--no-fargate", description = "Do not make this machine Fargate capacity: FARGATE tasks then "
            + "run only on hosts started with `stevedore agent --fargate`.")
    boolean noFargate;

    @Option(names = "--lb", paramLabel = "WHERE", defaultValue = "in-process",
            description = "Where the load balancers' listeners are served: in-process (in this process, the default) "
                    + "or external (by `stevedore lb` processes, which follow this server's configuration and report "
                    + "their health checks; this process then binds no listener).")
    String lb;

    @Option(names = "--regions", paramLabel = "REGION", split = ",",
            description = "Serve only these AWS Regions (comma-separated); requests signed for another Region are "
                    + "refused as AWS refuses them. Default: every standard AWS Region, each its own namespace.")
    java.util.List<String> regions;

    @Option(names = "--store", paramLabel = "ADDRESS",
            description = "Keep the state in etcd rather than in the data directory: "
                    + "etcd://host:port[,host:port...][/prefix][?max-txn-ops=N][&history-compaction-seconds=S] (default "
                    + "prefix /stevedore, so several installations can share one etcd; max-txn-ops: etcd's --max-txn-ops "
                    + "if raised above 128; history-compaction-seconds: how often the leader compacts etcd's own history, "
                    + "300 by default, 0 to leave it to etcd's --auto-compaction-retention). "
                    + "Every `up` on the same store is a replica: one leader (elected through an etcd lease) writes and "
                    + "runs the controllers, the others serve reads and relay the rest to it. Logs, the identity key and "
                    + "the credentials stay in the data directory (replicas need the same identity.key and root keys).")
    String store;

    @Option(names = "--leader-lease", paramLabel = "SECONDS", defaultValue = "2",
            description = "With --store: the leader's etcd lease, whole seconds (at least 2). A leader that stops is "
                    + "replaced about this long after; one cut off from etcd stops acting a quarter of it sooner. "
                    + "Default: ${DEFAULT-VALUE}.")
    int leaderLeaseSeconds;

    @Option(names = "--registry-port", paramLabel = "PORT", defaultValue = "" + RegistrySettings.DEFAULT_PORT,
            description = "The loopback port of the image registry (ECR's data plane: docker login/push/pull "
                    + "127.0.0.1:PORT/REPOSITORY). Default: ${DEFAULT-VALUE}.")
    int registryPort;

    @Option(names = "--no-registry", description = "Do not run the image registry: the ECR API is served, "
            + "pushes are not.")
    boolean noRegistry;

    @Option(names = "--dev", description = "Development mode: enables POST /_stevedore/reset (and `stevedore reset`), "
            + "which returns the server to the state it starts in between tests.")
    boolean dev;

    @Option(names = "--task-healthy-after", paramLabel = "SECONDS", defaultValue = "40",
            description = "How long a service task without a container health check must have been RUNNING to "
                    + "count towards minimumHealthyPercent (ECS waits 40 seconds). Default: ${DEFAULT-VALUE}.")
    int taskHealthyAfterSeconds;

    @Option(names = "--host-lost-after", paramLabel = "SECONDS", defaultValue = "15",
            description = "How long a container instance's agent may stay disconnected before the host is declared "
                    + "lost and its tasks are stopped (services then replace them elsewhere). Default: ${DEFAULT-VALUE}.")
    int hostLostAfterSeconds;

    @Option(names = "--max-requests-in-flight", paramLabel = "N",
            defaultValue = "" + EdgeLimits.DEFAULT_MAX_REQUESTS_IN_FLIGHT,
            description = "API requests served at once; past it requests are refused with the protocol's throttling "
                    + "error (ThrottlingException, RequestLimitExceeded), which SDKs and the CLI retry. "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxRequestsInFlight;

    @Option(names = "--max-buffered-request-mib", paramLabel = "MIB",
            defaultValue = "" + EdgeLimits.DEFAULT_MAX_BUFFERED_BYTES / (1024 * 1024),
            description = "Request bodies held in memory at once, in MiB (at least 1: one body may be 1 MiB); past it "
                    + "requests are refused with the throttling error. Default: ${DEFAULT-VALUE}.")
    int maxBufferedRequestMib;

    @Option(names = "--request-throttling",
            description = "Hold each account's ECS calls to ECS's documented request rates (per action category, "
                    + "per account and Region: burst and sustained rate), answering ThrottlingException past them, "
                    + "so retry logic can be tried against real throttling. Off by default.")
    boolean requestThrottling;

    private ControlPlaneConfig.LoadBalancerDataPlane loadBalancerDataPlane() {
        return switch (lb) {
            case "in-process" -> ControlPlaneConfig.LoadBalancerDataPlane.IN_PROCESS;
            case "external" -> ControlPlaneConfig.LoadBalancerDataPlane.EXTERNAL;
            default -> throw new IllegalArgumentException("--lb is in-process or external, not '" + lb + "'");
        };
    }

    @Override
    public Integer call() throws InterruptedException {
        RootCredentials credentials = RootCredentials.resolve(System.getenv(), options.dataDir);
        String region = options.region();
        if (taskHealthyAfterSeconds < 0 || hostLostAfterSeconds < 0) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--task-healthy-after and --host-lost-after must not be negative");
        }
        RolloutSettings defaults = RolloutSettings.defaults();
        ControlPlaneConfig config;
        try {
            config = new ControlPlaneConfig("127.0.0.1", options.port(),
                    options.dataDir, region, options.accountId, credentials)
                    .withControllers(new ControllerSettings(
                            new RolloutSettings(Duration.ofSeconds(taskHealthyAfterSeconds), defaults.placementRetry()),
                            Duration.ofSeconds(hostLostAfterSeconds)))
                    .withRegions(regions == null ? AwsRegions.standard() : AwsRegions.only(regions))
                    .withDev(dev)
                    .withRegistry(noRegistry ? RegistrySettings.OFF : RegistrySettings.onPort(registryPort))
                    .withStore(storeAddress())
                    .withFileSystemStorage(true)
                    .withLoadBalancerDataPlane(loadBalancerDataPlane())
                    .withEdgeLimits(new EdgeLimits(maxRequestsInFlight, maxBufferedRequestMib * 1024L * 1024,
                            EdgeLimits.DEFAULT_MAX_BODY_BYTES, requestThrottling));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
        }
        ControlPlane plane = ControlPlane.start(config);
        Optional<LocalAgent> agent;
        try {
            new UpRecord(plane.endpoint(), region).write(options.dataDir);
            Optional<DemoRepository> demoRepository = plane.registryAddress()
                    .map(registry -> new DemoRepository(new ServerTarget(plane.endpoint(), region, credentials), registry));
            agent = noAgent ? Optional.empty() : Optional.of(LocalAgent.start(plane, !noFargate, demoRepository));
        } catch (RuntimeException | InterruptedException e) {
            plane.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // A replica whose term as the leader ended must not act on what it believed: it stops, and is
        // restarted (by whatever supervises it) as a follower.
        plane.replication().ifPresent(replica -> replica.termEnded().thenAcceptAsync(why -> {
            System.err.println("This replica is no longer the leader (" + why + "); stopping. Start it again to "
                    + "rejoin as a follower.");
            System.exit(TERM_ENDED_EXIT);
        }));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // The agent first, so that its channel closes while the server still answers.
            agent.ifPresent(LocalAgent::close);
            plane.close();
            stopped.countDown();
        }, "stevedore-shutdown"));
        printBanner(System.out, plane, credentials);
        printAgent(System.out, agent);
        agent.ifPresent(a -> a.keepTrying(System.out));
        stopped.await();
        return 0;
    }

    /** The exit status of a replica whose term as the leader ended. */
    static final int TERM_ENDED_EXIT = 75;

    private StateStoreAddress storeAddress() {
        if (store == null) {
            return StateStoreAddress.EMBEDDED;
        }
        if (leaderLeaseSeconds < 2) {
            throw new IllegalArgumentException("--leader-lease is at least 2 seconds");
        }
        StateStoreAddress address = StateStoreAddress.parse(store);
        return address instanceof StateStoreAddress.Etcd etcd
                ? etcd.withLeaderLease(Duration.ofSeconds(leaderLeaseSeconds)) : address;
    }

    private void printBanner(PrintStream out, ControlPlane plane, RootCredentials credentials) {
        String endpoint = plane.endpoint();
        out.println();
        out.println("Stevedore is up.");
        out.println("  ECS endpoint:      " + endpoint);
        out.println("  Web console:       " + endpoint + "/console/   (sign in with the access key pair below)");
        out.println("  Region / account:  " + plane.config().region() + " / " + options.accountId);
        out.println("  Regions served:    " + (regions == null ? "every standard AWS Region"
                : String.join(", ", plane.config().regions().names())));
        plane.registryAddress().ifPresent(registry -> out.println("  Image registry:    " + registry
                + " (aws ecr get-login-password | docker login --username AWS --password-stdin " + registry + ")"));
        if (plane.config().loadBalancerDataPlane() == ControlPlaneConfig.LoadBalancerDataPlane.EXTERNAL) {
            out.println("  Load balancers:    served by `bin/stevedore lb --endpoint " + endpoint + "` processes");
        }
        out.println("  Data directory:    " + options.dataDir.toAbsolutePath());
        out.println("  State store:       " + plane.config().store().describe(options.dataDir));
        plane.replication().ifPresent(replica -> out.println("  Replica:           " + replica.id() + ", "
                + (replica.leads() ? "the leader" : "following " + replica.leaderEndpoint().orElse("(no leader yet)"))));
        if (dev) {
            out.println("  Development mode:  POST " + endpoint + DevReset.PATH + " (or `bin/stevedore reset`) "
                    + "resets everything");
        }
        out.println("  Access key id:     " + credentials.accessKeyId());
        out.println("  Secret access key: " + credentials.secretAccessKey()
                + "   (" + describe(credentials.source()) + ")");
        out.println();
        out.println("Try it (or run `bin/stevedore env` and eval its output):");
        out.println("  export AWS_ACCESS_KEY_ID=" + credentials.accessKeyId()
                + " AWS_SECRET_ACCESS_KEY=" + credentials.secretAccessKey()
                + " AWS_DEFAULT_REGION=" + plane.config().region());
        out.println("  aws --endpoint-url " + endpoint + " ecs list-clusters");
        out.println();
    }

    private void printAgent(PrintStream out, Optional<LocalAgent> agent) {
        agent.ifPresent(a -> out.println(a.status()));
        out.println();
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    private static String describe(RootCredentials.Source source) {
        return switch (source) {
            case ENVIRONMENT -> "from STEVEDORE_ACCESS_KEY_ID / STEVEDORE_SECRET_ACCESS_KEY";
            case DATA_DIRECTORY -> "kept in the data directory";
            case GENERATED -> "generated now and kept in the data directory";
        };
    }
}
