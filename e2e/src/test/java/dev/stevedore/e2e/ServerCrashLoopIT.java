package dev.stevedore.e2e;

import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.channel.AgentChannelClient;
import dev.stevedore.agent.channel.ChannelClientSettings;
import dev.stevedore.agent.channel.ChannelUrlSigner;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.Task;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the server again and again under mixed load (task definition registrations, RunTask
 * with client tokens, StopTask, agents' task state reports), each restart followed by a check of
 * what must survive: no acknowledged write lost, no task placed twice, no instance over-committed,
 * no revision reused or skipped. API only: the hosts are registered through the API and their
 * agents are channel clients that run nothing, so the load reports task states as an agent would.
 *
 * <p>{@code -Dcrashloop.rounds=N} sets the number of kills (20 by default); {@code -Dcrashloop.seed}
 * replays a run's random choices of operations and kill moments (not the server's timing).
 */
@StartEarly
class ServerCrashLoopIT {
    private static final String CLUSTER = "crash-loop";
    private static final String FAMILY = "crash-loop";
    private static final int HOSTS = 4;
    private static final int HOST_CPU = 1024;
    private static final int HOST_MEMORY = 2048;
    /** A quarter of a host, so 16 fit in the cluster and RunTask often fails placement. */
    private static final int TASK_CPU = 256;
    private static final int TASK_MEMORY = 512;
    private static final int LOAD_THREADS = 3;
    /** The task statuses at or after RUNNING, as the agent and the control plane move them forward. */
    private static final List<String> FROM_RUNNING = List.of("RUNNING", "DEACTIVATING", "STOPPING",
            "DEPROVISIONING", "STOPPED");

    /** What an invariant check found wrong; {@code kind} says which figure of the benchmark it counts in. */
    record Violation(int round, Kind kind, String message) {
        enum Kind { LOST, DUPLICATE, OVER_COMMIT, INCONSISTENT }
    }

    /** One RunTask call: the same token and parameters on every attempt; its answer once one is acknowledged. */
    record RunCall(String token, int count, AtomicReference<Map<String, String>> placed) {
        RunTaskRequest request() {
            return RunTaskRequest.builder().cluster(CLUSTER).taskDefinition(FAMILY).count(count)
                    .startedBy(token).clientToken(token).build();
        }
    }

    // Acknowledged writes, over all rounds.
    private final Set<Integer> revisions = new ConcurrentSkipListSet<>();
    private final Map<String, RunCall> runs = new ConcurrentHashMap<>();
    /** Acknowledged task ARN → the container instance RunTask answered it placed on. */
    private final Map<String, String> placed = new ConcurrentHashMap<>();
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();
    private final Set<String> reportedRunning = ConcurrentHashMap.newKeySet();
    private final Set<String> reportedStopped = ConcurrentHashMap.newKeySet();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final AtomicInteger tokens = new AtomicInteger();
    /** Rounds after whose restart an instance's remaining resources were stale at the first look (then corrected). */
    private final AtomicInteger staleAfterRestart = new AtomicInteger();
    private final List<Violation> violations = new ArrayList<>();

