package dev.stevedore.bench.tasks;

import dev.stevedore.bench.tasks.DockerHost.ContainerTimes;
import dev.stevedore.bench.tasks.DockerHost.FixedAddress;
import dev.stevedore.bench.tasks.EcsTasks.Seen;
import dev.stevedore.bench.tasks.StevedoreProcesses.Jvm;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.Task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Fargate tasks on Docker: how long Stevedore takes from a FARGATE RunTask to a RUNNING task (an
 * awsvpc task: a pause container holding the task's own network namespace and address on its
 * subnet's bridge network, the task's container joining it), next to starting the same container
 * straight on the same engine with its own network namespace and a fixed address on a bridge
 * network ({@code docker run -d --network … --ip …}, and docker-java create + start with the same),
 * one at a time and 30 at once.
 *
 * <p>The control plane and one platform host ({@code stevedore agent --fargate}) run as their own
 * JVMs from the runnable jar; the harness is an ECS and EC2 client (AWS SDK v2, SigV4) and a Docker
 * client. The control plane serves an account id of its own for each run, so that the platform
 * pool's cluster ARN, which every task and pause container carries as a label, names this run's
 * containers only. Kinds are interleaved, the order rotated every round, as in {@link TasksBenchmark}.
 *
 * <p>Usage: {@code bench/run-fargate.sh [samples=50] [warmup=5] [rounds=4] [burst=30] [poll-ms=25]
 * [agent-jvm=launcher|plain|"<options>"] [server-jvm=launcher|plain|"<options>"]}.
 */
public final class FargateBenchmark {
    static final String IMAGE = TasksBenchmark.IMAGE;
    static final List<String> COMMAND = TasksBenchmark.COMMAND;
    static final int TASK_CPU = 256;
    static final int TASK_MEMORY_MIB = 512;
    static final String ZONE = StevedoreProcesses.REGION + "a";
    /**
     * The VPC and the one subnet (a free /20 of it: see {@link Block20}) the tasks get their
     * addresses from; the agent makes the subnet's bridge network.
     */
    static final String VPC_BLOCK = "10.216.0.0/16";
    static final List<String> SUBNET_PREFIXES = List.of("10.216.");
    /** The references' bridge network: a free /20 of 10.215.0.0/16 or else of 10.217.0.0/16, apart from the tasks'. */
    static final List<String> REFERENCE_PREFIXES = List.of("10.215.", "10.217.");
    /** What the platform host registers: room for 30 tasks of 256 units and 512 MiB. */
    static final int HOST_CPU = 8192;
    static final int HOST_MEMORY_MIB = 16384;
    static final Duration SETTLE = TasksBenchmark.SETTLE;
    static final Duration BURST_SETTLE = TasksBenchmark.BURST_SETTLE;

    static final String M_PAUSE_CREATED = "engine: pause container created";
    static final String M_PAUSE_STARTED = "engine: pause container started";
    static final String M_PROVISIONED = "past PROVISIONING seen by the client";

    private final TasksBenchmark.Options options;
    private final String runId = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    /** Twelve digits, the run's own: see the class comment. */
    private final String account = String.format("9%011d", ThreadLocalRandom.current().nextLong(100_000_000_000L));
    private final String poolClusterArn = "arn:aws:ecs:" + StevedoreProcesses.REGION + ":" + account + ":cluster/fargate.platform";
    private final String referenceNetwork = "bench-fargate-" + runId;
    private final Path root;
    private final Path jar;
    private final Path dir;
    private final List<Jvm> jvms = new CopyOnWriteArrayList<>();
    private final MarkdownReport report = new MarkdownReport();
    /** The references' /20 (its first two octets and its third octet's base) and next address: .2 up, a fresh one for every container. */
    private volatile Optional<Block20> referenceBlock = Optional.empty();
    private volatile String subnetBlock = "";
    private final AtomicInteger nextAddress = new AtomicInteger(2);
    private volatile String subnetId = "";
    private DockerHost docker;
    private CpuUsage cpu;

