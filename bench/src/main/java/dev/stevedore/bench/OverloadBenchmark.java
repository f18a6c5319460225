package dev.stevedore.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Overload: a well-behaved ECS client (ListClusters) alone and while an abusive one floods the server
 * from 200 connections with RegisterTaskDefinition bodies of about 850 KB, which the server refuses
 * (the family name is invalid). The server is {@code bin/stevedore up --no-agent} in its own process
 * with the launcher's JVM options: with the default edge limits, with a looser byte bound, and with
 * limits too high to matter (how the edge behaved before it had any).
 *
 * <p>Usage: {@code bench/run-overload.sh [seconds-per-phase]}.
 */
public final class OverloadBenchmark {
    private static final String KEY = UpServer.KEY;
    private static final String SECRET = UpServer.SECRET;
    private static final String REGION = "us-east-1";
    private static final int ABUSIVE_CONNECTIONS = 200;
    private static final double WELL_BEHAVED_RATE = 100;
    private static final int WELL_BEHAVED_CALLERS = 4;

    private record Limits(String name, List<String> options) {
    }

    public static void main(String[] args) throws Exception {
        Duration phase = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 15);
        Path root = Path.of(System.getProperty("stevedore.root", ".")).toAbsolutePath();
        List<Limits> configurations = List.of(
                new Limits("default limits (256 in flight, 4 MiB)", List.of()),
                new Limits("a looser byte bound (256 in flight, 32 MiB)", List.of("--max-buffered-request-mib", "32")),
                new Limits("no effective limits (as before)", List.of("--max-requests-in-flight", "1000000",
                        "--max-buffered-request-mib", "1000000")));
        List<String> rows = new ArrayList<>();
        List<String> floods = new ArrayList<>();
        for (Limits limits : configurations) {
            try (UpServer server = UpServer.start(root, "stevedore-overload", limits.options())) {
                LoadGenerator load = new LoadGenerator();
                URI api = server.endpoint();
                Supplier<HttpRequest> list = fixed(SignedRequest.sign(api, KEY, SECRET, REGION, "ListClusters", "{}"));
                load.closedLoop("warm-up", list, WELL_BEHAVED_CALLERS, Duration.ofSeconds(3));
                long rssBefore = server.peakRssKib();
                LoadResult closedAlone = load.closedLoop("closed", list, WELL_BEHAVED_CALLERS, phase);
                LoadResult openAlone = load.openLoop("open", list, WELL_BEHAVED_RATE, phase);
                long rssAlone = server.peakRssKib();
                Flood flood = Flood.start(api);
                LoadResult closedFlooded = load.closedLoop("closed", list, WELL_BEHAVED_CALLERS, phase);
                LoadResult openFlooded = load.openLoop("open", list, WELL_BEHAVED_RATE, phase);
                Map<String, Long> answers = flood.stop();
                long rssFlooded = server.peakRssKib();
                boolean alive = load.closedLoop("after", list, 1, Duration.ofSeconds(1)).errors() == 0;
                rows.add(row(limits.name, "alone", closedAlone, openAlone));
                rows.add(row(limits.name, "during the flood", closedFlooded, openFlooded));
                floods.add(String.format("| %s | %,d | %s | %,d → %,d → %,d | %s |", limits.name,
                        answers.values().stream().mapToLong(Long::longValue).sum(), answers, rssBefore >> 10,
                        rssAlone >> 10, rssFlooded >> 10, alive ? "yes" : "NO"));
            }
        }
        System.out.println();
        System.out.printf("Well-behaved client: ListClusters, closed loop with %d callers and open loop at %.0f/s "
                + "(latency from the intended send time), %d s each; the flood: %d connections sending "
                + "RegisterTaskDefinition of %,d bytes back to back.%n", WELL_BEHAVED_CALLERS, WELL_BEHAVED_RATE,
                phase.toSeconds(), ABUSIVE_CONNECTIONS, Flood.body().length());
        System.out.println("| server | well-behaved client | closed calls/s | closed p99 ms | open p50 ms | open p99 ms "
                + "| errors (non-200) |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        System.out.println();
        System.out.println("| server | abusive calls answered | answers (status error-code: count) "
                + "| server peak RSS MiB (start → alone → flood) | answers after |");
        System.out.println("|---|---:|---|---|---|");
        floods.forEach(System.out::println);
        System.exit(0);
    }

    private static String row(String server, String when, LoadResult closed, LoadResult open) {
        return String.format("| %s | %s | %,.0f | %.2f | %.2f | %.2f | %d |", server, when, closed.perSecond(),
                closed.percentileMillis(99), open.percentileMillis(50), open.percentileMillis(99),
                closed.errors() + open.errors());
    }

    private static Supplier<HttpRequest> fixed(SignedRequest r) {
        return r::request;
    }

    /** The abusive client: one virtual thread per connection, each sending the big body back to back. */
    private static final class Flood {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        // Its own client, so that its connections are not the well-behaved client's.
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        static String body() {
            StringBuilder command = new StringBuilder();
            for (int i = 0; i < 8_000; i++) {
                command.append(i == 0 ? "" : ",").append('"').append("x".repeat(100)).append('"');
            }
            return "{\"family\": \"not a valid family!\", \"containerDefinitions\": [{\"name\": \"c\", "
                    + "\"image\": \"busybox\", \"memory\": 16, \"command\": [" + command + "]}]}";
        }

        static Flood start(URI api) {
            Flood flood = new Flood();
            HttpRequest request = SignedRequest.sign(api, KEY, SECRET, REGION, "RegisterTaskDefinition", body()).request();
            for (int i = 0; i < ABUSIVE_CONNECTIONS; i++) {
                flood.threads.execute(() -> {
                    while (!flood.stop.get()) {
                        flood.answers.computeIfAbsent(flood.send(request), k -> new LongAdder()).increment();
                    }
                });
            }
            return flood;
        }

        private String send(HttpRequest request) {
            try {
                HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                return r.statusCode() + " " + r.headers().firstValue("X-Amzn-ErrorType").orElse("-");
            } catch (IOException e) {
                return "I/O error: " + e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        Map<String, Long> stop() {
            stop.set(true);
            threads.close();
            Map<String, Long> counted = new TreeMap<>();
            answers.forEach((k, v) -> counted.put(k, v.sum()));
            return counted;
        }
    }
}
