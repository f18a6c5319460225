package dev.stevedore.bench.scale;

import dev.stevedore.control.ecs.ControllerSettings;
import dev.stevedore.control.ecs.EcsApi;
import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.control.ecs.feed.FeedEvent;
import dev.stevedore.control.ecs.feed.TaskSummary;
import dev.stevedore.control.ecs.service.rollout.RolloutSettings;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.Resource;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.SqliteStateStore;
import dev.stevedore.store.StateStore;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Delayed;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service scheduler at scale, end to end through the real operations, the controller, the plan
 * applier and the durable SQLite store: N simulated hosts over three zones, S services of T tasks
 * each created at once, then a deployment of all of them at once (every task replaced). Simulated
 * agents follow the cluster feed and report each new task RUNNING and each task told to stop
 * STOPPED, as real agents would. Measures the time until every service is steady (one deployment,
 * COMPLETED, running = desired), the placements per second, the process CPU, the store's commits
 * (revisions), and ends with an over-commit check of every host.
 *
 * <p>Warm-up rounds come first, each on a cluster of its own with a third as many fresh hosts: each
 * creates, deploys and deletes as many services. Their figures (on stderr, with the JIT's and the garbage
 * collector's share of each phase) show what a cold server pays. On stderr too, for each phase:
 * CPU by thread until every task was placed, and the phase's wall-clock bounds (to cut a profile).
 *
 * <p>Tasks count as healthy as soon as they run (the 40-second wait ECS applies to tasks without a
 * health check is a fixed delay, not work, and is left out so the figure measures the scheduler).
 *
 * <p>Usage: {@code bench/run-service-scale.sh [hosts=10000] [services=1000] [tasks-per-service=10] [start-ms=0]};
 * {@code start-ms} is how long a simulated container takes to start (the agents report RUNNING
 * that long after a task appears; 0: at once, so reports compete with placement for the CPU).
 */
public final class ServiceScaleBenchmark {
    private static final int REPORTERS = 16;
    private static final int CPU = 256;
    private static final int MEMORY = 512;
    /** The cluster of the round being run: warm-up rounds, each on a cluster of its own, come first. */
    private static String CLUSTER = "svc-warmup-1";
    /** What the current round's service names start with. */
    private static String NAMES = "s";
    private static final int WARM_UP_ROUNDS = 3;

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int services = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int perService = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        // How long a simulated container takes to start: agents report RUNNING this long after a task appears.
        long startMillis = args.length > 3 ? Long.parseLong(args[3]) : 0;
        Path dir = Files.createTempDirectory("stevedore-service-scale");
        ControllerSettings settings = ControllerSettings.defaults()
                .withRollout(new RolloutSettings(Duration.ZERO, Duration.ofSeconds(2)));
        try (StateStore store = SqliteStateStore.open(dir.resolve("state.db"));
             EcsApi api = new EcsApi(store, Clock.systemUTC(), () -> "http://127.0.0.1:1", settings)) {
            SimulatedHosts sim = new SimulatedHosts(api);
            for (String image : List.of("app:1", "app:2")) {
                sim.call("RegisterTaskDefinition", "{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\", "
                        + "\"image\": \"" + image + "\", \"cpu\": " + CPU + ", \"memory\": " + MEMORY + "}]}");
            }
            try (Agents agents = new Agents(sim, api.clusterFeed(), startMillis)) {
                // Warm-up rounds, each on a cluster of its own of fresh hosts (a third as many), as
                // many services created, deployed and deleted: a cold run spends most of its CPU in the
                // JIT, and a code path taken once per service is compiled fully only after thousands of
                // passes. Fresh hosts each round, as in the measured round: code compiled only on hosts
                // that already held tasks is thrown away (deoptimized) at the first empty cluster.
                for (int round = 1; round <= WARM_UP_ROUNDS; round++) {
                    CLUSTER = "svc-warmup-" + round;
                    sim.call("CreateCluster", "{\"clusterName\": \"" + CLUSTER + "\"}");
                    sim.register(CLUSTER, Math.max(1, hosts / 3), 32);
                    NAMES = "w" + round + "-s";
                    phase(store, agents, "warm-up " + round, services, perService, ":1", s -> createService(sim, s, perService));
                    phase(store, agents, "warm-up " + round, services, perService, ":2", s -> deploy(sim, s));
                    deleteAll(store, sim, services);
                }
                NAMES = "s";
                System.out.printf("warm-up: %d rounds of %,d services of %d tasks created, deployed and deleted%n",
                        WARM_UP_ROUNDS, services, perService);

                CLUSTER = "svc-scale";
                sim.call("CreateCluster", "{\"clusterName\": \"" + CLUSTER + "\"}");
                long t0 = System.nanoTime();
                List<String> instances = sim.register(CLUSTER, hosts, 32);
                System.out.printf("registered %,d hosts in %.1f s%n", instances.size(), (System.nanoTime() - t0) / 1e9);
                System.out.printf("%n| phase | services × tasks | all placed, s | task placements/s | all steady, s | CPU s "
                        + "| store commits | tasks reported | over-committed hosts |%n|---|---:|---:|---:|---:|---:|---:|---:|---:|%n");
                Phase create = phase(store, agents, "create " + services + " services at once", services, perService, ":1",
                        s -> createService(sim, s, perService));
                report(create, store, instances);
                Phase deploy = phase(store, agents, "deploy all " + services + " at once", services, perService, ":2",
                        s -> deploy(sim, s));
                int bad = report(deploy, store, instances);
                System.out.printf("%nsimulated container start %d ms; JVM %s, %d cores, heap max %,d MiB, state.db %,d KiB%n",
                        startMillis, ManagementFactory.getRuntimeMXBean().getVmVersion(), Runtime.getRuntime().availableProcessors(),
                        Runtime.getRuntime().maxMemory() >> 20, Files.size(dir.resolve("state.db")) >> 10);
                System.exit(bad == 0 ? 0 : 1);
            }
        }
    }

    /**
     * @param placedSeconds from the first call to the last task of the phase placed (committed)
     * @param seconds       from the first call to every service steady
     */
    private static void createService(SimulatedHosts sim, int s, int perService) {
        sim.call("CreateService", "{\"cluster\": \"" + CLUSTER + "\", \"serviceName\": \"" + NAMES + s
                + "\", \"taskDefinition\": \"app:1\", \"desiredCount\": " + perService + "}");
    }

    private static void deploy(SimulatedHosts sim, int s) {
        sim.call("UpdateService", "{\"cluster\": \"" + CLUSTER + "\", \"service\": \"" + NAMES + s
                + "\", \"taskDefinition\": \"app:2\"}");
    }

    /** Deletes the round's services (force) and waits until every one is INACTIVE, its tasks stopped. */
    private static void deleteAll(StateStore store, SimulatedHosts sim, int services) throws InterruptedException {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < services; s++) {
                int n = s;
                pool.execute(() -> sim.call("DeleteService", "{\"cluster\": \"" + CLUSTER + "\", \"service\": \""
                        + NAMES + n + "\", \"force\": true}"));
            }
        }
        long start = System.nanoTime();
        while (store.range(servicesPrefix()).stream().anyMatch(kv -> !"INACTIVE".equals(
                Records.decode(kv.value(), SteadyView.class).status()))) {
            TimeUnit.MILLISECONDS.sleep(250);
            if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
                throw new IllegalStateException("services not INACTIVE 10 minutes after DeleteService");
            }
        }
    }

    private static String servicesPrefix() {
        return "/ecs/" + SimulatedHosts.ACCOUNT + "/" + SimulatedHosts.REGION + "/services/" + CLUSTER + "/" + NAMES;
    }

    private record Phase(String name, int services, int perService, double placedSeconds, double seconds,
                         double cpuSeconds, long commits, long reported) {
    }

    private static Phase phase(StateStore store, Agents agents, String name, int services, int perService, String td,
                               java.util.function.IntConsumer call) throws InterruptedException {
        long rev0 = store.currentRevision();
        long reported0 = agents.reported.get();
        long cpu0 = cpuNanos();
        Map<String, Long> threads0 = cpuByThread();
        long gc0 = gcMillis();
        long jit0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        long start = System.nanoTime();
        agents.placedSince(start, services * perService);
        // Every call at once, each on its own virtual thread, as a thousand clients would send them.
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < services; s++) {
                int service = s;
                pool.execute(() -> call.accept(service));
            }
        }
        long callsNanos = System.nanoTime() - start;
        while (!agents.allPlaced() && System.nanoTime() - start < TimeUnit.MINUTES.toNanos(10)) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        // Where the CPU went until every task was placed, by thread (numbers folded): on stderr, to
        // find the busiest thread (the plan applier is one thread, and a bound when it is always busy).
        Map<String, Long> threads1 = cpuByThread();
        long placedNanos = System.nanoTime() - start;
        StringBuilder byThread = new StringBuilder();
        threads1.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue() - threads0.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > placedNanos / 100).sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> byThread.append(String.format(" %s %.2f;", e.getKey(), e.getValue() / 1e9)));
        System.err.printf("phase %s: every call answered by %d ms; placed by time:%s%n", name, callsNanos / 1_000_000,
                agents.placedProfile(0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1));
        System.err.printf("phase %s: until all placed (%.2f s): process CPU %.2f s, GC pauses %d ms, JIT %d ms; by thread:%s%n",
                name, placedNanos / 1e9, (cpuNanos() - cpu0) / 1e9, gcMillis() - gc0,
                ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0, byThread);
        while (!allSteady(store, services, perService, td)) {
            TimeUnit.MILLISECONDS.sleep(250);
            if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
                throw new IllegalStateException(name + ": not steady after 10 minutes");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // Wall-clock bounds on stderr, to cut a profile (e.g. a flight recording) to the phase.
        System.err.printf("phase %s: %s to %s%n", name, java.time.Instant.now().minusNanos((long) (seconds * 1e9)),
                java.time.Instant.now());
        return new Phase(name, services, perService, (agents.lastPlacedNanos() - start) / 1e9, seconds,
                (cpuNanos() - cpu0) / 1e9, store.currentRevision() - rev0, agents.reported.get() - reported0);
    }

    private static int report(Phase p, StateStore store, List<String> instances) throws InterruptedException {
        TimeUnit.SECONDS.sleep(2);  // the stops' reports and the applier's last instance writes land
        int bad = overCommitted(store);
        System.out.printf("| %s | %,d × %d | %.2f | %,.0f | %.1f | %.1f | %,d | %,d | %d |%n", p.name, p.services,
                p.perService, p.placedSeconds, p.services * p.perService / p.placedSeconds, p.seconds, p.cpuSeconds,
                p.commits, p.reported, bad);
        return bad;
    }

    /** Every service has one deployment of {@code td}, COMPLETED, with running = desired. */
    private static boolean allSteady(StateStore store, int services, int perService, String td) {
        int steady = 0;
        for (KeyValue kv : store.range(servicesPrefix())) {
            SteadyView s = Records.decode(kv.value(), SteadyView.class);
            if (s.deployments().size() == 1 && "COMPLETED".equals(s.deployments().getFirst().rolloutState())
                    && s.runningCount() == perService && s.taskDefinition().endsWith(td)) {
                steady++;
            }
        }
        return steady == services;
    }

    /** The members of a stored service the steady check reads; the rest of the record is skipped. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record SteadyView(String status, List<DeploymentView> deployments, int runningCount, String taskDefinition) {
    }

    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record DeploymentView(String rolloutState) {
    }

    /** Hosts whose remaining resources are negative or differ from registered minus their unstopped tasks. */
    private static int overCommitted(StateStore store) {
        String prefix = "/ecs/" + SimulatedHosts.ACCOUNT + "/" + SimulatedHosts.REGION + "/";
        Map<String, Integer> tasksOn = new HashMap<>();
        for (KeyValue kv : store.range(prefix + "tasks/" + CLUSTER + "/")) {
            TaskSummary t = Records.decode(kv.value(), TaskSummary.class);
            if (!t.isStopped()) {
                tasksOn.merge(t.containerInstanceArn(), 1, Integer::sum);
            }
        }
        int bad = 0;
        for (KeyValue kv : store.range(prefix + "container-instances/" + CLUSTER + "/")) {
            ContainerInstance i = Records.decode(kv.value(), ContainerInstance.class);
            int n = tasksOn.getOrDefault(i.containerInstanceArn(), 0);
            int cpu = value(i.remainingResources(), "CPU");
            int mem = value(i.remainingResources(), "MEMORY");
            if (cpu < 0 || mem < 0 || cpu != 4096 - n * CPU || mem != 16384 - n * MEMORY) {
                bad++;
            }
        }
        return bad;
    }

    private static int value(List<Resource> resources, String name) {
        return resources.stream().filter(r -> name.equals(r.name())).mapToInt(Resource::integerValue).findFirst().orElse(0);
    }

    /** CPU time of the live platform threads, summed by name with digits folded ("worker-N"). */
    private static Map<String, Long> cpuByThread() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> byName = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null) {
                long cpu = mx.getThreadCpuTime(info.getThreadId());
                if (cpu > 0) {
                    byName.merge(info.getThreadName().replaceAll("\\d+", "N"), cpu, Long::sum);
                }
            }
        }
        return byName;
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> b.getCollectionTime()).sum();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Simulated agents: report a new task RUNNING, and a task told to stop STOPPED. */
    private static final class Agents implements AutoCloseable {
        private final SimulatedHosts sim;
        private final ClusterFeed.Subscription subscription;
        private final DelayQueue<Report> reports = new DelayQueue<>();
        private final long startNanos;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        final AtomicLong reported = new AtomicLong();
        /** New tasks seen since the phase began, and when the last of the expected number was seen. */
        private final AtomicLong placed = new AtomicLong();
        private volatile long expected;
        private volatile long lastPlaced;

        /** When each of the phase's tasks was seen placed, from the phase's start. */
        private volatile long[] placedAt = new long[0];
        private volatile long phaseStart;

        void placedSince(long startNanos, long count) {
            placedAt = new long[(int) count];
            phaseStart = startNanos;
            placed.set(0);
            expected = count;
            lastPlaced = startNanos;
        }

        /** Milliseconds from the phase's start until the given fractions of its tasks were placed. */
        String placedProfile(double... fractions) {
            long[] at = placedAt;
            StringBuilder out = new StringBuilder();
            for (double f : fractions) {
                int k = Math.min(at.length - 1, Math.max(0, (int) Math.ceil(f * at.length) - 1));
                out.append(String.format(" %.0f%% %.0f ms;", f * 100, (at[k] - phaseStart) / 1e6));
            }
            return out.toString();
        }

        long lastPlacedNanos() {
            return lastPlaced;
        }

        boolean allPlaced() {
            return placed.get() >= expected;
        }

        /** A report to make once its time has come. */
        private record Report(String taskArn, String status, long dueNanos) implements Delayed {
            @Override
            public long getDelay(TimeUnit unit) {
                return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
            }

            @Override
            public int compareTo(Delayed o) {
                return Long.compare(dueNanos, ((Report) o).dueNanos);
            }
        }

        Agents(SimulatedHosts sim, ClusterFeed feed, long startMillis) {
            this.sim = sim;
            this.startNanos = TimeUnit.MILLISECONDS.toNanos(startMillis);
            this.subscription = feed.subscribeAll(this::onEvents);
            for (int i = 0; i < REPORTERS; i++) {
                pool.execute(this::report);
            }
        }

        private void onEvents(List<FeedEvent> events) {
            for (FeedEvent e : events) {
                if (e.task().isEmpty()) {
                    continue;
                }
                TaskSummary t = e.task().get();
                if (t.wanted() && "PENDING".equals(t.lastStatus())) {
                    long n;
                    if (t.versionOrZero() == 1 && (n = placed.incrementAndGet()) <= expected) {
                        lastPlaced = System.nanoTime();
                        placedAt[(int) n - 1] = lastPlaced;
                    }
                    reports.add(new Report(t.taskArn(), "RUNNING", System.nanoTime() + startNanos));
                } else if (!t.wanted() && !t.isStopped()) {
                    reports.add(new Report(t.taskArn(), "STOPPED", System.nanoTime()));
                }
            }
        }

        private void report() {
            try {
                while (!closed.get()) {
                    Report r = reports.poll(100, TimeUnit.MILLISECONDS);
                    if (r != null) {
                        String cluster = r.taskArn().split("/")[1];  // arn:aws:ecs:region:account:task/cluster/id
                        sim.call("SubmitTaskStateChange", "{\"cluster\": \"" + cluster + "\", \"task\": \"" + r.taskArn()
                                + "\", \"status\": \"" + r.status() + "\"}");
                        reported.incrementAndGet();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            closed.set(true);
            subscription.close();
            pool.close();
        }
    }
}
