package dev.stevedore.bench.tasks;

import dev.stevedore.bench.tasks.DockerHost.ContainerTimes;
import dev.stevedore.bench.tasks.EcsTasks.Seen;
import dev.stevedore.bench.tasks.ProcessMemory.Rss;
import dev.stevedore.bench.tasks.StevedoreProcesses.Jvm;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Tasks on Docker: how long Stevedore takes from RunTask to a RUNNING task, next to starting the
 * same container straight on the same engine ({@code docker run -d}, and docker-java create +
 * start as the agent does it), one at a time and 30 at once; and the agent's resident memory.
 *
 * <p>The control plane and the agent run as their own JVMs from the runnable jar; the harness is
 * an ECS client (AWS SDK v2, SigV4) and a Docker client, nothing more. Kinds are interleaved, with
 * the order rotated every round, so that load from elsewhere on the machine lands on all of them.
 *
 * <p>Usage: {@code bench/run-tasks.sh [samples=50] [warmup=5] [rounds=4] [burst=30] [poll-ms=25]
 * [agent-jvm=launcher|plain|"<options>"] [server-jvm=launcher|plain|"<options>"] [tuned-jvm="<options>"]
 * [memory=true|false] [coalesce-ms=N]}. "launcher" means the options bin/stevedore gives the JVM for
 * that command ({@code up} or {@code agent});
 * {@code coalesce-ms} is an experiment (see {@link ControlPlaneProcess}).
 */
public final class TasksBenchmark {
    static final String IMAGE = "stevedore-test/busybox:latest";
    static final List<String> COMMAND = List.of("sleep", "600");
    static final int MEMORY_MIB = 16;
    /** Lets the engine finish the asynchronous part of a removal (network, mounts) before the next start. */
    static final Duration SETTLE = Duration.ofMillis(200);
    static final Duration BURST_SETTLE = Duration.ofSeconds(1);
    /**
     * The first capped options for `stevedore agent`, kept as the comparison for the launcher's
     * current ones (which add heap free ratios and native-heap trimming). Without a heap cap the
     * JVM sizes the heap from the machine (1/64 of RAM initially, ~400 MB here) and lets it fill
     * before collecting; the cap and a small initial heap are what matter, the rest trims a few MB.
     */
    static final String TUNED_DEFAULT = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -Xms8m -Xmx48m "
            + "-XX:ReservedCodeCacheSize=32m -XX:-UsePerfData";

