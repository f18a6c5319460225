package dev.stevedore.server;

import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.api.CredentialSource;
import dev.stevedore.agent.api.InstanceCredentialsClient;
import dev.stevedore.agent.credentials.AgentJoin;
import dev.stevedore.agent.credentials.InstanceCredentialsFile;
import dev.stevedore.agent.credentials.JoinException;
import dev.stevedore.agent.credentials.RefreshSettings;
import dev.stevedore.agent.credentials.RefreshingCredentials;
import dev.stevedore.agent.host.AgentConfig;
import dev.stevedore.agent.host.AgentHost;
import dev.stevedore.agent.host.AgentStartException;
import dev.stevedore.agent.runtime.ContainerRuntime;
import dev.stevedore.agent.runtime.DockerContainerRuntime;
import dev.stevedore.server.metrics.AgentMetrics;
import dev.stevedore.control.ecs.fargate.PlatformPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code stevedore agent}: makes this machine a container instance of a cluster and runs its tasks'
 * containers in the local Docker engine until stopped.
 */
@Command(name = "agent",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Join this machine to a cluster as a container instance, and run the containers of the tasks "
                        + "placed on it in the local Docker engine, until Ctrl-C or SIGTERM.",
                "",
                "With --join-token (or STEVEDORE_JOIN_TOKEN), the agent exchanges the one-time token for "
                        + "temporary credentials of the instance role (ecsInstanceRole unless the token names another), "
                        + "keeps them in the data directory (mode 0600) and refreshes them before they expire; no "
                        + "other keys are needed or read. Started again while they are valid, it needs no token; "
                        + "after they expired, it needs a new one. A token that names a cluster joins that cluster.",
                "",
                "Without a token, an agent that never joined with one signs with AWS_ACCESS_KEY_ID / "
                        + "AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), else STEVEDORE_ACCESS_KEY_ID / "
                        + "STEVEDORE_SECRET_ACCESS_KEY; `stevedore env` prints them.",
                "",
                "Stopping the agent leaves the containers running. Started again with the same data directory, "
                        + "it re-registers the same container instance and takes them over.",
                "",
                "Several agents can share a machine, each with its own --data-dir (and so its own instance id).",
                ""},
        footer = {"",
                "Examples:",
                "  bin/stevedore agent --join-token \"$TOKEN\" --data-dir /var/lib/stevedore-agent-1",
                "  eval \"$(bin/stevedore env)\"",
                "  bin/stevedore agent --cluster default --data-dir /var/lib/stevedore-agent-1 \\",
                "      --attribute ecs.availability-zone=us-east-1b --attribute team=web"})
final class AgentCommand implements Callable<Integer> {
    private static final String DEFAULT_CLUSTER = "default";

    @Option(names = "--endpoint", paramLabel = "URL", split = ",", defaultValue = "${env:AWS_ENDPOINT_URL:-http://127.0.0.1:"
            + ControlPlaneConfig.DEFAULT_PORT + "}",
            description = {"The Stevedore ECS endpoint (default: AWS_ENDPOINT_URL, else ${DEFAULT-VALUE}).",
                    "Repeated or comma-separated for a control plane of several replicas: the agent talks to the "
                            + "first and moves to the next when one stops answering."})
    List<URI> endpoints;

    @Option(names = "--cluster", paramLabel = "NAME",
            description = "Cluster to join (default: the one the join token names, else " + DEFAULT_CLUSTER + ").")
    String cluster;

    @Option(names = "--join-token", paramLabel = "TOKEN",
            description = "A one-time join token (`stevedore token create`) to exchange for instance-role "
                    + "credentials (default: STEVEDORE_JOIN_TOKEN).")
    String joinToken;

