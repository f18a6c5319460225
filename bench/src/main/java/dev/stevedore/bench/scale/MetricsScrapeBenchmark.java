package dev.stevedore.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.ApiObserver;
import dev.stevedore.awsproto.CallRecord;
import dev.stevedore.awsproto.SigV4Exception;
import dev.stevedore.control.ecs.ControllerSettings;
import dev.stevedore.control.ecs.EcsApi;
import dev.stevedore.control.ecs.agent.AgentStates;
import dev.stevedore.control.ecs.stats.TaskStatsBook;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskStatsReport;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
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
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a {@code /metrics} scrape costs the control plane at a realistic size: the server's registry
 * (the same {@link ServerMetrics} the server builds) over a SQLite store with {@code clusters} clusters
 * of simulated hosts and {@code tasks} tasks placed through RunTask, some acknowledged RUNNING; every
 * implemented ECS operation answered with Success and two error codes, and every signature refusal
 * reason, so that the per-operation series are all there. Times the scrape (the text rendering the
 * HTTP answer carries: wall time and the scraping thread's CPU time) and reports its size. Every task is
 * in one of {@code groups} task groups of its cluster ({@code service:svc-N}) and has an hour of task
 * stats (a sample every 30 s, the book's spacing), so the task-stats gauges are summed over all of them
 * at each scrape; the heap those stats hold is reported too. With {@code groups} 0 the tasks have no group
 * and no stats (the figures without task stats).
 *
 * <p>Usage: {@code bench/run-metrics-scrape.sh [clusters=100] [hosts-per-cluster=10] [tasks=10000] [scrapes=500]
 * [groups-per-cluster=10]}.
 */
public final class MetricsScrapeBenchmark {

    public static void main(String[] args) throws Exception {
        int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int hostsPerCluster = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int tasks = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int scrapes = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        int groups = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        Path dir = Files.createTempDirectory("stevedore-scrape");
        ServerMetrics metrics = new ServerMetrics(new MetricsRegistry());
        try (StateStore store = SqliteStateStore.open(dir.resolve("state.db"), StoreOptions.defaults(), metrics.store());
             EcsApi api = new EcsApi(store, Clock.systemUTC(), () -> "http://127.0.0.1:1", ControllerSettings.defaults(),
                     TaskRoleTrust.ANY, metrics.placement())) {
            metrics.feed(api.clusterFeed());
            // A clock the benchmark steps, so that an hour of samples takes seconds.
            AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T12:00:00Z"));
            TaskStatsBook stats = new TaskStatsBook(store, api.clusterFeed(),
                    ((InstantSource) now::get).withZone(ZoneOffset.UTC));
            metrics.taskStats(stats);
            metrics.edge(() -> 0, () -> 0, () -> 0);
            metrics.agents(() -> clusters * hostsPerCluster, () -> 0);
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
            List<Reporter> running = new ArrayList<>();
            for (int i = 0; placed < tasks; i++) {
                String cluster = names.get(i % clusters);
                JsonNode r = sim.call("RunTask", "{\"cluster\": \"" + cluster + "\", \"taskDefinition\": \"app\", "
                        + (groups == 0 ? "" : "\"group\": \"service:svc-" + (i / clusters) % groups + "\", ")
                        + "\"count\": " + Math.min(10, tasks - placed) + "}");
                placed += r.get("tasks").size();
                r.get("tasks").forEach(t -> running.add(new Reporter(t.get("taskArn").asText(),
                        AgentStates.InstanceRef.parse(t.get("containerInstanceArn").asText()).orElseThrow())));
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
            long heapBefore = usedHeap();
            // An hour of stats per task, as agents reporting every 10 s leave it (one kept per 30 s).
            long rounds = TaskStatsBook.WINDOW.dividedBy(TaskStatsBook.SPACING);
            for (int round = 0; groups > 0 && round <= rounds; round++) {
                for (Reporter t : running) {
                    stats.record(t.instance(), t.pushed(), new TaskStatsReport.TaskUsage(t.arn(), 0.125, 64L << 20));
                }
                now.set(now.get().plus(TaskStatsBook.SPACING));
            }
            long statsHeap = usedHeap() - heapBefore;
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
            System.out.printf("| clusters | hosts | tasks | groups | sample lines | bytes | CPU ms p50 | wall ms p50 "
                    + "| wall ms p99 | stats heap MB |%n");
            System.out.printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
            System.out.printf("| %,d | %,d | %,d | %,d | %,d | %,d | %.2f | %.2f | %.2f | %.1f |%n", clusters,
                    clusters * hostsPerCluster, placed, stats.useByGroup().size(), lines, last.length,
                    cpu[scrapes / 2] / 1e6, nanos[scrapes / 2] / 1e6, nanos[scrapes * 99 / 100] / 1e6, statsHeap / 1e6);
            System.out.printf("(task stats: %,d samples kept for %,d tasks)%n",
                    running.stream().mapToInt(t -> stats.history(t.arn()).size()).sum(), stats.taskCount());
            System.out.printf("(%d scrapes after 50 of warm-up; JVM %s)%n", scrapes,
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getVmVersion());
        }
        System.exit(0);
    }

    /** A task and the agent that reports it (the instance RunTask placed it on). */
    private record Reporter(String arn, AgentStates.InstanceRef instance) {
        Optional<TaskAssignment> pushed() {
            return Optional.of(TaskAssignment.of(Task.builder().taskArn(arn).build(), TaskDefinition.builder().build()));
        }
    }

    /** The heap in use after a collection (a rough figure: the collector may not get everything). */
    private static long usedHeap() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
