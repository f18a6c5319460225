package dev.stevedore.e2e;

import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.Task;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * A Stevedore server process and agent processes (each in its own zone) of one cluster on this
 * machine's Docker engine, shared by the tests of a class, with what the service tests ask of
 * them: services and their tasks through the AWS SDK, their containers through Docker. Every test
 * uses its own service and task definition family, so it sees only its own containers.
 */
final class ServiceCluster implements AutoCloseable {
    static final String IMAGE = "stevedore-test/busybox:latest";
    /** Long enough for a slow machine; a healthy run takes a few seconds for most waits. */
    static final Duration WAIT = Duration.ofSeconds(90);
    private static final Pattern TASK_ID = Pattern.compile("\\(task ([0-9a-f]{32})\\)");

    final Path root;
    final int port;
    final String name;
    final AwsCli aws;
    private final String[] upOptions;
    /** Agents by the EC2 instance id they registered, in the order they started. */
    final Map<String, AgentProcess> agents = new LinkedHashMap<>();
    private final Map<String, String> zoneOfAgent = new LinkedHashMap<>();
    StevedoreProcess server;
    EcsClient ecs;

    private ServiceCluster(Path root, String name, String[] upOptions) {
        this.root = root;
        this.port = StevedoreProcess.freePort();
        this.name = name;
        this.upOptions = upOptions;
        this.aws = new AwsCli("http://127.0.0.1:" + port);
    }