    @Test
    void acknowledgedWritesSurviveRepeatedSigkillUnderLoad() throws Exception {
        int rounds = Integer.getInteger("crashloop.rounds", 20);
        long seed = Long.getLong("crashloop.seed", System.nanoTime());
        Random random = new Random(seed);
        Path dataDir = Files.createTempDirectory("stevedore-crash-loop");
        int port = StevedoreProcess.freePort();
        Instant began = Instant.now();
        // The hosts' agents never go away here; an hour keeps the host-lost controller from stopping tasks.
        String[] options = {"--host-lost-after", "3600"};
        List<AgentChannelClient> agents = new ArrayList<>();
        StevedoreProcess server = StevedoreProcess.start(dataDir, port, options);
        try {
            List<String> hosts = registerHosts(server);
            // The family's first revision before the first kill: a RunTask the kill leaves unanswered is sent
            // again after the restart and must find a revision to run (on a loaded machine the first round's
            // load could end before any registration was acknowledged, and every RunTask sent again failed).
            try (EcsClient ecs = server.ecs()) {
                revisions.add(register(ecs));
                acknowledged.incrementAndGet();
            }
            for (String host : hosts) {
                agents.add(agent(host, port));
            }
            awaitAgentsConnected(server, hosts.size());
            for (int round = 1; round <= rounds; round++) {
                int before = acknowledged.get();
                long loadMillis = 600 + random.nextInt(1600);
                runLoadThenKill(server, random, loadMillis);
                Instant killed = Instant.now();
                server = StevedoreProcess.start(dataDir, port, options);
                // Checked once the agents are back, as a real restart would be followed.
                awaitAgentsConnected(server, hosts.size());
                long backMillis = Duration.between(killed, Instant.now()).toMillis();
                int violationsBefore = violations.size();
                int staleBefore = staleAfterRestart.get();
                int retried = check(server, round, random);
                System.out.printf("crash loop round %d: killed after %d ms of load, back with its agents in %d ms,"
                                + " %d writes acknowledged, %d RunTask sent again, %d violations%s%n", round,
                        loadMillis, backMillis, acknowledged.get() - before, retried,
                        violations.size() - violationsBefore,
                        staleAfterRestart.get() > staleBefore ? ", remaining resources stale at first look" : "");
            }
        } finally {
            Closeables.closeAll(agents.toArray(AutoCloseable[]::new));
            server.close();
        }
        Duration took = Duration.between(began, Instant.now());
        Map<Violation.Kind, Long> byKind = new HashMap<>();
        violations.forEach(v -> byKind.merge(v.kind(), 1L, Long::sum));
        System.out.printf("crash loop: seed %d, %d rounds, %d writes acknowledged (%d revisions, %d tasks placed,"
                        + " %d stops, %d RUNNING and %d STOPPED reports), %d kills, lost %d, duplicates %d,"
                        + " over-commits %d, other %d, remaining resources stale at first look in %d rounds, %d s%n",
                seed, rounds, acknowledged.get(), revisions.size(), placed.size(), stopped.size(),
                reportedRunning.size(), reportedStopped.size(), rounds,
                byKind.getOrDefault(Violation.Kind.LOST, 0L), byKind.getOrDefault(Violation.Kind.DUPLICATE, 0L),
                byKind.getOrDefault(Violation.Kind.OVER_COMMIT, 0L), byKind.getOrDefault(Violation.Kind.INCONSISTENT, 0L),
                staleAfterRestart.get(), took.toSeconds());
        assertThat(violations).as("invariant violations (seed %d)", seed).isEmpty();
    }

    private static List<String> registerHosts(StevedoreProcess server) {
        try (EcsClient ecs = server.ecs()) {
            return ApiHosts.register(ecs, CLUSTER, HOSTS, HOST_CPU, HOST_MEMORY);
        }
    }

    /**
     * A host's agent: connected over the channel (placement needs it), running nothing. It
     * reconnects by itself after each restart on the same port; a short back-off keeps rounds short.
     */
    private static AgentChannelClient agent(String host, int port) {
        ChannelClientSettings settings = new ChannelClientSettings(Duration.ofSeconds(20), Duration.ofSeconds(2),
                Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(60));
        return new AgentChannelClient(host, () -> URI.create("http://127.0.0.1:" + port),
                new ChannelUrlSigner(AgentCredentials.of(InProcessStevedore.ACCESS_KEY, InProcessStevedore.SECRET_KEY),
                        InProcessStevedore.REGION, Duration.ofMinutes(5), Clock.systemUTC()),
                desired -> { }, settings).start();
    }

    private static void awaitAgentsConnected(StevedoreProcess server, int hosts) throws InterruptedException {
        ApiHosts.awaitAgentsConnected(server, CLUSTER, hosts, Duration.ofSeconds(30));
    }

