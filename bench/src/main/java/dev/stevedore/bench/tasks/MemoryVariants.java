package dev.stevedore.bench.tasks;

import dev.stevedore.bench.tasks.EcsTasks.Seen;
import dev.stevedore.bench.tasks.ProcessMemory.Rss;
import dev.stevedore.bench.tasks.StevedoreProcesses.Jvm;
import software.amazon.awssdk.services.ecs.EcsClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent's resident memory under different JVM options: a fresh agent per set of options, on a
 * cluster of its own, idle and then with a burst of tasks; part of a {@link TasksBenchmark} run.
 */
final class MemoryVariants {
    private final TasksBenchmark b;
    private final EcsClient ecs;

    MemoryVariants(TasksBenchmark bench, EcsClient ecs) {
        this.b = bench;
        this.ecs = ecs;
    }

    void run() throws Exception {
        /** @param train start the agent once beforehand (it writes its class-data archive at exit) */
        record Variant(String name, List<String> jvmOptions, boolean train) {
        }
        List<String> tuned = TasksBenchmark.jvmOptions(b.options.tunedJvm(), b.agentLauncher);
        List<String> tunedCds = new ArrayList<>(tuned);
        // JDK 19+: the first run writes an archive of the classes it loaded; later runs map it
        // instead of parsing and linking ~8,000 classes again. A different jar invalidates it and
        // the next exit writes a new one.
        tunedCds.add("-XX:+AutoCreateSharedArchive");
        tunedCds.add("-XX:SharedArchiveFile=" + b.dir.resolve("agent-classes.jsa"));
        List<Variant> variants = List.of(
                new Variant("none (plain `java -jar`, as the e2e helpers start it)", List.of(), false),
                new Variant("bin/stevedore's launcher options for `agent`", b.agentLauncher, false),
                new Variant("tuned", tuned, false),
                new Variant("tuned + application class-data sharing (second start)", tunedCds, true));
        b.report.section("Agent resident memory by JVM options: a fresh agent each, idle, then " + b.options.burst()
                + " tasks started at once and kept running 5 s, then removed");
        b.report.row("| agent JVM options | idle (peak of 5 s) | peak with " + b.options.burst() + " tasks | after they stopped | "
                + b.options.burst() + " tasks → all RUNNING ms |");
        b.report.row("|---|---:|---:|---:|---:|");
        List<String> flagLines = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get(i);
            String cluster = "bench-" + b.runId + "-m" + i;
            b.clusterArns.add(EcsTasks.createCluster(ecs, cluster));
            EcsTasks tasks = new EcsTasks(ecs, cluster, b.options.poll());
            if (v.train()) {
                // Its own cluster, data directory and instance: the measured agent below starts as fresh
                // as the other variants' (nothing to adopt, no stale instance to place on); only the
                // class archive carries over.
                String training = cluster + "-t";
                b.clusterArns.add(EcsTasks.createCluster(ecs, training));
                Jvm first = StevedoreProcesses.agent(b.jar, b.port, ecs, training, b.dir.resolve("agent-m" + i + "-training"),
                        TasksBenchmark.instanceId(), v.jvmOptions(), b.dir.resolve("agent-m" + i + "-training.log"));
                b.jvms.add(first);
                try {
                    stevedoreBurstHeld(new EcsTasks(ecs, training, b.options.poll()), 10, Duration.ofSeconds(1));
                } finally {
                    first.close(); // the archive is written as the JVM exits
                    b.jvms.remove(first);
                }
            }
            Jvm agent = StevedoreProcesses.agent(b.jar, b.port, ecs, cluster, b.dir.resolve("agent-m" + i), TasksBenchmark.instanceId(),
                    v.jvmOptions(), b.dir.resolve("agent-m" + i + ".log"));
            b.jvms.add(agent);
            try (ProcessMemory memory = new ProcessMemory(agent.pid())) {
                memory.phase("idle");
                TimeUnit.SECONDS.sleep(5);
                memory.phase("busy");
                Sample burst = stevedoreBurstHeld(tasks, b.options.burst(), Duration.ofSeconds(5));
                memory.phase("after");
                TimeUnit.SECONDS.sleep(3);
                b.report.row(String.format("| %s: `%s` | %s | %s | %s | %s |", v.name(),
                        v.jvmOptions().isEmpty() ? "(none)" : String.join(" ", v.jvmOptions()),
                        mib(memory.peak("idle")), mib(memory.peak("busy")), mib(memory.now()),
                        Distribution.ms(burst.total() / 1e6)));
                flagLines.add("- " + v.name() + ": `" + ProcessMemory.jvmFlags(agent.pid()) + "`");
                TasksBenchmark.log("memory variant " + v.name() + " done");
            } finally {
                agent.close();
                b.jvms.remove(agent);
            }
        }
        b.report.row("");
        b.report.row("VmRSS in MiB (RssAnon + RssFile in brackets). JVM flags as the JVM reports them (jcmd VM.flags):");
        b.report.row("");
        flagLines.forEach(b.report::row);
    }

    /** A burst whose tasks are kept running a while (RSS is sampled meanwhile), then removed. */
    private Sample stevedoreBurstHeld(EcsTasks tasks, int n, Duration hold) throws Exception {
        long[] t0 = new long[1];
        List<AtOnce.Done<List<String>>> answers = AtOnce.run((n + 9) / 10, t0, i -> tasks.run(Math.min(10, n - 10 * i)));
        List<String> arns = answers.stream().flatMap(a -> a.value().stream()).toList();
        Map<String, Seen> seen = tasks.awaitRunning(arns, Duration.ofSeconds(180));
        long lastSeen = seen.values().stream().mapToLong(Seen::seen).max().orElseThrow();
        TimeUnit.NANOSECONDS.sleep(hold.toNanos());
        List<String> ids = arns.stream().flatMap(a -> b.docker.labelled(DockerHost.TASK_ARN_LABEL, a).stream()).toList();
        b.docker.removeAll(ids);
        tasks.awaitStopped(arns, Duration.ofSeconds(60));
        return new Sample(t0[0], lastSeen, Map.of(), Map.of());
    }

    private static String mib(Rss r) {
        return String.format("%.1f (%.1f + %.1f)", r.vmRss() / 1024.0, r.anon() / 1024.0, r.file() / 1024.0);
    }
}
