package dev.stevedore.server;

import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.host.AgentConfig;
import dev.stevedore.agent.host.AgentHost;
import dev.stevedore.agent.host.AgentStartException;
import dev.stevedore.agent.runtime.DockerContainerRuntime;
import dev.stevedore.control.ecs.fargate.PlatformPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
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
                "Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), "
                        + "else from STEVEDORE_ACCESS_KEY_ID / STEVEDORE_SECRET_ACCESS_KEY; "
                        + "`stevedore env` prints them.",
                "",
                "Stopping the agent leaves the containers running. Started again with the same data directory, "
                        + "it re-registers the same container instance and takes them over.",
                "",
                "Several agents can share a machine, each with its own --data-dir (and so its own instance id).",
                ""},
        footer = {"",
                "Example:",
                "  eval \"$(bin/stevedore env)\"",
                "  bin/stevedore agent --cluster default --data-dir /var/lib/stevedore-agent-1 \\",
                "      --attribute ecs.availability-zone=us-east-1b --attribute team=web"})
final class AgentCommand implements Callable<Integer> {
    @Option(names = "--endpoint", paramLabel = "URL", defaultValue = "${env:AWS_ENDPOINT_URL:-http://127.0.0.1:"
            + ControlPlaneConfig.DEFAULT_PORT + "}",
            description = "The Stevedore ECS endpoint (default: AWS_ENDPOINT_URL, else ${DEFAULT-VALUE}).")
    URI endpoint;

    @Option(names = "--cluster", paramLabel = "NAME", defaultValue = "default",
            description = "Cluster to join (default: ${DEFAULT-VALUE}).")
    String cluster;

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

    @Option(names = "--docker-host", paramLabel = "URI",
            description = "The Docker engine (default: DOCKER_HOST, else unix:///var/run/docker.sock).")
    URI dockerHost;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> env = System.getenv();
        AgentCredentials credentials;
        try {
            credentials = AgentCredentials.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            System.err.println("stevedore agent: " + e.getMessage());
            return 2;
        }
        if (fargate && !"default".equals(cluster)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--fargate and --cluster exclude each other: a platform host joins no cluster");
        }
        String joined = fargate ? PlatformPool.CLUSTER : cluster;
        AgentConfig config = AgentConfig.of(endpoint, region(env), credentials, joined, dataDir)
                .withAttributes(attributes)
                .withResources(optional(cpu), optional(memory))
                .withInstanceId(Optional.ofNullable(instanceId))
                .withTaskEndpointPort(taskEndpointPort);
        DockerContainerRuntime runtime = dockerHost == null ? DockerContainerRuntime.connectDefault()
                : DockerContainerRuntime.connect(dockerHost);
        AgentHost agent;
        try {
            agent = AgentHost.start(config, runtime, Clock.systemUTC());
        } catch (AgentStartException e) {
            runtime.close();
            System.err.println("stevedore agent: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            runtime.close();
            stopped.countDown();
        }, "stevedore-agent-shutdown"));
        System.out.println("Stevedore agent running: container instance " + agent.containerInstanceArn());
        System.out.println("  " + (fargate ? "Fargate capacity" : "cluster " + cluster) + " at " + endpoint + ", data in " + dataDir.toAbsolutePath());
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

    private static OptionalInt optional(Integer value) {
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }
}
