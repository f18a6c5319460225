package dev.stevedore.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ecs.EcsApi;
import dev.stevedore.store.InMemoryStateStore;
import dev.stevedore.store.SqliteStateStore;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.etcd.EtcdLocation;
import dev.stevedore.store.etcd.EtcdStateStore;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Placement at scale, end to end through the RunTask operation, the plan applier and the durable
 * SQLite store: N simulated hosts over three zones, tasks of mixed sizes placed with
 * spread(zone) + binpack(memory) and a memberOf constraint, simulated agents acknowledging them.
 * Ends with an over-commit check of every host.
 *
 * <p>A warm-up round on a cluster of its own comes first (JIT compilation of the whole path took
 * about 40% of the CPU of a cold 15-second run), unless {@code warmup-tasks} is 0.
 *
 * <p>Usage: {@code bench/run-placement-scale.sh [hosts] [tasks] [callers=64] [warmup-tasks=50000] [rounds=3]};
 * {@code STEVEDORE_SCALE_STORE=memory} swaps the SQLite store for the in-memory one, to see what the
 * durable store costs; {@code STEVEDORE_SCALE_STORE=etcd://host:port,…} for the store in etcd
 * ({@code bench/run-placement-scale-etcd.sh} starts a three-member etcd and runs both).
 */
public final class PlacementScaleBenchmark {
    private static final String[] FAMILIES = {"tiny", "small", "medium"};
    private static final int[][] SIZES = {{64, 128}, {256, 512}, {512, 1024}};  // cpu, memory
    /** Simulated agents reporting at once; real hosts report independently of each other. */
    private static final int REPORTERS = 16;

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int callers = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int warmupTasks = args.length > 3 ? Integer.parseInt(args[3]) : 50_000;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        Path dir = Files.createTempDirectory("stevedore-scale");
        String storeChoice = System.getenv().getOrDefault("STEVEDORE_SCALE_STORE", "sqlite");
        try (StateStore store = openStore(storeChoice, dir);
             EcsApi api = new EcsApi(store, Clock.systemUTC(), () -> "http://127.0.0.1:1")) {
            SimulatedHosts sim = new SimulatedHosts(api);
            for (int f = 0; f < FAMILIES.length; f++) {
                sim.call("RegisterTaskDefinition", "{\"family\": \"" + FAMILIES[f] + "\", \"containerDefinitions\": "
                        + "[{\"name\": \"app\", \"image\": \"busybox\", \"cpu\": " + SIZES[f][0] + ", \"memory\": "
                        + SIZES[f][1] + "}]}");
            }
            if (warmupTasks > 0) {
                Round warm = round(sim, "warmup", hosts, warmupTasks, callers);
                System.out.printf("warm-up: %,d tasks on %,d hosts, %,.0f placements/s%n", warm.placed,
                        hosts, warm.placed / warm.seconds);
            }
            System.out.printf("%n| round | hosts | tasks placed | failures | seconds | placements/s | RunTask(10) p50 ms | p99 ms | CPU s | heap after GC MiB | over-committed hosts |%n");
            System.out.printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
            List<Double> rates = new ArrayList<>();
            int overCommitted = 0;
            for (int n = 1; n <= rounds; n++) {
                // Each round on a fresh cluster of its own, so every round starts from empty hosts.
                String cluster = "scale-" + n;
                Round r = round(sim, cluster, hosts, tasks, callers);
                Runtime rt = Runtime.getRuntime();
                System.gc();
                long heapMiB = (rt.totalMemory() - rt.freeMemory()) >> 20;
                OverCommit check = checkOverCommit(sim, cluster, r.instances);
                overCommitted += check.overCommitted;
                rates.add(r.placed / r.seconds);
                System.out.printf("| %d | %,d | %,d | %,d | %.1f | %,.0f | %.2f | %.2f | %.1f | %d | %d |%n", n, hosts, r.placed,
                        r.failed, r.seconds, r.placed / r.seconds, pct(r.latencies, 50), pct(r.latencies, 99), r.cpuSeconds,
                        heapMiB, check.overCommitted);
                if (check.overCommitted > 0) {
                    System.out.println("OVER-COMMIT: " + check.detail);
                }
            }
            rates.sort(null);
            System.out.printf("store: %s%n", storeChoice);
            System.out.printf("median of %d rounds: %,.0f placements/s (registration of %,d hosts per round; state.db %,d KiB at the end; "
                            + "%d callers, %d reporters; JVM %s)%n", rounds, rates.get(rates.size() / 2), hosts,
                    Files.exists(dir.resolve("state.db")) ? Files.size(dir.resolve("state.db")) >> 10 : 0, callers, REPORTERS,
                    ManagementFactory.getRuntimeMXBean().getVmVersion());
            if (overCommitted > 0) {
                System.exit(1);
            }
        }
        System.exit(0);
    }

    /** {@code sqlite} (the default), {@code memory}, or an {@code etcd://…} address (see EtcdLocation). */
    private static StateStore openStore(String choice, Path dir) {
        if ("memory".equals(choice)) {
            return new InMemoryStateStore();
        }
        if (EtcdLocation.isEtcdAddress(choice)) {
            return EtcdStateStore.open(EtcdLocation.parse(choice));
        }
        return SqliteStateStore.open(dir.resolve("state.db"));
    }

    /** One measured placement run on its own cluster. */
    private record Round(List<String> instances, double registerSeconds, long placed, long failed, double seconds,
                         long[] latencies, double cpuSeconds) {
    }

    private static Round round(SimulatedHosts sim, String cluster, int hosts, int tasks, int callers) {
        sim.call("CreateCluster", "{\"clusterName\": \"" + cluster + "\"}");
        long t0 = System.nanoTime();
        List<String> instances = sim.register(cluster, hosts);
        double registerSeconds = (System.nanoTime() - t0) / 1e9;

        AtomicInteger remaining = new AtomicInteger(tasks / 10);
        AtomicLong placed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        java.util.concurrent.LinkedBlockingQueue<String> toAcknowledge = new java.util.concurrent.LinkedBlockingQueue<>();
        long cpu0 = processCpuNanos();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < callers; c++) {
                int caller = c;
                pool.execute(() -> {
                    int n = 0;
                    while (remaining.getAndDecrement() > 0) {
                        String family = FAMILIES[(caller + n++) % FAMILIES.length];
                        long s = System.nanoTime();
                        JsonNode r = sim.call("RunTask", "{\"cluster\": \"" + cluster + "\", \"taskDefinition\": \"" + family
                                + "\", \"count\": 10, \"placementStrategy\": ["
                                + "{\"type\": \"spread\", \"field\": \"attribute:ecs.availability-zone\"},"
                                + "{\"type\": \"binpack\", \"field\": \"memory\"}],"
                                + "\"placementConstraints\": [{\"type\": \"memberOf\", \"expression\": \"attribute:rack != r39\"}]}");
                        latencies.add(System.nanoTime() - s);
                        placed.addAndGet(r.get("tasks").size());
                        failed.addAndGet(r.get("failures").size());
                        if (n % 4 == 0) {
                            r.get("tasks").forEach(t -> toAcknowledge.add(t.get("taskArn").asText()));
                        }
                    }
                });
            }
            // Simulated agents acknowledge a quarter of the tasks while placement goes on.
            for (int a = 0; a < REPORTERS; a++) {
                pool.execute(() -> {
                    try {
                        while (remaining.get() > 0 || !toAcknowledge.isEmpty()) {
                            String arn = toAcknowledge.poll(50, TimeUnit.MILLISECONDS);
                            if (arn != null) {
                                sim.acknowledgeRunning(cluster, arn);
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
        long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Round(instances, registerSeconds, placed.get(), failed.get(), seconds, lat, cpuSeconds);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private record OverCommit(int overCommitted, String detail) {
    }

    /** Every host's remaining CPU and memory must be non-negative and equal registered minus its tasks. */
    private static OverCommit checkOverCommit(SimulatedHosts sim, String cluster, List<String> instances)
            throws InterruptedException {
        Map<String, int[]> reserved = new HashMap<>();
        String token = null;
        do {
            JsonNode page = sim.call("ListTasks", "{\"cluster\": \"" + cluster + "\", \"maxResults\": 100"
                    + (token == null ? "" : ", \"nextToken\": \"" + token + "\"") + "}");
            List<String> arns = new ArrayList<>();
            page.get("taskArns").forEach(a -> arns.add("\"" + a.asText() + "\""));
            if (!arns.isEmpty()) {
                JsonNode described = sim.call("DescribeTasks", "{\"cluster\": \"" + cluster + "\", \"tasks\": [" + String.join(",", arns) + "]}");
                for (JsonNode t : described.get("tasks")) {
                    String family = t.get("taskDefinitionArn").asText().replaceAll(".*/([a-z]+):\\d+", "$1");
                    int[] size = SIZES[Arrays.asList(FAMILIES).indexOf(family)];
                    reserved.merge(t.get("containerInstanceArn").asText(), size.clone(),
                            (a, b) -> new int[] {a[0] + b[0], a[1] + b[1]});
                }
            }
            token = page.path("nextToken").isMissingNode() || page.get("nextToken").isNull() ? null : page.get("nextToken").asText();
        } while (token != null);
        TimeUnit.SECONDS.sleep(1);  // let the applier write the last acknowledged counters
        int bad = 0;
        StringBuilder detail = new StringBuilder();
        for (int i = 0; i < instances.size(); i += 100) {
            List<String> chunk = instances.subList(i, Math.min(instances.size(), i + 100));
            JsonNode d = sim.call("DescribeContainerInstances", "{\"cluster\": \"" + cluster + "\", \"containerInstances\": [\""
                    + String.join("\",\"", chunk) + "\"]}");
            for (JsonNode ci : d.get("containerInstances")) {
                int cpu = 0;
                int mem = 0;
                for (JsonNode r : ci.get("remainingResources")) {
                    if (r.get("name").asText().equals("CPU")) {
                        cpu = r.get("integerValue").asInt();
                    } else if (r.get("name").asText().equals("MEMORY")) {
                        mem = r.get("integerValue").asInt();
                    }
                }
                int[] used = reserved.getOrDefault(ci.get("containerInstanceArn").asText(), new int[2]);
                if (cpu < 0 || mem < 0 || cpu != 4096 - used[0] || mem != 16384 - used[1]) {
                    bad++;
                    if (detail.length() < 500) {
                        detail.append(ci.get("containerInstanceArn").asText()).append(" cpu=").append(cpu)
                                .append(" mem=").append(mem).append(" used=").append(Arrays.toString(used)).append("; ");
                    }
                }
            }
        }
        return new OverCommit(bad, detail.toString());
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
    }
}