    /** Mixed load from a few threads, then SIGKILL while their requests are in flight. */
    private void runLoadThenKill(StevedoreProcess server, Random random, long loadMillis) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(LOAD_THREADS);
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < LOAD_THREADS; t++) {
            long threadSeed = random.nextLong();
            load.add(pool.submit(() -> {
                Random own = new Random(threadSeed);
                try (EcsClient ecs = server.ecs()) {
                    while (!stop.get()) {
                        oneWrite(ecs, own);
                    }
                }
                return null;
            }));
        }
        Thread.sleep(loadMillis);
        server.kill();
        stop.set(true);
        pool.shutdown();
        for (Future<?> f : load) {
            f.get(60, TimeUnit.SECONDS);  // a failure of the load itself (not of a call) fails the test here
        }
    }

    /** One write as a user or an agent would send it; recorded only once acknowledged. */
    private void oneWrite(EcsClient ecs, Random random) {
        int dice = random.nextInt(100);
        try {
            if (dice < 15) {
                int revision = register(ecs);
                revisions.add(revision);
                acknowledged.incrementAndGet();
            } else if (dice < 55) {
                RunCall call = new RunCall("crash-loop-" + tokens.incrementAndGet(), 1 + random.nextInt(3),
                        new AtomicReference<>());
                runs.put(call.token(), call);
                run(ecs, call);
            } else if (dice < 70) {
                pick(random, placed.keySet(), stopped).ifPresent(arn -> {
                    ecs.stopTask(b -> b.cluster(CLUSTER).task(arn).reason("crash loop"));
                    stopped.add(arn);
                    acknowledged.incrementAndGet();
                });
            } else if (dice < 90) {
                pick(random, placed.keySet(), reportedRunning, reportedStopped).ifPresent(arn -> {
                    ecs.submitTaskStateChange(b -> b.cluster(CLUSTER).task(arn).status("RUNNING"));
                    reportedRunning.add(arn);
                    acknowledged.incrementAndGet();
                });
            } else {
                // The agent stops what the control plane wants stopped, and says so: this frees the resources.
                pick(random, stopped, reportedStopped).ifPresent(arn -> {
                    ecs.submitTaskStateChange(b -> b.cluster(CLUSTER).task(arn).status("STOPPED")
                            .reason("stopped by the crash loop's agent"));
                    reportedStopped.add(arn);
                    acknowledged.incrementAndGet();
                });
            }
        } catch (RuntimeException notAcknowledged) {
            // The server died under the call, or refused it: nothing recorded, nothing may be assumed.
        }
    }

    private static int register(EcsClient ecs) {
        return ecs.registerTaskDefinition(b -> b.family(FAMILY).cpu(Integer.toString(TASK_CPU))
                        .memory(Integer.toString(TASK_MEMORY))
                        .containerDefinitions(c -> c.name("app").image("busybox").essential(true)))
                .taskDefinition().revision();
    }

    private void run(EcsClient ecs, RunCall call) {
        Map<String, String> answer = new HashMap<>();
        ecs.runTask(call.request()).tasks().forEach(t -> answer.put(t.taskArn(), t.containerInstanceArn()));
        if (call.placed().compareAndSet(null, answer)) {
            placed.putAll(answer);
            acknowledged.incrementAndGet();
        }
    }

    /** A random element of {@code from} in none of {@code except}, if any. */
    @SafeVarargs
    private static Optional<String> pick(Random random, Set<String> from, Set<String>... except) {
        List<String> candidates = from.stream()
                .filter(a -> java.util.Arrays.stream(except).noneMatch(e -> e.contains(a))).toList();
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(random.nextInt(candidates.size())));
    }

    /**
     * After a restart: RunTask calls never acknowledged are sent again with their token (answered
     * once, whatever happened before the kill), a few acknowledged ones too (the same tasks must come
     * back), then every invariant is checked against the store as the API shows it. Answers how
     * many calls were sent again.
     */
    private int check(StevedoreProcess server, int round, Random random) throws InterruptedException {
        try (EcsClient ecs = server.ecs()) {
            int retried = 0;
            for (RunCall call : runs.values()) {
                if (call.placed().get() == null) {
                    retried++;
                    try {
                        run(ecs, call);
                    } catch (RuntimeException e) {
                        violations.add(new Violation(round, Violation.Kind.INCONSISTENT,
                                "RunTask " + call.token() + " sent again failed: " + e.getMessage()));
                    }
                }
            }
            List<RunCall> answered = runs.values().stream().filter(c -> c.placed().get() != null).toList();
            for (int i = 0; i < Math.min(3, answered.size()); i++) {
                RunCall call = answered.get(random.nextInt(answered.size()));
                Set<String> again = new TreeSet<>();
                ecs.runTask(call.request()).tasks().forEach(t -> again.add(t.taskArn()));
                if (!again.equals(new TreeSet<>(call.placed().get().keySet()))) {
                    violations.add(new Violation(round, Violation.Kind.DUPLICATE, "RunTask " + call.token()
                            + " sent again answered " + again + ", first " + call.placed().get().keySet()));
                }
            }
            checkRevisions(ecs, round);
            Map<String, Task> tasks = allTasks(ecs);
            checkTasks(round, tasks);
            checkInstances(ecs, round, tasks);
            return retried;
        }
    }

    /** (1) Every acknowledged revision is there, revisions are exactly 1..max, and the next one is max+1. */
    private void checkRevisions(EcsClient ecs, int round) {
        List<Integer> present = new ArrayList<>();
        ecs.listTaskDefinitionsPaginator(b -> b.familyPrefix(FAMILY)).taskDefinitionArns()
                .forEach(arn -> present.add(Integer.parseInt(arn.substring(arn.lastIndexOf(':') + 1))));
        for (int revision : revisions) {
            if (!present.contains(revision)) {
                violations.add(new Violation(round, Violation.Kind.LOST, "acknowledged revision " + revision + " missing"));
            }
        }
        int max = present.stream().mapToInt(Integer::intValue).max().orElse(0);
        if (!present.stream().sorted().toList().equals(IntStream.rangeClosed(1, max).boxed().toList())) {
            violations.add(new Violation(round, Violation.Kind.DUPLICATE, "revisions not 1.." + max + ": " + present));
        }
        int next = register(ecs);
        revisions.add(next);
        acknowledged.incrementAndGet();
        if (next != max + 1) {
            violations.add(new Violation(round, Violation.Kind.DUPLICATE,
                    "registration after restart got revision " + next + ", expected " + (max + 1)));
        }
    }

    private static Map<String, Task> allTasks(EcsClient ecs) {
        return ApiHosts.allTasks(ecs, CLUSTER);
    }

    /** (2) to (5): placements, stops and reports are all there; one token, one set of tasks. */
    private void checkTasks(int round, Map<String, Task> tasks) {
        placed.forEach((arn, instance) -> {
            Task t = tasks.get(arn);
            if (t == null) {
                violations.add(new Violation(round, Violation.Kind.LOST, "acknowledged task " + arn + " missing"));
            } else if (!instance.equals(t.containerInstanceArn())) {
                violations.add(new Violation(round, Violation.Kind.LOST, "task " + arn + " placed on " + instance
                        + " is now on " + t.containerInstanceArn()));
            }
        });
        for (String arn : stopped) {
            Optional.ofNullable(tasks.get(arn)).filter(t -> !"STOPPED".equals(t.desiredStatus())).ifPresent(t ->
                    violations.add(new Violation(round, Violation.Kind.LOST, "acknowledged StopTask of " + arn
                            + " lost: desiredStatus " + t.desiredStatus())));
        }
        for (String arn : reportedRunning) {
            Optional.ofNullable(tasks.get(arn)).filter(t -> !FROM_RUNNING.contains(t.lastStatus())).ifPresent(t ->
                    violations.add(new Violation(round, Violation.Kind.LOST, "acknowledged RUNNING report of " + arn
                            + " lost: lastStatus " + t.lastStatus())));
        }
        for (String arn : reportedStopped) {
            Optional.ofNullable(tasks.get(arn)).filter(t -> !"STOPPED".equals(t.lastStatus())).ifPresent(t ->
                    violations.add(new Violation(round, Violation.Kind.LOST, "acknowledged STOPPED report of " + arn
                            + " lost: lastStatus " + t.lastStatus())));
        }
        Map<String, Set<String>> byToken = new HashMap<>();
        tasks.values().forEach(t -> byToken.computeIfAbsent(String.valueOf(t.startedBy()), k -> new TreeSet<>())
                .add(t.taskArn()));
        for (RunCall call : runs.values()) {
            Map<String, String> answer = call.placed().get();
            Set<String> found = byToken.getOrDefault(call.token(), Set.of());
            if (answer == null) {
                // Never acknowledged, even when sent again: whatever it placed must still be one call's worth.
                if (found.size() > call.count()) {
                    violations.add(new Violation(round, Violation.Kind.DUPLICATE, "RunTask " + call.token()
                            + " asked for " + call.count() + " placed " + found.size()));
                }
            } else if (!found.equals(new TreeSet<>(answer.keySet())) || found.size() > call.count()) {
                violations.add(new Violation(round, Violation.Kind.DUPLICATE, "RunTask " + call.token() + " asked for "
                        + call.count() + ", answered " + answer.keySet() + ", the cluster has " + found));
            }
        }
        byToken.keySet().stream().filter(token -> !runs.containsKey(token)).forEach(token ->
                violations.add(new Violation(round, Violation.Kind.DUPLICATE, "tasks of no RunTask call: " + token)));
    }

    /**
     * (6) No instance holds more than it has, and what it says remains is what its tasks leave: a
     * task holds its resources until its last status is STOPPED (the plan applier gives them back
     * when it sees that, and writes the instance record up to 50 ms later).
     *
     * <p>A kill in that window leaves the stored figure stale; the restarted applier reads every
     * cluster with instances at start-up and writes the corrected figure with its first flush, with
     * nothing else happening in the cluster. Rounds whose first look still found the old figure are
     * counted ({@link #staleAfterRestart}); the figure must come right within 10 s by itself.
     */
    private void checkInstances(EcsClient ecs, int round, Map<String, Task> tasks) throws InterruptedException {
        Map<String, int[]> held = new HashMap<>();
        for (Task t : tasks.values()) {
            if (!"STOPPED".equals(t.lastStatus()) && t.containerInstanceArn() != null) {
                int[] sum = held.computeIfAbsent(t.containerInstanceArn(), k -> new int[2]);
                sum[0] += Integer.parseInt(t.cpu());
                sum[1] += Integer.parseInt(t.memory());
            }
        }
        Map<String, String> wrong = remainingMismatches(ecs, round, held);
        if (wrong.isEmpty()) {
            return;
        }
        staleAfterRestart.incrementAndGet();
        Instant deadline = Instant.now().plusSeconds(10);
        while (!wrong.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            wrong = remainingMismatches(ecs, round, held);
        }
        wrong.values().forEach(w -> violations.add(new Violation(round, Violation.Kind.INCONSISTENT, w)));
    }

    /**
     * The instances whose remaining resources are not what their tasks leave, with what is wrong;
     * an instance holding more than it has is a violation at once.
     */
    private Map<String, String> remainingMismatches(EcsClient ecs, int round, Map<String, int[]> held) {
        Map<String, String> wrong = new HashMap<>();
        List<String> arns = ecs.listContainerInstances(b -> b.cluster(CLUSTER)).containerInstanceArns();
        for (ContainerInstance i : ecs.describeContainerInstances(b -> b.cluster(CLUSTER).containerInstances(arns))
                .containerInstances()) {
            int[] sum = held.getOrDefault(i.containerInstanceArn(), new int[2]);
            int cpu = amount(i.registeredResources(), "CPU");
            int memory = amount(i.registeredResources(), "MEMORY");
            if (sum[0] > cpu || sum[1] > memory) {
                violations.add(new Violation(round, Violation.Kind.OVER_COMMIT, i.containerInstanceArn()
                        + " holds tasks of " + sum[0] + " CPU / " + sum[1] + " MiB, has " + cpu + " / " + memory));
                continue;
            }
            int remainingCpu = amount(i.remainingResources(), "CPU");
            int remainingMemory = amount(i.remainingResources(), "MEMORY");
            if (remainingCpu != cpu - sum[0] || remainingMemory != memory - sum[1]) {
                wrong.put(i.containerInstanceArn(), i.containerInstanceArn() + " says " + remainingCpu + " CPU / "
                        + remainingMemory + " MiB remain, its tasks leave " + (cpu - sum[0]) + " / "
                        + (memory - sum[1]));
            }
        }
        return wrong;
    }

    private static int amount(List<Resource> resources, String name) {
        return resources.stream().filter(r -> name.equals(r.name())).mapToInt(Resource::integerValue).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + name + " in " + resources));
    }
}
