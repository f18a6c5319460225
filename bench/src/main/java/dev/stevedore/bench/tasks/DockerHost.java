package dev.stevedore.bench.tasks;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The local Docker engine, three ways: Debian's {@code /usr/bin/docker} CLI and docker-java over the
 * engine socket (the two references Stevedore is measured against), and the engine's event stream,
 * which says when each container was really created and started whoever asked for it. Events carry
 * the container's labels, so the containers of a Stevedore task are found by their task ARN label
 * and this run's reference containers by {@link #RUN_LABEL}.
 */
final class DockerHost implements AutoCloseable {
    static final String CLI = "/usr/bin/docker";
    /** Put on every reference container this harness makes, with the run id as value, for clean-up. */
    static final String RUN_LABEL = "dev.stevedore.bench.run";
    static final String KIND_LABEL = "dev.stevedore.bench.kind";
    /** The ECS agent's label naming a container's task, which Stevedore's agent also sets. */
    static final String TASK_ARN_LABEL = "com.amazonaws.ecs.task-arn";
    static final String CLUSTER_LABEL = "com.amazonaws.ecs.cluster";
    /** Stevedore's agent puts it on the pause container that holds an awsvpc task's network namespace. */
    static final String PAUSE_LABEL = "dev.stevedore.pause-for-attachment";

    /** When the engine said a container was created and started (epoch ns; 0 = not yet). */
    record ContainerTimes(String id, Map<String, String> labels, long created, long started) {
        ContainerTimes with(String action, long at, Map<String, String> attributes) {
            Map<String, String> l = labels.isEmpty() && attributes != null ? Map.copyOf(attributes) : labels;
            return switch (action) {
                case "create" -> new ContainerTimes(id, l, created == 0 ? at : created, started);
                case "start" -> new ContainerTimes(id, l, created, started == 0 ? at : started);
                default -> new ContainerTimes(id, l, created, started);
            };
        }
    }

    private final DockerClient client;
    private final Map<String, ContainerTimes> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByTask = new ConcurrentHashMap<>();
    private final Map<String, String> pauseIdByTask = new ConcurrentHashMap<>();
    private final Closeable events;

