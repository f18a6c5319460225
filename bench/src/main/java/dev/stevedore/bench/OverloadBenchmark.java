package dev.stevedore.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Overload: a well-behaved ECS client (ListClusters) alone and while an abusive one floods the server
 * from 200 connections with RegisterTaskDefinition bodies of about 850 KB, which the server refuses
 * (the family name is invalid). The server is {@code bin/stevedore up --no-agent} in its own process
 * with the launcher's JVM options and the default edge limits, and, when asked, also with ECS's
 * request rates on ({@code --request-throttling}; both clients sign as the same account, so the
 * well-behaved one is held to those rates too).
 *
 * <p>Where the abusive client runs is part of what is measured: {@code shared}, in this process on the
 * machine's two cores with the server and the well-behaved client (its work and its garbage are then
 * the well-behaved client's too), or {@code separate}, in a process of its own pinned to core 0 while
 * this process and the server it starts are pinned to core 1 by the launcher script (so the server has
 * one core, alone and under the flood alike). Servers can be taken from several checkouts (each
 * {@code label=directory}, built), run in turn configuration by configuration, to compare them on the
 * same machine at the same time.
 *
 * <p>Usage: {@code bench/run-overload.sh [seconds-per-phase] [shared|separate] [--request-throttling] [label=checkout ...]}.
 */
public final class OverloadBenchmark {
    private static final String KEY = UpServer.KEY;
    private static final String SECRET = UpServer.SECRET;
    private static final String REGION = "us-east-1";
    private static final int ABUSIVE_CONNECTIONS = 200;
    private static final double WELL_BEHAVED_RATE = 100;
    private static final int WELL_BEHAVED_CALLERS = 4;
    private static final long TICKS_PER_SECOND = 100;

    private record Limits(String name, List<String> options) {
    }

    private record Checkout(String label, Path root) {
    }

    public static void main(String[] args) throws Exception {
        Duration phase = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 15);
        boolean separate = args.length > 1 && args[1].equals("separate");
        Path root = Path.of(System.getProperty("stevedore.root", ".")).toAbsolutePath();
        List<Checkout> checkouts = new ArrayList<>();
        List<Limits> configurations = new ArrayList<>(List.of(new Limits("default limits", List.of())));
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("--request-throttling")) {
                configurations.add(new Limits("default limits, --request-throttling", List.of("--request-throttling")));
                continue;
            }
            String[] labelled = args[i].split("=", 2);
            checkouts.add(new Checkout(labelled[0], Path.of(labelled[1]).toAbsolutePath()));
        }
        if (checkouts.isEmpty()) {
            checkouts.add(new Checkout("this checkout", root));
        }
        List<String> rows = new ArrayList<>();
        List<String> floods = new ArrayList<>();
        for (Limits limits : configurations) {
            for (Checkout checkout : checkouts) {
                String name = checkout.label + ", " + limits.name;
                try (UpServer server = UpServer.start(checkout.root, "stevedore-overload", limits.options())) {
                    LoadGenerator load = new LoadGenerator();
                    URI api = server.endpoint();
                    Supplier<HttpRequest> list = fixed(SignedRequest.sign(api, KEY, SECRET, REGION, "ListClusters", "{}"));
                    load.closedLoop("warm-up", list, WELL_BEHAVED_CALLERS, Duration.ofSeconds(3));
                    long rssBefore = server.peakRssKib();
                    long cpuAlone = cpuTicks(server.pid());
                    LoadResult closedAlone = load.closedLoop("closed", list, WELL_BEHAVED_CALLERS, phase);
                    LoadResult openAlone = load.openLoop("open", list, WELL_BEHAVED_RATE, phase);
                    long rssAlone = server.peakRssKib();
                    long cpuFlood = cpuTicks(server.pid());
                    Flood flood = separate ? Flood.ownProcess(api) : Flood.here(api);
                    LoadResult closedFlooded = load.closedLoop("closed", list, WELL_BEHAVED_CALLERS, phase);
                    LoadResult openFlooded = load.openLoop("open", list, WELL_BEHAVED_RATE, phase);
                    long cpuAfter = cpuTicks(server.pid());
                    Map<String, Long> answers = flood.stop();
                    long rssFlooded = server.peakRssKib();
                    boolean alive = load.closedLoop("after", list, 1, Duration.ofSeconds(1)).errors() == 0;
                    rows.add(row(name, "alone", closedAlone, openAlone, cpuFlood - cpuAlone));
                    rows.add(row(name, "during the flood", closedFlooded, openFlooded, cpuAfter - cpuFlood));
                    floods.add(String.format("| %s | %,d | %s | %,d → %,d → %,d | %s |", name,
                            answers.values().stream().mapToLong(Long::longValue).sum(), answers, rssBefore >> 10,
                            rssAlone >> 10, rssFlooded >> 10, alive ? "yes" : "NO"));
                }
            }
        }
        System.out.println();
        System.out.printf("Well-behaved client: ListClusters, closed loop with %d callers and open loop at %.0f/s "
                + "(latency from the intended send time), %d s each; the flood: %d connections sending "
                + "RegisterTaskDefinition of %,d bytes back to back, %s.%n", WELL_BEHAVED_CALLERS, WELL_BEHAVED_RATE,
                phase.toSeconds(), ABUSIVE_CONNECTIONS, OverloadFlood.body().length(), separate
                        ? "in its own process on core 0 (the server and the well-behaved client on core 1)"
                        : "in the well-behaved client's process, all on both cores");
        System.out.println("| server | well-behaved client | closed calls/s | closed p99 ms | open p50 ms | open p99 ms "
                + "| errors (non-200) | server CPU s |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        System.out.println();
        System.out.println("| server | abusive calls answered | answers (status error-code: count) "
                + "| server peak RSS MiB (start → alone → flood) | answers after |");
        System.out.println("|---|---:|---|---|---|");
        floods.forEach(System.out::println);
        System.exit(0);
    }

    private static String row(String server, String when, LoadResult closed, LoadResult open, long cpuTicks) {
        return String.format("| %s | %s | %,.0f | %.2f | %.2f | %.2f | %d | %.1f |", server, when, closed.perSecond(),
                closed.percentileMillis(99), open.percentileMillis(50), open.percentileMillis(99),
                closed.errors() + open.errors(), (double) cpuTicks / TICKS_PER_SECOND);
    }

    /** User and system time the process has used so far, in clock ticks ({@code /proc/<pid>/stat}). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static Supplier<HttpRequest> fixed(SignedRequest r) {
        return r::request;
    }

    /** The abusive client, in this process or in one of its own. */
    private interface Flood {
        Map<String, Long> stop() throws IOException, InterruptedException;

        static Flood here(URI api) {
            return OverloadFlood.start(api, ABUSIVE_CONNECTIONS)::stop;
        }

        // Pinned to core 0 with taskset; this process (and the server it started) is on core 1.
        static Flood ownProcess(URI api) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder("taskset", "-c", "0", java, "-Xmx1g", "-cp",
                    System.getProperty("java.class.path"), OverloadFlood.class.getName(), api.toString(),
                    "" + ABUSIVE_CONNECTIONS).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return () -> {
                process.getOutputStream().close();
                Map<String, Long> counted = new TreeMap<>();
                for (String line : new String(process.getInputStream().readAllBytes()).split("\n")) {
                    if (!line.isBlank()) {
                        String[] parts = line.split("\t", 2);
                        counted.put(parts[1], Long.parseLong(parts[0]));
                    }
                }
                process.waitFor();
                return counted;
            };
        }
    }
}
