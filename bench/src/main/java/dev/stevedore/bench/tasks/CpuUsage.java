package dev.stevedore.bench.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time spent by the parties of a measurement, from /proc (clock ticks of 10 ms, so read over
 * whole phases, not single starts). On two cores the agent and the control plane compete with the
 * Docker daemon for the same CPUs; this shows how much they took, and how busy the whole machine
 * was (other people's builds included) while each kind ran.
 */
final class CpuUsage {
    static final String MACHINE = "whole machine (all processes)";
    private static final double TICK_SECONDS = 0.01; // USER_HZ is 100 on Linux

    private final Map<String, Long> pids = new LinkedHashMap<>();

    CpuUsage(Map<String, Long> named) {
        pids.putAll(named);
        pids.put("dockerd", pidOf("dockerd"));
        pids.put("containerd", pidOf("containerd"));
    }

    /** CPU seconds so far of every tracked process and of the machine. */
    Map<String, Double> snapshot() {
        Map<String, Double> out = new LinkedHashMap<>();
        pids.forEach((name, pid) -> out.put(name, pid == null || pid < 0 ? 0.0 : processTicks(pid) * TICK_SECONDS));
        out.put(MACHINE, machineBusyTicks() * TICK_SECONDS);
        return out;
    }

    static Map<String, Double> minus(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> d = new LinkedHashMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0.0)));
        return d;
    }

    static void add(Map<String, Double> into, Map<String, Double> delta) {
        delta.forEach((k, v) -> into.merge(k, v, Double::sum));
    }

    /** utime + stime, and those of waited-for children (runc under containerd's shims ends up there). */
    private static long processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name is in parentheses and may contain spaces: count fields after it.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Every CPU's non-idle time: user, nice, system, irq, softirq, steal. */
    private static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + Long.parseLong(f[8]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static Long pidOf(String comm) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            return Files.readString(p.resolve("comm")).trim().equals(comm);
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .map(p -> Long.parseLong(p.getFileName().toString())).findFirst().orElse(-1L);
        } catch (IOException e) {
            return -1L;
        }
    }
}