    private DockerHost(DockerClient client) throws InterruptedException {
        this.client = client;
        ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Event e) {
                record(e);
            }
        };
        client.eventsCmd().withEventTypeFilter(EventType.CONTAINER).withEventFilter("create", "start")
                .exec(callback);
        // The stream is open once the engine answered the request; an event before that would be lost.
        callback.awaitStarted(10, TimeUnit.SECONDS);
        this.events = callback;
    }

    /** The engine at /var/run/docker.sock, through the same docker-java transport the agent uses. */
    static DockerHost connect() throws InterruptedException {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix:///var/run/docker.sock").build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .maxConnections(128)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        return new DockerHost(DockerClientImpl.getInstance(config, http));
    }

    private void record(Event e) {
        String id = e.getId() != null ? e.getId() : e.getActor() == null ? null : e.getActor().getId();
        Long nanos = e.getTimeNano();
        if (id == null || nanos == null) {
            return;
        }
        String action = e.getAction() != null ? e.getAction() : e.getStatus();
        Map<String, String> attributes = e.getActor() == null ? Map.of() : e.getActor().getAttributes();
        ContainerTimes times = byId.compute(id, (k, old) ->
                (old == null ? new ContainerTimes(id, Map.of(), 0, 0) : old).with(action, nanos, attributes));
        String task = times.labels().get(TASK_ARN_LABEL);
        if (task != null) {
            (times.labels().containsKey(PAUSE_LABEL) ? pauseIdByTask : idByTask).putIfAbsent(task, id);
        }
    }

    /** The engine's create/start times of a container, waiting up to {@code timeout} for its start event. */
    Optional<ContainerTimes> awaitStarted(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ContainerTimes t = byId.get(id);
            if (t != null && t.started() != 0) {
                return Optional.of(t);
            }
            if (System.nanoTime() > deadline) {
                return Optional.ofNullable(t);
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /**
     * The container of a Stevedore task (by its task ARN label), once the engine has started it; of
     * an awsvpc task, the first that is not its pause container.
     */
    Optional<ContainerTimes> awaitTaskStarted(String taskArn, Duration timeout) throws InterruptedException {
        return awaitStarted(idByTask, taskArn, timeout);
    }

    /** The pause container of an awsvpc task, once the engine has started it. */
    Optional<ContainerTimes> awaitPauseStarted(String taskArn, Duration timeout) throws InterruptedException {
        return awaitStarted(pauseIdByTask, taskArn, timeout);
    }

    private Optional<ContainerTimes> awaitStarted(Map<String, String> ids, String taskArn, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String id = ids.get(taskArn);
            if (id != null) {
                return awaitStarted(id, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    // ---- the two references ------------------------------------------------------------------

    /**
     * {@code docker run -d} of the same image, command and memory limit as the task definition.
     *
     * @return the container id the CLI printed
     */
    String cliRun(String runId, String image, List<String> command, int memoryMiB) throws InterruptedException {
        return cliRun(runId, image, command, memoryMiB, Optional.empty());
    }

    /** The same, on {@code network} with that fixed address when one is given. */
    String cliRun(String runId, String image, List<String> command, int memoryMiB, Optional<FixedAddress> network)
            throws InterruptedException {
        List<String> args = new ArrayList<>(List.of(CLI, "run", "-d", "--label", RUN_LABEL + "=" + runId,
                "--label", KIND_LABEL + "=cli", "-m", memoryMiB + "m"));
        network.ifPresent(n -> args.addAll(List.of("--network", n.network(), "--ip", n.address())));
        args.add(image);
        args.addAll(command);
        try {
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("docker run failed: " + out);
            }
            // The CLI may log an engine message on the same streams after the id (seen: "error
            // waiting for container: context canceled", exit status 0): the id is the hex line.
            return out.lines().filter(line -> line.matches("[0-9a-f]{64}")).reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("docker run printed no container id: " + out));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + CLI, e);
        }
    }

    /** Engine API create + start, the two calls the agent makes for a container. */
    record ApiRun(String id, long createReturned, long startReturned) {
    }

    ApiRun apiRun(String runId, String image, List<String> command, int memoryMiB) {
        return apiRun(runId, image, command, memoryMiB, Optional.empty());
    }

    /** The same, on {@code network} with that fixed address when one is given. */
    ApiRun apiRun(String runId, String image, List<String> command, int memoryMiB, Optional<FixedAddress> network) {
        HostConfig host = HostConfig.newHostConfig().withMemory((long) memoryMiB << 20);
        var create = client.createContainerCmd(image)
                .withCmd(command)
                .withLabels(Map.of(RUN_LABEL, runId, KIND_LABEL, "docker-java"));
        network.ifPresent(n -> {
            host.withNetworkMode(n.network());
            create.withIpv4Address(n.address());
        });
        String id = create.withHostConfig(host).exec().getId();
        long created = WallClock.now();
        client.startContainerCmd(id).exec();
        return new ApiRun(id, created, WallClock.now());
    }

    // ---- networks -----------------------------------------------------------------------------

    /** A user-defined network and the address a container is to have on it ({@code --ip}). */
    record FixedAddress(String network, String address) {
    }

    /** A bridge network on {@code subnet} (its gateway the base address plus one, as Docker picks it), labelled. */
    void createNetwork(String name, String subnet, Map<String, String> labels) {
        client.createNetworkCmd().withName(name).withDriver("bridge").withCheckDuplicate(true).withLabels(labels)
                .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(subnet))).exec();
    }

    /** The IPv4 and IPv6 blocks of every network on the engine. */
    List<String> subnetsInUse() {
        List<String> blocks = new ArrayList<>();
        for (Network n : client.listNetworksCmd().exec()) {
            if (n.getIpam() != null && n.getIpam().getConfig() != null) {
                n.getIpam().getConfig().stream().map(Network.Ipam.Config::getSubnet).filter(b -> b != null).forEach(blocks::add);
            }
        }
        return blocks;
    }

    /**
     * Removes every network carrying the label with that value; returns their names. The engine
     * lets go of a removed container's endpoint a little after the removal returns ("has active
     * endpoints"), so a refused removal is tried again for a few seconds.
     */
    List<String> removeNetworks(String label, String value) throws InterruptedException {
        List<String> removed = new ArrayList<>();
        for (Network n : client.listNetworksCmd().withFilter("label", List.of(label + "=" + value)).exec()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    client.removeNetworkCmd(n.getId()).exec();
                    removed.add(n.getName());
                    break;
                } catch (NotFoundException gone) {
                    break; // already removed: what clean-up wants
                } catch (RuntimeException e) {
                    if (System.nanoTime() > deadline) {
                        System.err.println("warning: removing network " + n.getName() + ": " + e.getMessage());
                        break;
                    }
                    TimeUnit.MILLISECONDS.sleep(250);
                }
            }
        }
        return removed;
    }

    // ---- clean-up -----------------------------------------------------------------------------

    /** {@code docker rm -f}: kills the container at once (busybox sleep as PID 1 ignores SIGTERM). */
    void remove(String id) {
        try {
            client.removeContainerCmd(id).withForce(true).exec();
        } catch (NotFoundException gone) {
            // Already removed: what clean-up wants.
        } catch (RuntimeException e) {
            // "removal already in progress" and the like: the final sweep catches what is left.
            System.err.println("warning: removing " + id + ": " + e.getMessage());
        }
    }

    /** Removes containers a few at a time, so a burst's clean-up does not swamp the engine. */
    void removeAll(List<String> ids) throws InterruptedException {
        Semaphore slots = new Semaphore(6);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String id : ids) {
                slots.acquire();
                pool.execute(() -> {
                    try {
                        remove(id);
                    } finally {
                        slots.release();
                    }
                });
            }
        }
    }

    /** Ids of every container, running or not, carrying the label with that value. */
    List<String> labelled(String label, String value) {
        return client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(label, value)).exec()
                .stream().map(Container::getId).toList();
    }

    /** Ids of the running containers carrying the label with that value. */
    List<String> labelledRunning(String label, String value) {
        return client.listContainersCmd().withLabelFilter(Map.of(label, value)).exec()
                .stream().map(Container::getId).toList();
    }

    String engineVersion() {
        return client.versionCmd().exec().getVersion();
    }

    @Override
    public void close() {
        try {
            events.close();
            client.close();
        } catch (IOException e) {
            // Closing at exit; nothing left to do about it.
        }
    }
}
