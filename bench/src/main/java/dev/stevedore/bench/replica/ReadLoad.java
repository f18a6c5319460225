package dev.stevedore.bench.replica;

import dev.stevedore.bench.UpServer;
import dev.stevedore.bench.tasks.Distribution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * A read load on one replica: {@code callers} threads, each calling as fast as answers come, in
 * turn DescribeContainerInstances of 100 instances (a window that moves along the cluster's),
 * ListContainerInstances (a page of 100) and DescribeServices of the cluster's services.
 */
record ReadLoad(String name, EcsClient ecs, ReadLoad.State state, int callers) {

    /** What the reads are about: made through the leader before the load starts. */
    record State(String cluster, String clusterArn, List<String> instanceArns, List<String> services) {
    }

    /** Runs the load for {@code duration}, and notes the CPU the two replicas' processes spent meanwhile. */
    Phase run(Duration duration, UpServer leader, UpServer follower) throws Exception {
        long leaderTicks = cpuTicks(leader.pid());
        long followerTicks = cpuTicks(follower.pid());
        long started = System.nanoTime();
        long until = started + duration.toNanos();
        AtomicLong errors = new AtomicLong();
        List<Future<List<Long>>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
            for (int c = 0; c < callers; c++) {
                int caller = c;
                done.add(pool.submit(() -> {
                    List<Long> took = new ArrayList<>();
                    for (int i = caller; System.nanoTime() < until; i += callers) {
                        long sent = System.nanoTime();
                        try {
                            readOnce(i);
                            took.add(System.nanoTime() - sent);
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                        }
                    }
                    return took;
                }));
            }
            List<Long> latencies = new ArrayList<>();
            for (Future<List<Long>> f : done) {
                latencies.addAll(f.get());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Phase(name, latencies, errors.get(), seconds,
                    (cpuTicks(leader.pid()) - leaderTicks) / 100.0, (cpuTicks(follower.pid()) - followerTicks) / 100.0);
        }
    }

    private void readOnce(int i) {
        switch (i % 3) {
            case 0 -> {
                List<String> arns = state.instanceArns();
                int from = (i * 37) % Math.max(1, arns.size() - 100 + 1);
                List<String> window = arns.subList(from, Math.min(arns.size(), from + 100));
                if (ecs.describeContainerInstances(b -> b.cluster(state.cluster()).containerInstances(window))
                        .containerInstances().size() != window.size()) {
                    throw new IllegalStateException("DescribeContainerInstances answered fewer than asked for");
                }
            }
            case 1 -> ecs.listContainerInstances(b -> b.cluster(state.cluster()).maxResults(100));
            default -> ecs.describeServices(b -> b.cluster(state.cluster()).services(state.services()));
        }
    }

    /** utime + stime of a process, in clock ticks (10 ms). */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** One phase's figures (or several phases' summed). */
    record Phase(String target, List<Long> latencies, long errors, double seconds, double leaderCpu,
                 double followerCpu) {
        static final String HEADER = String.format("%-30s %9s %8s %9s %8s %8s %14s %16s", "reads on", "calls",
                "errors", "calls/s", "p50 ms", "p99 ms", "leader CPU s", "follower CPU s");

        static Phase sum(String target, List<Phase> phases) {
            List<Long> all = new ArrayList<>();
            long errors = 0;
            double seconds = 0;
            double leaderCpu = 0;
            double followerCpu = 0;
            for (Phase p : phases) {
                all.addAll(p.latencies());
                errors += p.errors();
                seconds += p.seconds();
                leaderCpu += p.leaderCpu();
                followerCpu += p.followerCpu();
            }
            return new Phase(target, all, errors, seconds, leaderCpu, followerCpu);
        }

        Phase named(String name) {
            return new Phase(name, latencies, errors, seconds, leaderCpu, followerCpu);
        }

        String row() {
            Distribution d = Distribution.of(latencies);
            return String.format("%-30s %9d %8d %9.0f %8s %8s %14.2f %16.2f", target, d.count(), errors,
                    d.count() / seconds, Distribution.ms(d.medianMillis()), Distribution.ms(d.percentileMillis(99)),
                    leaderCpu, followerCpu);
        }

        String line() {
            Distribution d = Distribution.of(latencies);
            return String.format("%s: %d calls (%.0f/s), %d errors, p50 %s ms, p99 %s ms, CPU leader %.2f s, "
                            + "follower %.2f s", target, d.count(), d.count() / seconds, errors,
                    Distribution.ms(d.medianMillis()), Distribution.ms(d.percentileMillis(99)), leaderCpu, followerCpu);
        }
    }
}
