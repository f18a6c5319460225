package dev.stevedore.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.ApiObserver;
import dev.stevedore.awsproto.CallRecord;
import dev.stevedore.awsproto.SigV4Exception;
import dev.stevedore.control.ecs.ControllerSettings;
import dev.stevedore.control.ecs.EcsApi;
import dev.stevedore.control.ecs.task.TaskRoleTrust;
import dev.stevedore.server.metrics.MetricsRegistry;
import dev.stevedore.server.metrics.ServerMetrics;
import dev.stevedore.store.SqliteStateStore;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.StoreOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a {@code /metrics} scrape costs the control plane at a realistic size: the server's registry
 * (the same {@link ServerMetrics} the server builds) over a SQLite store with {@code clusters} clusters
 * of simulated hosts and {@code tasks} tasks placed through RunTask, some acknowledged RUNNING; every
 * implemented ECS operation answered with Success and two error codes, and every signature refusal
 * reason, so that the per-operation series are all there. Times the scrape (the text rendering the
 * HTTP answer carries: wall time and the scraping thread's CPU time) and reports its size.
 *
 * <p>Usage: {@code bench/run-metrics-scrape.sh [clusters=100] [hosts-per-cluster=10] [tasks=10000] [scrapes=500]}.
 */
public final class MetricsScrapeBenchmark {

    public static void main(String[] args) throws Exception {
        int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int hostsPerCluster = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int tasks = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int scrapes = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        Path dir = Files.createTempDirectory("stevedore-scrape");
        ServerMetrics metrics = new ServerMetrics(new MetricsRegistry());
        try (StateStore store = SqliteStateStore.open(dir.resolve("state.db"), StoreOptions.defaults(), metrics.store());
             EcsApi api = new EcsApi(store, Clock.systemUTC(), () -> "http://127.0.0.1:1", ControllerSettings.defaults(),
                     TaskRoleTrust.ANY, metrics.placement())) {
            metrics.feed(api.clusterFeed());
            metrics.edge(() -> 0, () -> 0, () -> 0);
            metrics.agents(() -> clusters * hostsPerCluster);
            SimulatedHosts sim = new SimulatedHosts(api);
            sim.call("RegisterTaskDefinition", "{\"family\": \"app\", \"containerDefinitions\": "
                    + "[{\"name\": \"app\", \"image\": \"busybox\", \"cpu\": 64, \"memory\": 128}]}");
            List<String> names = new ArrayList<>();
            for (int c = 0; c < clusters; c++) {
                String cluster = "scrape-" + c;
                names.add(cluster);
                sim.call("CreateCluster", "{\"clusterName\": \"" + cluster + "\"}");
                sim.register(cluster, hostsPerCluster);
            }
            int placed = 0;
            for (int i = 0; placed < tasks; i++) {
                String cluster = names.get(i % clusters);
                JsonNode r = sim.call("RunTask", "{\"cluster\": \"" + cluster + "\", \"taskDefinition\": \"app\", "
                        + "\"count\": " + Math.min(10, tasks - placed) + "}");
                placed += r.get("tasks").size();
                if (i % 2 == 0) {
                    r.get("tasks").forEach(t -> sim.acknowledgeRunning(cluster, t.get("taskArn").asText()));
                }
            }
            ApiObserver calls = metrics.api();
            for (String operation : api.implementedOperations()) {
                for (String outcome : List.of(CallRecord.SUCCESS, "ClientException", "InvalidParameterException")) {
                    calls.answered("ecs", operation, outcome, 1_000_000);
                }
            }
            for (SigV4Exception.Reason reason : SigV4Exception.Reason.values()) {
                calls.signatureRefused("ecs", reason);
            }
            // The feed may still be handing the last acknowledgements to its listeners.
            while (api.clusterFeed().lagRevisions() > 0) {
                Thread.sleep(10);
            }
            byte[] last = new byte[0];
            for (int i = 0; i < 50; i++) {
                last = metrics.registry().scrape().getBytes(StandardCharsets.UTF_8);  // warm-up
            }
            // Wall time suffers from whatever else runs on the machine; the scraping thread's CPU time less so.
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long[] nanos = new long[scrapes];
            long[] cpu = new long[scrapes];
            for (int i = 0; i < scrapes; i++) {
                long c = threads.getCurrentThreadCpuTime();
                long s = System.nanoTime();
                last = metrics.registry().scrape().getBytes(StandardCharsets.UTF_8);
                nanos[i] = System.nanoTime() - s;
                cpu[i] = threads.getCurrentThreadCpuTime() - c;
            }
            Arrays.sort(nanos);
            Arrays.sort(cpu);
            long lines = new String(last, StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).count();
            System.out.printf("| clusters | hosts | tasks | sample lines | bytes | CPU ms p50 | wall ms p50 | wall ms p99 |%n");
            System.out.printf("|---:|---:|---:|---:|---:|---:|---:|---:|%n");
            System.out.printf("| %,d | %,d | %,d | %,d | %,d | %.2f | %.2f | %.2f |%n", clusters, clusters * hostsPerCluster,
                    placed, lines, last.length, cpu[scrapes / 2] / 1e6, nanos[scrapes / 2] / 1e6,
                    nanos[scrapes * 99 / 100] / 1e6);
            System.out.printf("(%d scrapes after 50 of warm-up; JVM %s)%n", scrapes,
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getVmVersion());
        }
        System.exit(0);
    }
}