    /** The server with {@code upOptions}, a cluster, and one agent per zone, all connected. */
    static ServiceCluster start(String prefix, List<String> zones, String... upOptions) throws Exception {
        ServiceCluster c = new ServiceCluster(Files.createTempDirectory("stevedore-" + prefix),
                prefix + "-" + Long.toHexString(System.nanoTime()), upOptions);
        try {
            c.server = StevedoreProcess.start(c.root.resolve("server"), c.port, upOptions);
            c.ecs = c.server.ecs();
            c.ecs.createCluster(b -> b.clusterName(c.name));
            for (String zone : zones) {
                c.startAgent(zone);
            }
            c.awaitConnected(zones.size());
            return c;
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
    }

    String arn() {
        return "arn:aws:ecs:" + InProcessStevedore.REGION + ":" + InProcessStevedore.ACCOUNT + ":cluster/" + name;
    }

    /** Starts one more agent in {@code zone}; returns its EC2 instance id. */
    String startAgent(String zone) {
        String instanceId = "i-%017x".formatted(agents.size() + 1);
        zoneOfAgent.put(instanceId, zone);
        launch(instanceId);
        return instanceId;
    }

    /** Starts the agent with this EC2 instance id again, on its data directory, after it was killed or stopped. */
    void restartAgent(String instanceId) {
        launch(instanceId);
    }

    private void launch(String instanceId) {
        agents.put(instanceId, AgentProcess.start(port, name, root.resolve("agent-" + instanceId), instanceId,
                zoneOfAgent.get(instanceId), 4096, 2048));
    }

    /** The EC2 instance id of the agent in {@code zone}. */
    String agentIn(String zone) {
        return zoneOfAgent.entrySet().stream().filter(e -> e.getValue().equals(zone)).findFirst().orElseThrow().getKey();
    }

    List<ContainerInstance> instances() {
        List<String> arns = ecs.listContainerInstances(b -> b.cluster(name)).containerInstanceArns();
        return arns.isEmpty() ? List.of()
                : ecs.describeContainerInstances(b -> b.cluster(name).containerInstances(arns)).containerInstances();
    }

    void awaitConnected(int count) {
        eventually("agents connected: " + count,
                () -> instances().stream().filter(ContainerInstance::agentConnected).count() == count);
    }

    /** The container instance ARN of the agent with this EC2 instance id. */
    String instanceArn(String instanceId) {
        return instances().stream().filter(i -> i.ec2InstanceId().equals(instanceId)).findFirst().orElseThrow()
                .containerInstanceArn();
    }

    /** SIGKILL of the server, then a new one on the same data directory, port and options. */
    void killAndRestartServer() throws InterruptedException {
        server.kill();
        ecs.close();
        server = StevedoreProcess.start(root.resolve("server"), port, upOptions);
        ecs = server.ecs();
    }

    /**
     * Registers a revision of {@code family} with one essential container running {@code command}.
     * A stop timeout of one second: busybox as PID 1 ignores SIGTERM, and waiting ECS's 30 seconds
     * for every stopped task would only make the tests slow.
     */
    String register(String family, String... command) {
        return register(family, 1, command);
    }

    /** A revision whose container, told to stop, runs on for {@code stopTimeout} seconds (busybox ignores SIGTERM). */
    String register(String family, int stopTimeout, String... command) {
        return ecs.registerTaskDefinition(b -> b.family(family).containerDefinitions(ContainerDefinition.builder()
                .name("main").image(IMAGE).memory(16).essential(true).stopTimeout(stopTimeout).command(command)
                .build())).taskDefinition().taskDefinitionArn();
    }

    /** Creates a replica service with these deployment percentages and waits until it has settled. */
    void createSettled(String service, String taskDefinitionArn, int count, int minimumHealthyPercent,
                       int maximumPercent) {
        ecs.createService(b -> b.cluster(name).serviceName(service).taskDefinition(taskDefinitionArn)
                .desiredCount(count).deploymentConfiguration(c -> c
                        .minimumHealthyPercent(minimumHealthyPercent).maximumPercent(maximumPercent)));
        eventually(service + " settled on " + taskDefinitionArn, () -> settledOn(service, taskDefinitionArn, count));
    }

    Service service(String service) {
        return ecs.describeServices(b -> b.cluster(name).services(service)).services().getFirst();
    }

    /** The service's event messages, newest first. */
    List<String> events(String service) {
        return service(service).events().stream().map(ServiceEvent::message).toList();
    }

    /** The ids of the tasks that events of the given kind name, e.g. {@code "has started"}. */
    List<String> taskIdsInEvents(String service, String kind) {
        List<String> ids = new ArrayList<>();
        for (String message : events(service)) {
            if (message.startsWith("(service " + service + ") " + kind + " ")) {
                Matcher m = TASK_ID.matcher(message);
                while (m.find()) {
                    ids.add(m.group(1));
                }
            }
        }
        return ids;
    }

    /** The service's tasks with this desired status, described. */
    List<Task> tasks(String service, DesiredStatus desired) {
        List<String> arns = ecs.listTasks(b -> b.cluster(name).serviceName(service).desiredStatus(desired)).taskArns();
        return describe(arns);
    }

    List<Task> describe(List<String> taskArns) {
        List<Task> out = new ArrayList<>();
        for (int from = 0; from < taskArns.size(); from += 100) {
            List<String> chunk = taskArns.subList(from, Math.min(taskArns.size(), from + 100));
            out.addAll(ecs.describeTasks(b -> b.cluster(name).tasks(chunk)).tasks());
        }
        return out;
    }

    Task task(String taskArn) {
        return describe(List.of(taskArn)).getFirst();
    }

    /** The running containers of a family, as Docker sees them. */
    List<Docker.Running> containers(String family) {
        return Docker.running(arn(), family);
    }

    /**
     * The service settled on {@code taskDefinitionArn}: one deployment, COMPLETED, {@code count} tasks
     * wanted and RUNNING, all of that revision, and exactly their containers running in Docker.
     */
    boolean settledOn(String service, String taskDefinitionArn, int count) {
        Service s = service(service);
        if (s.deployments().size() != 1 || s.runningCount() != count || s.desiredCount() != count) {
            return false;
        }
        Deployment d = s.deployments().getFirst();
        if (!d.rolloutStateAsString().equals("COMPLETED") || !d.taskDefinition().equals(taskDefinitionArn)) {
            return false;
        }
        List<Task> wanted = tasks(service, DesiredStatus.RUNNING);
        if (wanted.size() != count || !wanted.stream().allMatch(t -> t.lastStatus().equals("RUNNING")
                && t.taskDefinitionArn().equals(taskDefinitionArn))) {
            return false;
        }
        List<String> containerTasks = containers(family(taskDefinitionArn)).stream()
                .map(Docker.Running::taskArn).sorted().toList();
        return containerTasks.equals(wanted.stream().map(Task::taskArn).sorted().toList());
    }

    static String family(String taskDefinitionArn) {
        String familyAndRevision = taskDefinitionArn.substring(taskDefinitionArn.lastIndexOf('/') + 1);
        return familyAndRevision.substring(0, familyAndRevision.indexOf(':'));
    }

    static int revision(String taskDefinitionArn) {
        return Integer.parseInt(taskDefinitionArn.substring(taskDefinitionArn.lastIndexOf(':') + 1));
    }

    static String id(String taskArn) {
        return taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    static void eventually(String what, Callable<Boolean> condition) {
        await(what).atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(condition);
    }

    /** Removes the containers an agent left behind when it was killed or stopped. */
    void removeContainersOf(String instanceArn) {
        Docker.removeLabelled("dev.stevedore.container-instance", instanceArn);
    }

    @Override
    public void close() {
        for (AgentProcess agent : agents.values()) {
            agent.close();
        }
        if (ecs != null) {
            ecs.close();
        }
        if (server != null) {
            server.close();
        }
        Docker.removeCluster(arn());
    }
}