    private FargateBenchmark(TasksBenchmark.Options options) throws IOException {
        this.options = options;
        this.root = Path.of(System.getProperty("stevedore.root", ".")).toAbsolutePath().normalize();
        Path built = root.resolve("server/target/stevedore.jar");
        if (!Files.exists(built)) {
            throw new IllegalStateException("runnable jar missing: " + built + " (bench/run-fargate.sh builds it)");
        }
        this.dir = Files.createTempDirectory("stevedore-bench-fargate-");
        // A private copy, as in TasksBenchmark: a build elsewhere must not rewrite the running jar.
        this.jar = Files.copy(built, dir.resolve("stevedore.jar"));
    }

    public static void main(String[] args) throws Exception {
        FargateBenchmark bench = new FargateBenchmark(TasksBenchmark.Options.parse(args));
        BenchMain.run(bench::run, bench::cleanUp);
    }

    private void run() throws Exception {
        docker = DockerHost.connect();
        int port = StevedoreProcesses.freePort();
        TasksBenchmark.log("run " + runId + " (account " + account + ") in " + dir + "; control plane on 127.0.0.1:" + port);
        Jvm server = StevedoreProcesses.server(jar, dir.resolve("server"), port,
                TasksBenchmark.jvmOptions(options.serverJvm(), StevedoreProcesses.launcherOptions(root, "up")),
                dir.resolve("server.log"), OptionalLong.empty(), List.of(), account);
        jvms.add(server);
        try (EcsClient ecs = StevedoreProcesses.ecs(port); Ec2Client ec2 = StevedoreProcesses.ec2(port)) {
            String cluster = "bench-" + runId;
            EcsTasks.createCluster(ecs, cluster);
            String vpc = ec2.createVpc(b -> b.cidrBlock(VPC_BLOCK)).vpc().vpcId();
            subnetBlock = Block20.firstFree(SUBNET_PREFIXES, docker.subnetsInUse()).orElseThrow(() ->
                    new IllegalStateException("every /20 of " + VPC_BLOCK + " is held by a Docker network")).cidr();
            subnetId = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock(subnetBlock).availabilityZone(ZONE)).subnet().subnetId();
            EcsTasks.registerFargateTaskDefinition(ecs, IMAGE, COMMAND, TASK_CPU, TASK_MEMORY_MIB);
            createReferenceNetwork();
            Jvm agent = StevedoreProcesses.platformHost(jar, port, dir.resolve("agent"), TasksBenchmark.instanceId(), ZONE,
                    HOST_CPU, HOST_MEMORY_MIB,
                    TasksBenchmark.jvmOptions(options.agentJvm(), StevedoreProcesses.launcherOptions(root, "agent")),
                    dir.resolve("agent.log"));
            jvms.add(agent);
            String subnet = subnetId;
            EcsTasks tasks = new EcsTasks(ecs, cluster, options.poll(), b -> b.launchType(LaunchType.FARGATE)
                    .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(subnet))));
            Map<String, Long> parties = new LinkedHashMap<>();
            parties.put("agent", agent.pid());
            parties.put("control plane", server.pid());
            parties.put("harness (client, pollers, docker-java, CLI launches)", ProcessHandle.current().pid());
            cpu = new CpuUsage(parties);
            awaitCapacity(tasks);
            machine(server, agent);
            singleStarts(tasks);
            bursts(tasks);
        }
        report.row("");
        report.row("Load average at the end: " + Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println();
        System.out.println("# Results (markdown)");
        System.out.print(report);
    }

    /**
     * The platform pool has capacity once the control plane has the platform host's registration;
     * until then RunTask fails the task. The first task placed also makes the subnet's network.
     */
    private void awaitCapacity(EcsTasks tasks) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                String arn = tasks.run(1).get(0);
                tasks.awaitRunning(List.of(arn), Duration.ofSeconds(60));
                docker.awaitTaskStarted(arn, Duration.ofSeconds(5)).ifPresent(c -> docker.remove(c.id()));
                tasks.awaitStopped(List.of(arn), Duration.ofSeconds(30));
                return;
            } catch (IllegalStateException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }

    private void createReferenceNetwork() {
        Block20 block = Block20.firstFree(REFERENCE_PREFIXES, docker.subnetsInUse()).orElseThrow(() ->
                new IllegalStateException("no free /20 in " + REFERENCE_PREFIXES + " for the references' network"));
        docker.createNetwork(referenceNetwork, block.cidr(), Map.of(DockerHost.RUN_LABEL, runId));
        referenceBlock = Optional.of(block);
    }

    private Optional<FixedAddress> freshAddress() {
        int i = nextAddress.getAndIncrement();
        return Optional.of(new FixedAddress(referenceNetwork, referenceBlock.orElseThrow().address(i)));
    }

    // ---- one at a time ---------------------------------------------------------------------------

    private void singleStarts(EcsTasks tasks) throws Exception {
        Sample.Series stevedore = new Sample.Series("Stevedore Fargate");
        Sample.Series cli = new Sample.Series("`docker run -d --network --ip`");
        Sample.Series api = new Sample.Series("docker-java create + start (network, address)");
        Interleaved.run("one at a time", options.warmup(), options.warmup() + options.samples(), SETTLE, 10,
                List.of(stevedore, cli, api), List.of(() -> stevedoreOnce(tasks), this::cliOnce, this::apiOnce));

        Distribution d = cli.totals();
        Distribution j = api.totals();
        report.section("One Fargate task at a time: " + options.samples() + " samples of each kind, interleaved, after "
                + options.warmup() + " warm-up rounds; DescribeTasks polled every " + options.poll().toMillis() + " ms");
        report.startsHeader();
        report.row(report.line("`docker run -d --network <bridge> --ip <fresh>` (CLI, until it exits)", d, d, j));
        report.row(report.line("docker-java create + start, same network and address (until start returns)", j, d, j));
        report.row(report.line("**Stevedore: Fargate RunTask → DescribeTasks shows RUNNING**", stevedore.totals(), d, j));
        report.row(report.line("Stevedore: RunTask → startedAt (RUNNING recorded by the control plane; no polling)",
                stevedore.offset(TasksBenchmark.M_STARTED_AT), d, j));
        report.row(report.line("Stevedore: RunTask → task container started (engine event)",
                stevedore.offset(TasksBenchmark.M_ENGINE_STARTED), d, j));
        report.row(report.line("Stevedore: RunTask → pause container started (engine event: the task's address is up)",
                stevedore.offset(M_PAUSE_STARTED), d, j));
        report.row(report.line("Stevedore: RunTask → DescribeTasks first shows it past PROVISIONING",
                stevedore.offset(M_PROVISIONED), d, j));
        report.row("");
        report.halves(stevedore, cli);
        report.cpuTable("CPU time used per start (from the call until it counted as running; 10 ms ticks, averaged)",
                List.of(cli, api, stevedore));
        report.stages("Where a Stevedore Fargate start spends its time (per-sample differences of consecutive milestones)",
                stevedore,
                // The agent creates the task's container while the pause container starts, so the
                // container's create comes before the pause container's start has ended.
                List.of(TasksBenchmark.M_ANSWERED, TasksBenchmark.M_AGENT_BEGAN, M_PAUSE_CREATED,
                        TasksBenchmark.M_ENGINE_CREATED, M_PAUSE_STARTED, TasksBenchmark.M_ENGINE_STARTED,
                        TasksBenchmark.M_STARTED_AT, TasksBenchmark.M_SEEN),
                List.of("RunTask call: SigV4, placement on the platform pool, the subnet's address, durable commit",
                        "control plane → agent: cluster feed, the change pushed, engine apply",
                        "agent: image inspect, task cgroup, subnet network check, state-file save, pause create",
                        "agent: pause start begun; meanwhile state-file save and task container create",
                        "the rest of the pause container's start (namespace, veth, address on the subnet's bridge)",
                        "agent: pause inspect (address check), task container start (joins the pause container's namespace)",
                        "agent → control plane: ATTACHED, then SubmitTaskStateChange, until startedAt is stamped",
                        "control plane → client: durable commit, DescribeTasks answer and polling granularity"));
        report.stages("The pause container's start alone, by engine events", stevedore,
                List.of(M_PAUSE_CREATED, M_PAUSE_STARTED),
                List.of("call → pause container created", "pause container start (namespace, veth, address on the subnet's bridge)"));
        report.stages("`docker run -d --network --ip`, split by engine events", cli,
                List.of(TasksBenchmark.M_ENGINE_CREATED, TasksBenchmark.M_ENGINE_STARTED, TasksBenchmark.M_END),
                List.of("CLI start-up, API negotiation, create", "start: namespace, veth, address", "CLI exits"));
        report.stages("docker-java create + start with network and address, split by engine events", api,
                List.of(TasksBenchmark.M_ENGINE_CREATED, TasksBenchmark.M_ENGINE_STARTED, TasksBenchmark.M_END),
                List.of("create", "start: namespace, veth, address", "start call returns"));
    }

    private Sample stevedoreOnce(EcsTasks tasks) throws InterruptedException {
        Map<String, Double> cpu0 = cpu.snapshot();
        long t0 = WallClock.now();
        String arn = tasks.run(1).get(0);
        long answered = WallClock.now();
        Seen seen = tasks.awaitRunning(List.of(arn), Duration.ofSeconds(60)).get(arn);
        Map<String, Double> used = CpuUsage.minus(cpu.snapshot(), cpu0);
        Optional<ContainerTimes> pause = docker.awaitPauseStarted(arn, Duration.ofSeconds(5));
        Optional<ContainerTimes> c = docker.awaitTaskStarted(arn, Duration.ofSeconds(5));
        Task t = seen.task();
        Map<String, Long> marks = new LinkedHashMap<>();
        marks.put(TasksBenchmark.M_CREATED_AT, EcsTasks.stamp(t.createdAt()));
        marks.put(TasksBenchmark.M_ANSWERED, answered);
        marks.put(TasksBenchmark.M_AGENT_BEGAN, EcsTasks.stamp(t.pullStartedAt()));
        marks.put(M_PAUSE_CREATED, pause.map(ContainerTimes::created).orElse(0L));
        marks.put(M_PAUSE_STARTED, pause.map(ContainerTimes::started).orElse(0L));
        marks.put(TasksBenchmark.M_ENGINE_CREATED, c.map(ContainerTimes::created).orElse(0L));
        marks.put(TasksBenchmark.M_ENGINE_STARTED, c.map(ContainerTimes::started).orElse(0L));
        marks.put(TasksBenchmark.M_STARTED_AT, EcsTasks.stamp(t.startedAt()));
        marks.put(M_PROVISIONED, seen.provisioned());
        marks.put(TasksBenchmark.M_PREVIOUS_POLL, seen.previousPoll());
        marks.put(TasksBenchmark.M_SEEN, seen.seen());
        // The task's container goes, as in TasksBenchmark; the agent then stops the task and removes
        // the pause container itself, which is its own path and must finish before the next sample.
        String id = c.map(ContainerTimes::id).orElse(t.containers().get(0).runtimeId());
        docker.remove(id);
        if (!tasks.awaitStopped(List.of(arn), Duration.ofSeconds(30))) {
            TasksBenchmark.log("warning: " + arn + " not STOPPED 30 s after its container was removed");
        }
        return new Sample(t0, seen.seen(), marks, used);
    }

    private Sample cliOnce() throws InterruptedException {
        Optional<FixedAddress> address = freshAddress();
        Map<String, Double> cpu0 = cpu.snapshot();
        long t0 = WallClock.now();
        String id = docker.cliRun(runId, IMAGE, COMMAND, TASK_MEMORY_MIB, address);
        long exited = WallClock.now();
        Map<String, Double> used = CpuUsage.minus(cpu.snapshot(), cpu0);
        return referenceSample(t0, id, exited, used);
    }

    private Sample apiOnce() throws InterruptedException {
        Optional<FixedAddress> address = freshAddress();
        Map<String, Double> cpu0 = cpu.snapshot();
        long t0 = WallClock.now();
        DockerHost.ApiRun r = docker.apiRun(runId, IMAGE, COMMAND, TASK_MEMORY_MIB, address);
        Map<String, Double> used = CpuUsage.minus(cpu.snapshot(), cpu0);
        return referenceSample(t0, r.id(), r.startReturned(), used);
    }

    private Sample referenceSample(long t0, String id, long end, Map<String, Double> used) throws InterruptedException {
        Optional<ContainerTimes> c = docker.awaitStarted(id, Duration.ofSeconds(5));
        Map<String, Long> marks = new LinkedHashMap<>();
        marks.put(TasksBenchmark.M_ENGINE_CREATED, c.map(ContainerTimes::created).orElse(0L));
        marks.put(TasksBenchmark.M_ENGINE_STARTED, c.map(ContainerTimes::started).orElse(0L));
        marks.put(TasksBenchmark.M_END, end);
        docker.remove(id);
        return new Sample(t0, end, marks, used);
    }

    // ---- many at once ----------------------------------------------------------------------------

    private void bursts(EcsTasks tasks) throws Exception {
        Sample.Series stevedore = new Sample.Series("Stevedore Fargate");
        Sample.Series cli = new Sample.Series("`docker run -d --network --ip`");
        Sample.Series api = new Sample.Series("docker-java create + start (network, address)");
        Interleaved.run("at once", 0, options.rounds(), BURST_SETTLE, 1, List.of(stevedore, cli, api),
                List.of(() -> stevedoreBurst(tasks, options.burst()), () -> referenceBurst(true), () -> referenceBurst(false)));

        int calls = (options.burst() + 9) / 10;
        report.section(options.burst() + " containers at once: time until the last one runs, " + options.rounds()
                + " rounds of each kind, interleaved; DescribeTasks polled every " + options.burstPoll().toMillis() + " ms");
        report.burstHeader(options.burst(), options.rounds());
        double cliMedian = cli.totals().medianMillis();
        double apiMedian = api.totals().medianMillis();
        report.burstRow("`docker run -d --network --ip` × " + options.burst() + " in parallel (last exit)",
                cli.samples.stream().map(Sample::total).toList(), cliMedian, apiMedian);
        report.burstRow("docker-java create + start × " + options.burst() + " in parallel (last start returned)",
                api.samples.stream().map(Sample::total).toList(), cliMedian, apiMedian);
        report.burstRow("**Stevedore: " + calls + " × Fargate RunTask(count=10) in parallel → all RUNNING in DescribeTasks**",
                stevedore.samples.stream().map(Sample::total).toList(), cliMedian, apiMedian);
        report.burstRow("Stevedore: → last startedAt (control plane, no polling)",
                TasksBenchmark.offsets(stevedore, TasksBenchmark.M_STARTED_AT), cliMedian, apiMedian);
        report.burstRow("Stevedore: → every RunTask answered", TasksBenchmark.offsets(stevedore, TasksBenchmark.M_ANSWERED),
                cliMedian, apiMedian, false);
        report.burstRow("Stevedore: → last pause container started (engine event)",
                TasksBenchmark.offsets(stevedore, M_PAUSE_STARTED), cliMedian, apiMedian, false);
        for (Sample.Series s : List.of(cli, api, stevedore)) {
            for (String m : List.of(TasksBenchmark.M_FIRST_CREATED, TasksBenchmark.M_LAST_CREATED,
                    TasksBenchmark.M_FIRST_STARTED, TasksBenchmark.M_ENGINE_STARTED)) {
                report.burstRow(s.name + ": → " + m.replace("engine: ", "") + " (engine event)",
                        TasksBenchmark.offsets(s, m), cliMedian, apiMedian, m.equals(TasksBenchmark.M_ENGINE_STARTED));
            }
        }
        report.row("");
        report.row("(Stevedore's \"container\" rows count the tasks' own containers, not their pause containers.)");
        report.cpuTable("CPU time used per " + options.burst() + "-container round (from the first call until the last "
                + "container counted as running)", List.of(cli, api, stevedore));
    }

    /** One burst of Fargate tasks; returns with the task containers removed and the tasks STOPPED. */
    private Sample stevedoreBurst(EcsTasks tasks, int n) throws Exception {
        TaskBurst b = TaskBurst.run(tasks, cpu, n);
        List<String> arns = b.arns();
        List<ContainerTimes> containers = new ArrayList<>();
        long lastPauseStarted = 0;
        boolean everyPause = true;
        for (String arn : arns) {
            docker.awaitTaskStarted(arn, Duration.ofSeconds(10)).ifPresent(containers::add);
            Optional<ContainerTimes> pause = docker.awaitPauseStarted(arn, Duration.ofSeconds(10));
            everyPause &= pause.isPresent() && pause.get().started() != 0;
            lastPauseStarted = Math.max(lastPauseStarted, pause.map(ContainerTimes::started).orElse(0L));
        }
        Map<String, Long> marks = new LinkedHashMap<>();
        marks.put(TasksBenchmark.M_ANSWERED, b.lastAnswered());
        marks.put(M_PAUSE_STARTED, everyPause ? lastPauseStarted : 0L);
        TasksBenchmark.engineMarks(marks, containers, arns.size());
        marks.put(TasksBenchmark.M_STARTED_AT, b.lastStartedAt());
        List<String> ids = containers.stream().map(ContainerTimes::id).toList();
        docker.removeAll(ids);
        if (!tasks.awaitStopped(arns, Duration.ofSeconds(60))) {
            TasksBenchmark.log("warning: some tasks of a burst not STOPPED 60 s after their containers were removed");
        }
        return new Sample(b.t0(), b.lastSeen(), marks, b.cpuSeconds());
    }

    private Sample referenceBurst(boolean cli) throws Exception {
        List<Optional<FixedAddress>> addresses = Stream.generate(this::freshAddress).limit(options.burst()).toList();
        return TasksBenchmark.referenceBurst(docker, cpu, options.burst(), i -> cli
                ? docker.cliRun(runId, IMAGE, COMMAND, TASK_MEMORY_MIB, addresses.get(i))
                : docker.apiRun(runId, IMAGE, COMMAND, TASK_MEMORY_MIB, addresses.get(i)).id());
    }

    // ---- reporting ---------------------------------------------------------------------------------

    private void machine(Jvm server, Jvm agent) throws IOException {
        report.machine(docker.engineVersion());
        report.row("- control plane: `java " + String.join(" ", server.jvmOptions())
                + " -jar server/target/stevedore.jar up --no-agent`; platform host: `java " + String.join(" ", agent.jvmOptions())
                + " -jar server/target/stevedore.jar agent --fargate --cpu " + HOST_CPU + " --memory " + HOST_MEMORY_MIB + "`");
        report.row("- task: FARGATE, awsvpc, cpu " + TASK_CPU + ", memory " + TASK_MEMORY_MIB + " MiB, one container `" + IMAGE
                + "` `" + String.join(" ", COMMAND) + "`, subnet " + subnetBlock + " of VPC " + VPC_BLOCK
                + "; the references run the same image and command with `-m " + TASK_MEMORY_MIB + "m` on a bridge network on "
                + referenceBlock.map(Block20::cidr).orElse("?") + ", each with a fresh address");
    }

    // ---- clean-up --------------------------------------------------------------------------------

    /**
     * Stops the JVMs (the agent first, so that it does not react to its containers going), then
     * removes every container this run made (tasks' and pause containers by the pool's cluster ARN
     * label, which names this run's account; the references' by the run label) and the two networks
     * (the references', by the run label; the subnet's, by the label the agent gives it). Idempotent;
     * also run from the shutdown hook when the run is interrupted.
     */
    private synchronized void cleanUp() {
        StevedoreProcesses.closeAll(jvms);
        if (docker == null) {
            return;
        }
        try {
            List<String> ids = leftovers();
            docker.removeAll(ids);
            if (!ids.isEmpty()) {
                TasksBenchmark.log("removed " + ids.size() + " leftover container(s)");
            }
            List<String> left = leftovers();
            if (!left.isEmpty()) {
                TasksBenchmark.log("warning: containers still present: " + left);
            }
            List<String> networks = new ArrayList<>(docker.removeNetworks(DockerHost.RUN_LABEL, runId));
            if (!subnetId.isEmpty()) {
                networks.addAll(docker.removeNetworks(SUBNET_LABEL, subnetId));
            }
            TasksBenchmark.log("removed networks " + networks);
            if (referenceBlock.isPresent() && !networks.contains(referenceNetwork)) {
                TasksBenchmark.log("warning: network " + referenceNetwork + " is left: the engine still counts an endpoint on it "
                        + "after its containers went (Docker 20.10); it can be removed after the engine restarts");
            }
        } catch (RuntimeException | InterruptedException e) {
            TasksBenchmark.log("warning: clean-up of containers and networks failed: " + e);
        }
        TasksBenchmark.deleteDataDirs(dir);
        docker.close();
        docker = null;
    }

    /** The agent's label on the bridge network it makes for a subnet. */
    static final String SUBNET_LABEL = "dev.stevedore.subnet-id";

    private List<String> leftovers() {
        return Stream.concat(docker.labelled(DockerHost.CLUSTER_LABEL, poolClusterArn).stream(),
                docker.labelled(DockerHost.RUN_LABEL, runId).stream()).distinct().toList();
    }
}
