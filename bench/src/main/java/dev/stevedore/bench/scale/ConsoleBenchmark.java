package dev.stevedore.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.bench.SignedRequest;
import dev.stevedore.control.ecs.ControllerSettings;
import dev.stevedore.control.ecs.EcsApi;
import dev.stevedore.server.ControlPlane;
import dev.stevedore.server.ControlPlaneConfig;
import dev.stevedore.server.RootCredentials;
import dev.stevedore.server.agentchannel.AgentChannelSettings;
import dev.stevedore.store.SqliteStateStore;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.StoreOptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The console's live view of a cluster of {@code tasks} tasks, over HTTP as a browser would see it:
 * no browser, so no rendering time, but every byte the browser would wait for.
 *
 * <p>The cluster is made first without the HTTP server (simulated hosts through the real operations, as
 * in {@link MetricsScrapeBenchmark}, every task acknowledged RUNNING), in the data directory the server
 * then starts on; the hosts stay flagged connected because the server gives agents an hour to come back.
 * Then, signed in through the console's own form: each round times the cluster page and the tasks page
 * (first byte and whole page), then makes one commit (StopTask through the API, or an agent's
 * SubmitTaskStateChange STOPPED, alternately) while the page's event stream is open, and times the
 * {@code change} event's arrival and the page's refetch after it, from the moment the request was sent
 * (the commit happens before the answer; the event may arrive before the answer does).
 *
 * <p>Usage: {@code bench/run-console.sh [tasks=10000] [hosts=200] [rounds=30]}.
 */