    @Option(names = "--fargate", description = "Give this machine to the platform as Fargate capacity instead of "
            + "joining a cluster: FARGATE tasks of every cluster of the account may run here.")
    boolean fargate;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.stevedore-agent",
            description = "The agent's own directory: instance id, registration, task state (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--attribute", paramLabel = "KEY=VALUE",
            description = "An attribute to register; repeatable. ecs.availability-zone and ecs.instance-type "
                    + "override the defaults (<region>a, stevedore.host); other names are custom attributes for "
                    + "placement constraints.")
    Map<String, String> attributes = new LinkedHashMap<>();

    @Option(names = "--cpu", paramLabel = "UNITS",
            description = "CPU units to register (default: the host's cores x 1024).")
    Integer cpu;

    @Option(names = "--memory", paramLabel = "MIB",
            description = "Memory to register, in MiB (default: the host's memory less a small reserve).")
    Integer memory;

    @Option(names = "--instance-id", paramLabel = "ID",
            description = "EC2-style instance id to register (default: generated once, kept in the data directory).")
    String instanceId;

    @Option(names = "--region", paramLabel = "REGION",
            description = "Region the endpoint serves (default: AWS_REGION, else AWS_DEFAULT_REGION, else "
                    + ControlPlaneConfig.DEFAULT_REGION + ").")
    String region;

    @Option(names = "--task-endpoint-port", paramLabel = "PORT", defaultValue = "" + AgentConfig.DEFAULT_TASK_ENDPOINT_PORT,
            description = "Port on 127.0.0.1 where the agent serves its tasks' credentials and metadata, which containers "
                    + "reach at 169.254.170.2 (default: ${DEFAULT-VALUE}, as ECS; 0: a free port). Each agent on a "
                    + "machine needs its own.")
    int taskEndpointPort;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve Prometheus metrics at http://127.0.0.1:PORT/metrics (default: not served; 0: a free "
                    + "port, printed at start).")
    Integer metricsPort;

    @Option(names = "--image-registry", paramLabel = "HOST:PORT",
            description = "The Stevedore's image registry (its ECR; `up` prints it): images there are pulled with a "
                    + "token of ECR's GetAuthorizationToken, asked for with the task's execution role, else this "
                    + "instance's role (default: none; such images are pulled without credentials).")
    String imageRegistry;

    @Option(names = "--docker-host", paramLabel = "URI",
            description = "The Docker engine (default: DOCKER_HOST, else unix:///var/run/docker.sock).")
    URI dockerHost;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> env = System.getenv();
        if (fargate && cluster != null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--fargate and --cluster exclude each other: a platform host joins no cluster");
        }
        Optional<String> token = nonBlank(joinToken).or(() -> nonBlank(env.get("STEVEDORE_JOIN_TOKEN")));
        Optional<String> requested = fargate ? Optional.of(PlatformPool.CLUSTER) : Optional.ofNullable(cluster);
        String signingRegion = region(env);
        Clock clock = Clock.systemUTC();
        // The join and its refreshes go to the first endpoint (a replica relays them to the leader).
        URI endpoint = endpoints.getFirst();
        InstanceCredentialsClient credentialsClient = InstanceCredentialsClient.create(endpoint, signingRegion, clock);
        AgentJoin join = new AgentJoin(InstanceCredentialsFile.in(dataDir), credentialsClient, clock);
        Optional<RefreshingCredentials> joined = Optional.empty();
        CredentialSource credentials;
        String joinedCluster;
        try {
            Optional<InstanceCredentialsFile.Kept> kept = join.atStart(token);
            if (kept.isPresent()) {
                if (fargate && kept.get().credentials().cluster().isPresent()) {
                    throw new JoinException("this agent's join token is for cluster "
                            + kept.get().credentials().cluster().get() + ", and a Fargate platform host joins no "
                            + "cluster: start it without --fargate, or join with a token made without --cluster");
                }
                joinedCluster = AgentJoin.clusterToJoin(kept.get().credentials(), requested, DEFAULT_CLUSTER);
                joined = Optional.of(join.keepRefreshed(kept.get(), RefreshSettings.defaults()));
                credentials = joined.get();
            } else {
                credentialsClient.close();
                credentials = AgentCredentials.fromEnvironment(env);
                joinedCluster = requested.orElse(DEFAULT_CLUSTER);
            }
        } catch (JoinException e) {
            credentialsClient.close();
            System.err.println("stevedore agent: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            System.err.println("stevedore agent: " + e.getMessage());
            return 2;
        }
        AgentConfig config = AgentConfig.of(endpoint, signingRegion, credentials, joinedCluster, dataDir)
                .withAttributes(attributes)
                .withResources(optional(cpu), optional(memory))
                .withInstanceId(Optional.ofNullable(instanceId))
                .withTaskEndpointPort(taskEndpointPort)
                .withMoreEndpoints(endpoints.subList(1, endpoints.size()))
                .withImageRegistry(Optional.ofNullable(imageRegistry));
        Optional<RefreshingCredentials> refresher = joined;
        Runnable stopRefreshing = () -> {
            refresher.ifPresent(RefreshingCredentials::close);
            credentialsClient.close();
        };
        Optional<AgentMetrics> metrics;
        try {
            metrics = Optional.ofNullable(metricsPort).map(AgentMetrics::bind);
        } catch (java.io.UncheckedIOException e) {
            stopRefreshing.run();
            System.err.println("stevedore agent: " + e.getMessage());
            return 1;
        }
        DockerContainerRuntime docker = dockerHost == null ? DockerContainerRuntime.connectDefault()
                : DockerContainerRuntime.connect(dockerHost);
        ContainerRuntime runtime = metrics.map(m -> m.observe(docker)).orElse(docker);
        AgentHost agent;
        try {
            agent = AgentHost.start(config, runtime, clock);
        } catch (AgentStartException e) {
            metrics.ifPresent(AgentMetrics::close);
            runtime.close();
            stopRefreshing.run();
            System.err.println("stevedore agent: " + e.getMessage());
            return 1;
        }
        metrics.ifPresent(m -> m.serve(agent.engine()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            metrics.ifPresent(AgentMetrics::close);
            agent.close();
            runtime.close();
            stopRefreshing.run();
            stopped.countDown();
        }, "stevedore-agent-shutdown"));
        System.out.println("Stevedore agent running: container instance " + agent.containerInstanceArn());
        System.out.println("  " + (fargate ? "Fargate capacity" : "cluster " + joinedCluster) + " at "
                + endpoints.stream().map(URI::toString).collect(java.util.stream.Collectors.joining(", "))
                + ", data in " + dataDir.toAbsolutePath());
        joined.ifPresent(j -> System.out.println("  signing as " + j.held().roleArn() + " (joined with a token; "
                + "credentials refreshed before they expire)"));
        metrics.ifPresent(m -> System.out.println("  metrics at http://127.0.0.1:" + m.port() + "/metrics"));
        System.out.flush();
        stopped.await();
        return 0;
    }

    private String region(Map<String, String> env) {
        if (region != null) {
            return region;
        }
        for (String name : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return ControlPlaneConfig.DEFAULT_REGION;
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static OptionalInt optional(Integer value) {
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }
}
