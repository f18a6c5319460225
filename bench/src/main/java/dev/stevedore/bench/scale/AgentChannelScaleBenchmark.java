package dev.stevedore.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.channel.Backoff;
import dev.stevedore.agent.channel.ChannelClientSettings;
import dev.stevedore.agent.channel.ChannelUrlSigner;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.bench.SignedRequest;
import dev.stevedore.bench.UpServer;
import dev.stevedore.bench.tasks.Distribution;
import dev.stevedore.model.agent.ChannelCodec;
import dev.stevedore.model.agent.TaskAssignment;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent channel at scale (issue 14): thousands of simulated agents, each a registered container
 * instance holding a real WebSocket to one server ({@code bin/stevedore up --no-agent} in its own
 * process), while RunTask bursts land. Measured: the server's resident memory per connected agent,
 * push latency (RunTask sent → the task's assignment read by its agent), and a reconnect after
 * {@code kill -9} of the server: how long until every agent is back, with the agents' own
 * jittered back-off (the agent's {@link Backoff} and default settings).
 *
 * <p>A simulated agent is a Vert.x WebSocket client, not the agent's JDK client (one selector thread
 * per client would make the load generator, not the server, the thing measured); it presigns its
 * URL with the agent's {@link ChannelUrlSigner} and reads messages with the channel's codec.
 *
 * <p>Usage: {@code bench/run-agent-channel-scale.sh [agents] [bursts]}.
 */
public final class AgentChannelScaleBenchmark {
    private static final String REGION = "us-east-1";
    private static final String CLUSTER = "channel-scale";
    private static final ChannelCodec CODEC = new ChannelCodec(AwsJson.mapper());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TASKS_PER_RUN = 10;
    private static final int RUN_CALLERS = 4;

    public static void main(String[] args) throws Exception {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int bursts = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path root = Path.of(System.getProperty("stevedore.root", ".")).toAbsolutePath();
        try (UpServer server = UpServer.start(root, "stevedore-channel-scale", List.of())) {
            Api api = new Api(server.endpoint());
            api.call("CreateCluster", "{\"clusterName\": \"" + CLUSTER + "\"}");
            api.call("RegisterTaskDefinition", "{\"family\": \"scale\", \"containerDefinitions\": [{\"name\": \"c\", "
                    + "\"image\": \"busybox\", \"cpu\": 16, \"memory\": 16, \"command\": [\"sleep\", \"3600\"]}]}");
            long registering = System.nanoTime();
            List<String> arns = api.register(agents, 32);
            double registerSeconds = (System.nanoTime() - registering) / 1e9;
            Thread.sleep(3_000);
            long rssRegistered = server.rssKib();

            Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
            Fleet fleet = new Fleet(vertx, server.endpoint(), arns);
            long connecting = System.nanoTime();
            fleet.start();
            double connectSeconds = fleet.awaitAllConnected(Duration.ofMinutes(3)) / 1e9;
            double connectFrom = (System.nanoTime() - connecting) / 1e9;
            // Longer than the server's unresponsive limit (15 s): agents that do not answer pings would be gone.
            Thread.sleep(30_000);
            long rssConnected = server.rssKib();
            int stillConnected = fleet.connected();

            List<Long> pushes = new ArrayList<>();
            List<Long> afterAnswers = new ArrayList<>();
            List<Long> runTasks = new ArrayList<>();
            burst(api, fleet, 25, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());  // warms the server up
            for (int b = 0; b < bursts; b++) {
                burst(api, fleet, 25, pushes, afterAnswers, runTasks);
            }

            fleet.markGenerations();
            long killedAt = System.nanoTime();
            server.kill();
            long upFrom = System.nanoTime();
            server.startAgain();
            long upAt = System.nanoTime();
            long backNanos = fleet.awaitAllConnected(Duration.ofMinutes(3));
            double backAfterUp = (backNanos - (upAt - fleet.startedAt)) / 1e9;  // the last agent back, from up
            Herd herd = fleet.herdSince(killedAt);
            List<Long> pushesAfter = new ArrayList<>();
            burst(api, fleet, 25, pushesAfter, new ArrayList<>(), new ArrayList<>());

            Distribution push = Distribution.of(pushes);
            Distribution run = Distribution.of(runTasks);
            Distribution pushAfter = Distribution.of(pushesAfter);
            System.out.println();
            System.out.printf("Agents: %,d registered in %.1f s (32 callers); all connected %.1f s after the first "
                    + "dial (%.1f s wall), %,d still connected 30 s later.%n", agents, registerSeconds, connectSeconds,
                    connectFrom, stillConnected);
            System.out.printf("Server RSS: %,d MiB registered, no agent connected → %,d MiB with %,d connected: "
                    + "%.1f KiB per connected agent.%n", rssRegistered >> 10, rssConnected >> 10, stillConnected,
                    (double) (rssConnected - rssRegistered) / Math.max(1, stillConnected));
            System.out.println();
            System.out.println("| pushes (RunTask sent → assignment read by its agent) | tasks | p50 ms | p90 ms | p99 ms | max ms |");
            System.out.println("|---|---:|---:|---:|---:|---:|");
            System.out.println(row("before the restart, " + bursts + " bursts of 25 RunTask × " + TASKS_PER_RUN, push));
            System.out.println(row("the same, from RunTask's answer (0 when the agent read it first)",
                    Distribution.of(afterAnswers)));
            System.out.println(row("RunTask's own answer (for comparison)", run));
            System.out.println(row("after the restart, 1 burst", pushAfter));
            System.out.println();
            System.out.printf("Restart: kill -9, the server up again %.1f s later (its start-up), every agent back "
                    + "%.1f s after it was up; %,d dials while it was down or starting (%,d refused or failed), "
                    + "at most %,d connections accepted in one second.%n", (upAt - upFrom) / 1e9, backAfterUp,
                    herd.dials(), herd.failures(), herd.peakAcceptsPerSecond());
            fleet.close();
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
        System.exit(0);
    }

    private static String row(String what, Distribution d) {
        return String.format("| %s | %,d | %s | %s | %s | %s |", what, d.count(), Distribution.ms(d.percentileMillis(50)),
                Distribution.ms(d.percentileMillis(90)), Distribution.ms(d.percentileMillis(99)),
                Distribution.ms(d.maxMillis()));
    }

    /**
     * {@code calls} RunTask calls of {@value #TASKS_PER_RUN} tasks from {@value #RUN_CALLERS} callers at
     * once; each task's push latency is from its call's send (and from its answer) to the moment its
     * agent read it.
     */
    private static void burst(Api api, Fleet fleet, int calls, List<Long> pushes, List<Long> afterAnswers,
                              List<Long> runTasks) throws InterruptedException {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> answeredAt = new ConcurrentHashMap<>();
        List<Long> answered = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < RUN_CALLERS; c++) {
                callers.execute(() -> {
                    while (next.getAndIncrement() < calls) {
                        long sent = System.nanoTime();
                        JsonNode answer = api.call("RunTask", "{\"cluster\": \"" + CLUSTER
                                + "\", \"taskDefinition\": \"scale\", \"count\": " + TASKS_PER_RUN + "}");
                        long now = System.nanoTime();
                        answered.add(now - sent);
                        answer.path("tasks").forEach(t -> {
                            sentAt.put(t.path("taskArn").asText(), sent);
                            answeredAt.put(t.path("taskArn").asText(), now);
                        });
                    }
                });
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!fleet.readAll(sentAt.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        sentAt.forEach((arn, sent) -> {
            Long read = fleet.readAt(arn);
            if (read == null) {
                throw new IllegalStateException("task " + arn + " never reached its agent");
            }
            pushes.add(read - sent);
            afterAnswers.add(Math.max(0, read - answeredAt.get(arn)));
        });
        runTasks.addAll(answered);
        Thread.sleep(1_000);
    }

    /** What the reconnect after the restart cost: dials, failed dials, the busiest second of accepts. */
    record Herd(long dials, long failures, long peakAcceptsPerSecond) {
    }

    /** Signed awsJson calls to the server as its root user. */
    private static final class Api {
        private final URI endpoint;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final AwsBasicCredentials root = AwsBasicCredentials.create(UpServer.KEY, UpServer.SECRET);

        Api(URI endpoint) {
            this.endpoint = endpoint;
        }

        JsonNode call(String operation, String body) {
            SignedRequest request = SignedRequest.signJson(endpoint, root, REGION, "ecs",
                    "AmazonEC2ContainerServiceV20141113", operation, body);
            try {
                HttpResponse<String> response = http.send(request.request(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(operation + " answered " + response.statusCode() + ": " + response.body());
                }
                return JSON.readTree(response.body());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(operation + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        /** Registers {@code count} 4 vCPU / 16 GiB instances over three zones, {@code callers} at a time. */
        List<String> register(int count, int callers) {
            String[] arns = new String[count];
            AtomicInteger next = new AtomicInteger();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < callers; c++) {
                    pool.execute(() -> {
                        int i;
                        while ((i = next.getAndIncrement()) < count) {
                            String zone = SimulatedHosts.ZONES.get(i % SimulatedHosts.ZONES.size());
                            String body = """
                                    {"cluster": "%s",
                                     "totalResources": [
                                       {"name": "CPU", "type": "INTEGER", "integerValue": 4096},
                                       {"name": "MEMORY", "type": "INTEGER", "integerValue": 16384}],
                                     "instanceIdentityDocument": "{\\"instanceId\\": \\"i-chan%013d\\", \\"availabilityZone\\": \\"%s\\"}",
                                     "versionInfo": {"agentVersion": "1.0.0", "dockerVersion": "simulated"}}
                                    """.formatted(CLUSTER, i, zone);
                            arns[i] = call("RegisterContainerInstance", body)
                                    .at("/containerInstance/containerInstanceArn").asText();
                        }
                    });
                }
            }
            return List.of(arns);
        }
    }

    /** The simulated agents, and what they saw. */
    private static final class Fleet implements AutoCloseable {
        private final Vertx vertx;
        private final WebSocketClient client;
        private final URI endpoint;
        private final List<SimulatedAgent> agents = new ArrayList<>();
        private final ChannelUrlSigner signer = new ChannelUrlSigner(AgentCredentials.of(UpServer.KEY, UpServer.SECRET),
                REGION, Duration.ofMinutes(5), Clock.systemUTC());
        private final ChannelClientSettings settings = ChannelClientSettings.defaults();
        /** When each task's assignment was first read by its agent (nanoTime). */
        private final Map<String, Long> readAt = new ConcurrentHashMap<>();
        /** Dial and accept times, to describe the reconnect after the restart. */
        private final java.util.concurrent.ConcurrentLinkedQueue<long[]> dials = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final LongAdder connectedNow = new LongAdder();
        private volatile long startedAt;
        private volatile boolean closed;

        Fleet(Vertx vertx, URI endpoint, List<String> arns) {
            this.vertx = vertx;
            this.endpoint = endpoint;
            this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(arns.size() * 2)
                    .setConnectTimeout((int) settings.connectTimeout().toMillis())
                    .setMaxMessageSize(16 * 1024 * 1024).setMaxFrameSize(16 * 1024 * 1024));
            for (String arn : arns) {
                agents.add(new SimulatedAgent(arn));
            }
        }

        void start() {
            startedAt = System.nanoTime();
            // Real hosts do not dial in the same millisecond; spread the first dials over a second.
            Random random = new Random(1);
            for (SimulatedAgent agent : agents) {
                vertx.setTimer(1 + random.nextInt(1_000), id -> agent.dial());
            }
        }

        int connected() {
            return connectedNow.intValue();
        }

        /** From now on, an agent counts as connected only on a connection newer than its present one. */
        void markGenerations() {
            agents.forEach(a -> a.mark = a.generation.get());
        }

        /**
         * Waits until every agent has read a complete state on a connection newer than its mark;
         * returns when the last did (nanoseconds since {@link #start}).
         */
        long awaitAllConnected(Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < deadline) {
                if (agents.stream().allMatch(SimulatedAgent::back)) {
                    return agents.stream().mapToLong(a -> a.connectedAt.get()).max().orElseThrow() - startedAt;
                }
                Thread.sleep(100);
            }
            long back = agents.stream().filter(SimulatedAgent::back).count();
            throw new IllegalStateException("only " + back + " of " + agents.size() + " agents connected within " + limit);
        }

        boolean readAll(java.util.Set<String> arns) {
            return readAt.keySet().containsAll(arns);
        }

        Long readAt(String arn) {
            return readAt.get(arn);
        }

        Herd herdSince(long since) {
            long count = 0;
            long failed = 0;
            Map<Long, Long> perSecond = new java.util.HashMap<>();
            for (long[] d : dials) {
                if (d[0] < since) {
                    continue;
                }
                count++;
                if (d[1] < 0) {
                    failed++;
                } else {
                    perSecond.merge((d[1] - since) / 1_000_000_000L, 1L, Long::sum);
                }
            }
            return new Herd(count, failed, perSecond.values().stream().mapToLong(Long::longValue).max().orElse(0));
        }

        @Override
        public void close() {
            closed = true;
            client.close();
        }

        private final class SimulatedAgent {
            private final String arn;
            private final Backoff backoff = new Backoff(settings.backoffInitial(), settings.backoffMax(), new Random());
            /** Connections on which a complete state arrived. */
            private final AtomicInteger generation = new AtomicInteger();
            private final AtomicLong connectedAt = new AtomicLong();
            private volatile boolean open;
            private volatile int mark;

            SimulatedAgent(String arn) {
                this.arn = arn;
            }

            boolean back() {
                return open && generation.get() > mark;
            }

            void dial() {
                if (closed) {
                    return;
                }
                URI url = signer.sign(endpoint, arn);
                long dialed = System.nanoTime();
                WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(url.getHost())
                        .setPort(url.getPort()).setURI(url.getRawPath() + "?" + url.getRawQuery())
                        .setTimeout(settings.connectTimeout().toMillis());
                client.connect(options).onComplete(result -> {
                    if (result.failed()) {
                        dials.add(new long[] {dialed, -1});
                        redial();
                        return;
                    }
                    dials.add(new long[] {dialed, System.nanoTime()});
                    WebSocket socket = result.result();
                    boolean[] first = {true};
                    socket.textMessageHandler(text -> {
                        long now = System.nanoTime();
                        switch (CODEC.decode(text)) {
                            case ChannelCodec.Inbound.Desired d -> {
                                if (first[0]) {
                                    first[0] = false;
                                    open = true;
                                    connectedNow.increment();
                                    connectedAt.set(now);
                                    generation.incrementAndGet();
                                    backoff.reset();
                                }
                                d.desired().tasks().forEach(t -> read(t, now));
                            }
                            case ChannelCodec.Inbound.Changes c -> c.changes().tasks().forEach(t -> read(t, now));
                            default -> {
                            }
                        }
                    });
                    socket.closeHandler(v -> {
                        if (open) {
                            open = false;
                            connectedNow.decrement();
                        }
                        redial();
                    });
                });
            }

            private void read(TaskAssignment assignment, long now) {
                readAt.putIfAbsent(assignment.task().taskArn(), now);
            }

            private void redial() {
                if (!closed) {
                    vertx.setTimer(Math.max(1, backoff.next().toMillis()), id -> dial());
                }
            }
        }
    }
}