    record Options(int samples, int warmup, int rounds, int burst, Duration poll, Duration burstPoll,
                   String agentJvm, String serverJvm, String tunedJvm, boolean memoryVariants,
                   OptionalLong coalesceMillis) {
        static Options parse(String[] args) {
            Map<String, String> kv = new HashMap<>();
            for (String a : args) {
                int eq = a.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("arguments are key=value, got " + a);
                }
                kv.put(a.substring(0, eq), a.substring(eq + 1));
            }
            int poll = Integer.parseInt(kv.getOrDefault("poll-ms", "25"));
            return new Options(Integer.parseInt(kv.getOrDefault("samples", "50")),
                    Integer.parseInt(kv.getOrDefault("warmup", "5")),
                    Integer.parseInt(kv.getOrDefault("rounds", "4")),
                    Integer.parseInt(kv.getOrDefault("burst", "30")),
                    Duration.ofMillis(poll), Duration.ofMillis(Math.max(poll, 50)),
                    kv.getOrDefault("agent-jvm", "launcher"),
                    kv.getOrDefault("server-jvm", "launcher"),
                    kv.getOrDefault("tuned-jvm", TUNED_DEFAULT),
                    Boolean.parseBoolean(kv.getOrDefault("memory", "true")),
                    kv.containsKey("coalesce-ms") ? OptionalLong.of(Long.parseLong(kv.get("coalesce-ms"))) : OptionalLong.empty());
        }
    }

    final Options options;
    final String runId = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    private final Path root;
    final Path jar;
    final Path dir;
    private final List<String> serverLauncher;
    final List<String> agentLauncher;
    final List<String> clusterArns = new CopyOnWriteArrayList<>();
    final List<Jvm> jvms = new CopyOnWriteArrayList<>();
    final MarkdownReport report = new MarkdownReport();
    DockerHost docker;
    private CpuUsage cpu;
    int port;

    private TasksBenchmark(Options options) throws IOException {
        this.options = options;
        this.root = Path.of(System.getProperty("stevedore.root", ".")).toAbsolutePath().normalize();
        Path built = root.resolve("server/target/stevedore.jar");
        if (!Files.exists(built)) {
            throw new IllegalStateException("runnable jar missing: " + built + " (build it with mvn -DskipTests install)");
        }
        this.dir = Files.createTempDirectory("stevedore-bench-tasks-");
        // A private copy: a build elsewhere in the tree rewriting the jar must not pull classes
        // out from under the running JVMs.
        this.jar = Files.copy(built, dir.resolve("stevedore.jar"));
        this.serverLauncher = StevedoreProcesses.launcherOptions(root, "up");
        this.agentLauncher = StevedoreProcesses.launcherOptions(root, "agent");
    }

    public static void main(String[] args) throws Exception {
        TasksBenchmark bench = new TasksBenchmark(Options.parse(args));
        BenchMain.run(bench::run, bench::cleanUp);
    }

    /** @param launcher what "launcher" means for this JVM: bin/stevedore's options for its command */
    static List<String> jvmOptions(String spec, List<String> launcher) {
        return switch (spec) {
            case "launcher" -> launcher;
            case "plain" -> List.of();
            default -> List.of(spec.trim().split("\\s+"));
        };
    }

    private void run() throws Exception {
        docker = DockerHost.connect();
        port = StevedoreProcesses.freePort();
        log("run " + runId + " in " + dir + "; control plane on 127.0.0.1:" + port);
        Jvm server = StevedoreProcesses.server(jar, dir.resolve("server"), port, jvmOptions(options.serverJvm(), serverLauncher),
                dir.resolve("server.log"), options.coalesceMillis());
        jvms.add(server);
        try (EcsClient ecs = StevedoreProcesses.ecs(port)) {
            EcsTasks.registerTaskDefinition(ecs, IMAGE, COMMAND, MEMORY_MIB);
            String cluster = "bench-" + runId;
            clusterArns.add(EcsTasks.createCluster(ecs, cluster));
            List<String> agentOptions = jvmOptions(options.agentJvm(), agentLauncher);
            Jvm agent = StevedoreProcesses.agent(jar, port, ecs, cluster, dir.resolve("agent"), instanceId(),
                    agentOptions, dir.resolve("agent.log"));
            jvms.add(agent);
            EcsTasks tasks = new EcsTasks(ecs, cluster, options.poll());
            Map<String, Long> parties = new LinkedHashMap<>();
            parties.put("agent", agent.pid());
            parties.put("control plane", server.pid());
            parties.put("harness (client, pollers, docker-java, CLI launches)", ProcessHandle.current().pid());
            cpu = new CpuUsage(parties);
            machine(server, agent);

            Map<String, Rss> mainRss = new LinkedHashMap<>();
            String flags;
            try (ProcessMemory memory = new ProcessMemory(agent.pid())) {
                memory.phase("idle");
                TimeUnit.SECONDS.sleep(5);
                mainRss.put("idle after connecting (peak of 5 s)", memory.peak("idle"));

                memory.phase("single");
                singleStarts(tasks);
                mainRss.put("peak during the one-at-a-time phase", memory.peak("single"));

                memory.phase("burst");
                bursts(tasks);
                mainRss.put("peak during the " + options.burst() + "-at-once phase", memory.peak("burst"));
                mainRss.put("at the end", memory.now());
                flags = ProcessMemory.jvmFlags(agent.pid());
            }
            agent.close();
            report.section("Agent resident memory (the agent of the phases above, options: "
                    + (agentOptions.isEmpty() ? "none" : String.join(" ", agentOptions)) + ")");
            report.row("| when | VmRSS |");
            report.row("|---|---|");
            mainRss.forEach((k, v) -> report.row("| " + k + " | " + v.mib() + " |"));
            report.row("");
            report.row("JVM flags (jcmd VM.flags): `" + flags + "`");

            if (options.memoryVariants()) {
                new MemoryVariants(this, ecs).run();
            }
        }
        report.row("");
        report.row("Load average at the end: " + Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println();
        System.out.println("# Results (markdown)");
        System.out.print(report);
    }

    static String instanceId() {
        return String.format("i-%017x", ThreadLocalRandom.current().nextLong() >>> 4);
    }

    // ---- one at a time ---------------------------------------------------------------------------

    private void singleStarts(EcsTasks tasks) throws Exception {
        Sample.Series stevedore = new Sample.Series("Stevedore");
        Sample.Series cli = new Sample.Series("`docker run -d`");
        Sample.Series api = new Sample.Series("docker-java create + start");
        Interleaved.run("one at a time", options.warmup(), options.warmup() + options.samples(), SETTLE, 10,
                List.of(stevedore, cli, api), List.of(() -> stevedoreOnce(tasks), this::cliOnce, this::apiOnce));

        Distribution d = cli.totals();
        Distribution j = api.totals();
        report.section("One task at a time: " + options.samples() + " samples of each kind, interleaved, after "
                + options.warmup() + " warm-up rounds; DescribeTasks polled every " + options.poll().toMillis() + " ms");
        report.startsHeader();
        report.row(report.line("`docker run -d` (Debian CLI, until it exits)", d, d, j));
        report.row(report.line("docker-java create + start (Engine API, until start returns)", j, d, j));
        report.row(report.line("**Stevedore: RunTask → DescribeTasks shows RUNNING**", stevedore.totals(), d, j));
        report.row(report.line("Stevedore: RunTask → startedAt (RUNNING recorded by the control plane; no polling)",
                stevedore.offset(M_STARTED_AT), d, j));
        report.row(report.line("Stevedore: RunTask → container started (engine event)", stevedore.offset(M_ENGINE_STARTED), d, j));
        report.row("");
        report.halves(stevedore, cli);
        report.cpuTable("CPU time used per start (from the call until it counted as running; 10 ms ticks, averaged)",
                List.of(cli, api, stevedore));
        report.stages("Where a Stevedore start spends its time (per-sample differences of consecutive milestones)", stevedore,
                List.of(M_ANSWERED, M_AGENT_BEGAN, M_ENGINE_CREATED, M_ENGINE_STARTED, M_STARTED_AT, M_SEEN),
                List.of("RunTask call: SigV4, placement by the plan applier, durable commit",
                        "control plane → agent: cluster feed, the change pushed, engine apply",
                        "agent: image inspect, task cgroup, the state-file save before the create, create call",
                        "agent: start call",
                        "agent → control plane: SubmitTaskStateChange, until the transaction stamps startedAt",
                        "control plane → client: durable commit, DescribeTasks answer and polling granularity"));
        report.row("");
        report.row("Polling granularity: the DescribeTasks that showed RUNNING was sent a median "
                + Distribution.ms(stevedore.between(M_PREVIOUS_POLL, M_SEEN).medianMillis())
                + " ms after the one before it (which did not show it yet), so RUNNING was first visible somewhere in that "
                + "window; startedAt is the figure without polling.");
        report.stages("Where `docker run -d` spends its time", cli, List.of(M_ENGINE_CREATED, M_ENGINE_STARTED, M_END),
                List.of("CLI process start, API version check, create", "start", "CLI waits, exits"));
        report.stages("Where docker-java create + start spends its time", api,
                List.of(M_ENGINE_CREATED, M_CREATE_RETURNED, M_ENGINE_STARTED, M_END),
                List.of("create (until the engine's create event)", "create answer reaches the caller",
                        "start (until the engine's start event)", "start answer reaches the caller"));
    }

    static final String M_CREATED_AT = "task createdAt (control plane)";
    static final String M_ANSWERED = "RunTask answered";
    static final String M_AGENT_BEGAN = "agent began (pullStartedAt)";
    static final String M_ENGINE_CREATED = "engine: container created";
    static final String M_CREATE_RETURNED = "create call returned";
    static final String M_ENGINE_STARTED = "engine: container started";
    static final String M_STARTED_AT = "RUNNING recorded (startedAt)";
    static final String M_PREVIOUS_POLL = "previous DescribeTasks sent";
    static final String M_SEEN = "RUNNING seen by the client";
    static final String M_END = "caller done";

    private Sample stevedoreOnce(EcsTasks tasks) throws InterruptedException {
        Map<String, Double> cpu0 = cpu.snapshot();
        long t0 = WallClock.now();
        String arn = tasks.run(1).get(0);
        long answered = WallClock.now();
        Seen seen = tasks.awaitRunning(List.of(arn), Duration.ofSeconds(60)).get(arn);
        Map<String, Double> used = CpuUsage.minus(cpu.snapshot(), cpu0);
        Optional<ContainerTimes> c = docker.awaitTaskStarted(arn, Duration.ofSeconds(5));
        Task t = seen.task();
        Map<String, Long> marks = new LinkedHashMap<>();
        marks.put(M_CREATED_AT, EcsTasks.stamp(t.createdAt()));
        marks.put(M_ANSWERED, answered);
        marks.put(M_AGENT_BEGAN, EcsTasks.stamp(t.pullStartedAt()));
        marks.put(M_ENGINE_CREATED, c.map(ContainerTimes::created).orElse(0L));
        marks.put(M_ENGINE_STARTED, c.map(ContainerTimes::started).orElse(0L));
        marks.put(M_STARTED_AT, EcsTasks.stamp(t.startedAt()));
        marks.put(M_PREVIOUS_POLL, seen.previousPoll());
        marks.put(M_SEEN, seen.seen());
        String id = c.map(ContainerTimes::id).orElse(t.containers().get(0).runtimeId());
        docker.remove(id);
        if (!tasks.awaitStopped(List.of(arn), Duration.ofSeconds(30))) {
            log("warning: " + arn + " not STOPPED 30 s after its container was removed");
        }
        return new Sample(t0, seen.seen(), marks, used);
    }

    private Sample cliOnce() throws InterruptedException {
        Map<String, Double> cpu0 = cpu.snapshot();
        long t0 = WallClock.now();
        String id = docker.cliRun(runId, IMAGE, COMMAND, MEMORY_MIB);
        long exited = WallClock.now();
        Map<String, Double> used = CpuUsage.minus(cpu.snapshot(), cpu0);
        Optional<ContainerTimes> c = docker.awaitStarted(id, Duration.ofSeconds(5));
        Map<String, Long> marks = new LinkedHashMap<>();
        marks.put(M_ENGINE_CREATED, c.map(ContainerTimes::created).orElse(0L));
        marks.put(M_ENGINE_STARTED, c.map(ContainerTimes::started).orElse(0L));
        marks.put(M_END, exited);
        docker.remove(id);
        return new Sample(t0, exited, marks, used);
    }

    private Sample apiOnce() throws InterruptedException {
        Map<String, Double> cpu0 = cpu.snapshot();
        long t0 = WallClock.now();
        DockerHost.ApiRun r = docker.apiRun(runId, IMAGE, COMMAND, MEMORY_MIB);
        Map<String, Double> used = CpuUsage.minus(cpu.snapshot(), cpu0);
        Optional<ContainerTimes> c = docker.awaitStarted(r.id(), Duration.ofSeconds(5));
        Map<String, Long> marks = new LinkedHashMap<>();
        marks.put(M_ENGINE_CREATED, c.map(ContainerTimes::created).orElse(0L));
        marks.put(M_CREATE_RETURNED, r.createReturned());
        marks.put(M_ENGINE_STARTED, c.map(ContainerTimes::started).orElse(0L));
        marks.put(M_END, r.startReturned());
        docker.remove(r.id());
        return new Sample(t0, r.startReturned(), marks, used);
    }

    // ---- many at once ----------------------------------------------------------------------------

    private void bursts(EcsTasks tasks) throws Exception {
        Sample.Series stevedore = new Sample.Series("Stevedore");
        Sample.Series cli = new Sample.Series("`docker run -d`");
        Sample.Series api = new Sample.Series("docker-java create + start");
        Interleaved.run("at once", 0, options.rounds(), BURST_SETTLE, 1, List.of(stevedore, cli, api),
                List.of(() -> stevedoreBurst(tasks, options.burst()), () -> referenceBurst(true), () -> referenceBurst(false)));

        int calls = (options.burst() + 9) / 10;
        report.section(options.burst() + " containers at once: time until the last one runs, " + options.rounds()
                + " rounds of each kind, interleaved; DescribeTasks polled every " + options.burstPoll().toMillis() + " ms");
        report.burstHeader(options.burst(), options.rounds());
        double cliMedian = cli.totals().medianMillis();
        double apiMedian = api.totals().medianMillis();
        report.burstRow("`docker run -d` × " + options.burst() + " in parallel (last exit)", cli.samples.stream().map(Sample::total).toList(), cliMedian, apiMedian);
        report.burstRow("docker-java create + start × " + options.burst() + " in parallel (last start returned)", api.samples.stream().map(Sample::total).toList(), cliMedian, apiMedian);
        report.burstRow("**Stevedore: " + calls + " × RunTask(count=10) in parallel → all RUNNING in DescribeTasks**",
                stevedore.samples.stream().map(Sample::total).toList(), cliMedian, apiMedian);
        report.burstRow("Stevedore: → last startedAt (control plane, no polling)", offsets(stevedore, M_STARTED_AT), cliMedian, apiMedian);
        report.burstRow("Stevedore: → every RunTask answered", offsets(stevedore, M_ANSWERED), cliMedian, apiMedian, false);
        for (Sample.Series s : List.of(cli, api, stevedore)) {
            for (String m : List.of(M_FIRST_CREATED, M_LAST_CREATED, M_FIRST_STARTED, M_ENGINE_STARTED)) {
                report.burstRow(s.name + ": → " + m.replace("engine: ", "") + " (engine event)", offsets(s, m), cliMedian,
                        apiMedian, m.equals(M_ENGINE_STARTED));
            }
        }
        report.cpuTable("CPU time used per " + options.burst() + "-container round (from the first call until the last "
                + "container counted as running)", List.of(cli, api, stevedore));
    }

    static List<Long> offsets(Sample.Series s, String mark) {
        return s.samples.stream().map(x -> x.marks().getOrDefault(mark, 0L) == 0 ? 0L : x.marks().get(mark) - x.t0()).toList();
    }

    static final String M_FIRST_CREATED = "engine: first container created";
    static final String M_LAST_CREATED = "engine: last container created";
    static final String M_FIRST_STARTED = "engine: first container started";

    /** First and last create and start events of a burst's containers; 0 where an event is missing. */
    static void engineMarks(Map<String, Long> marks, List<ContainerTimes> containers, int expected) {
        boolean all = containers.size() == expected && containers.stream().allMatch(c -> c.created() != 0 && c.started() != 0);
        marks.put(M_FIRST_CREATED, containers.stream().mapToLong(ContainerTimes::created).filter(x -> x != 0).min().orElse(0));
        marks.put(M_LAST_CREATED, all ? containers.stream().mapToLong(ContainerTimes::created).max().orElse(0) : 0);
        marks.put(M_FIRST_STARTED, containers.stream().mapToLong(ContainerTimes::started).filter(x -> x != 0).min().orElse(0));
        marks.put(M_ENGINE_STARTED, all ? containers.stream().mapToLong(ContainerTimes::started).max().orElse(0) : 0);
    }

    /** One burst of Stevedore tasks; returns with the containers removed and the tasks STOPPED. */
    private Sample stevedoreBurst(EcsTasks tasks, int n) throws Exception {
        TaskBurst b = TaskBurst.run(tasks, cpu, n);
        List<String> arns = b.arns();
        List<ContainerTimes> containers = new ArrayList<>();
        for (String arn : arns) {
            docker.awaitTaskStarted(arn, Duration.ofSeconds(10)).ifPresent(containers::add);
        }
        Map<String, Long> marks = new LinkedHashMap<>();
        marks.put(M_ANSWERED, b.lastAnswered());
        engineMarks(marks, containers, arns.size());
        marks.put(M_STARTED_AT, b.lastStartedAt());
        List<String> ids = new ArrayList<>(containers.stream().map(ContainerTimes::id).toList());
        // A container whose event was missed is still found by its task's label.
        for (String arn : arns) {
            ids.addAll(docker.labelled(DockerHost.TASK_ARN_LABEL, arn));
        }
        docker.removeAll(ids.stream().distinct().toList());
        if (!tasks.awaitStopped(arns, Duration.ofSeconds(60))) {
            log("warning: some tasks of a burst not STOPPED 60 s after their containers were removed");
        }
        return new Sample(b.t0(), b.lastSeen(), marks, b.cpuSeconds());
    }

    private Sample referenceBurst(boolean cli) throws Exception {
        return referenceBurst(docker, cpu, options.burst(), i -> cli ? docker.cliRun(runId, IMAGE, COMMAND, MEMORY_MIB)
                : docker.apiRun(runId, IMAGE, COMMAND, MEMORY_MIB).id());
    }

    /** Starts one container. */
    interface ReferenceStart {
        /** @return the container's id */
        String start(int index) throws InterruptedException;
    }

    /** {@code n} references started at once; returns with their containers removed. */
    static Sample referenceBurst(DockerHost docker, CpuUsage cpu, int n, ReferenceStart start) throws Exception {
        long[] t0 = new long[1];
        Map<String, Double> cpu0 = cpu.snapshot();
        List<AtOnce.Done<String>> done = AtOnce.run(n, t0, i -> {
            try {
                return start.start(i);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Map<String, Double> used = CpuUsage.minus(cpu.snapshot(), cpu0);
        long last = done.stream().mapToLong(AtOnce.Done::at).max().orElseThrow();
        List<ContainerTimes> containers = new ArrayList<>();
        for (AtOnce.Done<String> d : done) {
            docker.awaitStarted(d.value(), Duration.ofSeconds(10)).ifPresent(containers::add);
        }
        Map<String, Long> marks = new LinkedHashMap<>();
        engineMarks(marks, containers, done.size());
        docker.removeAll(done.stream().map(AtOnce.Done::value).toList());
        return new Sample(t0[0], last, marks, used);
    }

    // ---- reporting ---------------------------------------------------------------------------------

    private void machine(Jvm server, Jvm agent) throws IOException {
        report.machine(docker.engineVersion());
        report.row("- control plane: `java " + String.join(" ", server.jvmOptions()) + (options.coalesceMillis().isEmpty()
                ? " -jar server/target/stevedore.jar up --no-agent`"
                : " ControlPlaneProcess` (EXPERIMENT: agent-channel coalescing window " + options.coalesceMillis().getAsLong()
                        + " ms instead of the default)")
                + "; agent: `java " + String.join(" ", agent.jvmOptions()) + " -jar server/target/stevedore.jar agent`");
        report.row("- task: one container, `" + IMAGE + "`, `" + String.join(" ", COMMAND) + "`, memory " + MEMORY_MIB
                + " MiB, bridge network; the references run the same image, command and `-m " + MEMORY_MIB + "m`");
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    static void log(String message) {
        System.out.println("[bench] " + message);
        System.out.flush();
    }

    // ---- clean-up --------------------------------------------------------------------------------

    /**
     * Stops the JVMs (agents first, so none reacts to its containers going), then removes every
     * container this run made: the tasks' by their cluster label, the references' by the run label.
     * Idempotent; also run from the shutdown hook when the run is interrupted.
     */
    private synchronized void cleanUp() {
        StevedoreProcesses.closeAll(jvms);
        if (docker == null) {
            return;
        }
        try {
            List<String> ids = Stream.concat(clusterArns.stream().flatMap(c -> docker.labelled(DockerHost.CLUSTER_LABEL, c).stream()),
                    docker.labelled(DockerHost.RUN_LABEL, runId).stream()).distinct().toList();
            docker.removeAll(ids);
            if (!ids.isEmpty()) {
                log("removed " + ids.size() + " leftover container(s)");
            }
            List<String> left = Stream.concat(clusterArns.stream().flatMap(c -> docker.labelled(DockerHost.CLUSTER_LABEL, c).stream()),
                    docker.labelled(DockerHost.RUN_LABEL, runId).stream()).toList();
            if (!left.isEmpty()) {
                log("warning: containers still present: " + left);
            }
        } catch (RuntimeException | InterruptedException e) {
            log("warning: clean-up of containers failed: " + e);
        }
        deleteDataDirs(dir);
        docker.close();
        docker = null;
    }

    /** Data directories, the jar copy and the class archive go; the logs stay for a look after the run. */
    static void deleteDataDirs(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!f.equals(dir) && !f.getFileName().toString().endsWith(".log")) {
                    Files.deleteIfExists(f);
                }
            }
            log("logs kept in " + dir);
        } catch (IOException e) {
            log("warning: could not delete the run's files under " + dir + ": " + e);
        }
    }
}