public final class ConsoleBenchmark {
    private static final String KEY = "AKIABENCHCONSOLE0001";
    private static final String SECRET = "bench/console/secret/000000000000000000";
    private static final String CLUSTER = "console";
    private static final String ECS_TARGET = "AmazonEC2ContainerServiceV20141113";

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int hosts = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        Path dir = Files.createTempDirectory("stevedore-console");
        List<String> running = populate(dir, tasks, hosts);
        ControlPlaneConfig config = new ControlPlaneConfig("127.0.0.1", 0, dir, SimulatedHosts.REGION,
                SimulatedHosts.ACCOUNT, new RootCredentials(KEY, SECRET, RootCredentials.Source.ENVIRONMENT),
                AgentChannelSettings.defaults().withPresenceGrace(Duration.ofHours(1)));
        try (ControlPlane plane = ControlPlane.start(config)) {
            new Session(URI.create(plane.endpoint())).run(running, rounds);
        }
        System.exit(0);
    }

    /** The cluster, made straight on the store file the server opens next; returns the running tasks. */
    private static List<String> populate(Path dir, int tasks, int hosts) throws Exception {
        long start = System.nanoTime();
        List<String> arns = new ArrayList<>();
        try (StateStore store = SqliteStateStore.open(dir.resolve("state.db"), StoreOptions.defaults());
             EcsApi api = new EcsApi(store, Clock.systemUTC(), () -> "http://127.0.0.1:1", ControllerSettings.defaults())) {
            SimulatedHosts sim = new SimulatedHosts(api);
            sim.call("RegisterTaskDefinition", "{\"family\": \"app\", \"containerDefinitions\": "
                    + "[{\"name\": \"app\", \"image\": \"busybox\", \"cpu\": 64, \"memory\": 128}]}");
            sim.call("CreateCluster", "{\"clusterName\": \"" + CLUSTER + "\"}");
            sim.register(CLUSTER, hosts, 8);
            while (arns.size() < tasks) {
                JsonNode r = sim.call("RunTask", "{\"cluster\": \"" + CLUSTER + "\", \"taskDefinition\": \"app\", "
                        + "\"count\": " + Math.min(10, tasks - arns.size()) + "}");
                if (r.get("tasks").isEmpty()) {
                    throw new IllegalStateException("no room for more tasks: " + r.get("failures"));
                }
                r.get("tasks").forEach(t -> arns.add(t.get("taskArn").asText()));
            }
            // Agents report independently of each other: acknowledgements commit in groups.
            AtomicInteger next = new AtomicInteger();
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < 16; c++) {
                    pool.execute(() -> {
                        int i;
                        while ((i = next.getAndIncrement()) < arns.size()) {
                            sim.acknowledgeRunning(CLUSTER, arns.get(i));
                        }
                    });
                }
            }
        }
        System.out.printf("populated: %,d hosts, %,d RUNNING tasks in %.1f s%n", hosts, arns.size(),
                (System.nanoTime() - start) / 1e9);
        return arns;
    }

    /** One signed-in user with the cluster's pages open. */
    private static final class Session {
        private final URI base;
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        private String cookie = "";

        Session(URI base) {
            this.base = base;
        }

        void run(List<String> running, int rounds) throws Exception {
            signIn();
            String clusterPage = "/console/clusters/" + CLUSTER;
            String tasksPage = clusterPage + "/tasks";
            // Warm-up: the JIT and the server's caches, as a user's first minute would.
            for (int i = 0; i < 5; i++) {
                page(clusterPage);
                page(tasksPage);
            }
            Figures clusterFirst = new Figures(), clusterFull = new Figures(), tasksFirst = new Figures(),
                    tasksFull = new Figures(), event = new Figures(), answer = new Figures(), refetch = new Figures();
            long clusterBytes = 0;
            long tasksBytes = 0;
            BlockingQueue<Long> changes = new LinkedBlockingQueue<>();
            Thread reader = openEvents(changes);
            for (int round = 0; round < rounds; round++) {
                Timing c = page(clusterPage);
                clusterFirst.add(c.firstByteNanos);
                clusterFull.add(c.fullNanos);
                clusterBytes = c.bytes;
                Timing t = page(tasksPage);
                tasksFirst.add(t.firstByteNanos);
                tasksFull.add(t.fullNanos);
                tasksBytes = t.bytes;
                // Let earlier changes settle (the stream sends at most one event per 100 ms), then commit one.
                Thread.sleep(300);
                changes.clear();
                String task = running.get(round);
                HttpRequest commit = round % 2 == 0
                        ? ecs("StopTask", "{\"cluster\": \"" + CLUSTER + "\", \"task\": \"" + task
                        + "\", \"reason\": \"console benchmark\"}")
                        : ecs("SubmitTaskStateChange", "{\"cluster\": \"" + CLUSTER + "\", \"task\": \"" + task
                        + "\", \"status\": \"STOPPED\", \"reason\": \"console benchmark\"}");
                long sent = System.nanoTime();
                HttpResponse<String> r = http.send(commit, HttpResponse.BodyHandlers.ofString());
                long answered = System.nanoTime();
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(r.statusCode() + " " + r.body());
                }
                Long arrived = changes.poll(10, TimeUnit.SECONDS);
                if (arrived == null) {
                    throw new IllegalStateException("no change event within 10 s of round " + round);
                }
                Timing again = page(tasksPage);
                answer.add(answered - sent);
                event.add(arrived - sent);
                refetch.add(arrived - sent + again.fullNanos);
            }
            reader.interrupt();
            System.out.printf("%n%d rounds after 5 of warm-up; JVM %s%n", rounds,
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getVmVersion());
            System.out.println("| what | bytes | median ms | p99 ms | max ms |");
            System.out.println("|---|---:|---:|---:|---:|");
            clusterFirst.row("cluster page, first byte", clusterBytes);
            clusterFull.row("cluster page, whole page", clusterBytes);
            tasksFirst.row("tasks page, first byte", tasksBytes);
            tasksFull.row("tasks page, whole page", tasksBytes);
            answer.row("commit: request sent → API answer", -1);
            event.row("commit: request sent → `change` event", -1);
            refetch.row("commit: request sent → tasks page refetched", -1);
        }

        private void signIn() throws IOException, InterruptedException {
            // The form's token and its cookie first, as a browser gets them with the sign-in page.
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(base.resolve("/console/signin")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"")
                    .matcher(page.body());
            if (!token.find()) {
                throw new IllegalStateException("the sign-in page carries no token");
            }
            String formCookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            String form = "_csrf=" + enc(token.group(1)) + "&accessKeyId=" + enc(KEY) + "&secretAccessKey=" + enc(SECRET)
                    + "&region=" + enc(SimulatedHosts.REGION);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/console/signin"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", formCookie)
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            String set = r.headers().firstValue("Set-Cookie")
                    .orElseThrow(() -> new IllegalStateException("sign-in refused: " + r.statusCode() + " " + r.body()));
            cookie = set.substring(0, set.indexOf(';'));
        }

        private record Timing(long firstByteNanos, long fullNanos, long bytes) {
        }

        /** One GET of a page: the time to its first byte of body and to its last. */
        private Timing page(String path) throws IOException, InterruptedException {
            long start = System.nanoTime();
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(base.resolve(path)).header("Cookie", cookie)
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                int first = in.read();
                long firstByte = System.nanoTime() - start;
                long bytes = first < 0 ? 0 : 1 + in.transferTo(java.io.OutputStream.nullOutputStream());
                long full = System.nanoTime() - start;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(path + " answered " + r.statusCode());
                }
                return new Timing(firstByte, full, bytes);
            }
        }

        /** The page's event stream, read on a thread of its own: each {@code change} event's arrival time. */
        private Thread openEvents(BlockingQueue<Long> changes) throws Exception {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(base.resolve("/console/events?cluster="
                    + CLUSTER)).header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("event stream answered " + r.statusCode());
            }
            return Thread.ofPlatform().daemon().name("console-events").start(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.equals("event: change")) {
                            changes.add(System.nanoTime());
                        }
                    }
                } catch (IOException e) {
                    // the benchmark is over
                }
            });
        }

        private HttpRequest ecs(String operation, String body) {
            return SignedRequest.signJson(base, AwsBasicCredentials.create(KEY, SECRET), SimulatedHosts.REGION, "ecs",
                    ECS_TARGET, operation, body).request();
        }

        private static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }

    /** Durations of one kind, in nanoseconds. */
    private static final class Figures {
        private final List<Long> nanos = new ArrayList<>();

        void add(long n) {
            nanos.add(n);
        }

        void row(String what, long bytes) {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f |%n", what,
                    bytes < 0 ? "" : String.format(Locale.ROOT, "%,d", bytes), sorted[sorted.length / 2] / 1e6,
                    sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
                    Arrays.stream(sorted).max().orElse(0) / 1e6);
        }
    }
}
