package dev.stevedore.bench.tasks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Resident memory of one process, from {@code /proc/<pid>/status}, sampled in the background so
 * that the peak of each phase is caught and not only the value at its end. VmRSS is what the goal
 * is stated in; RssAnon (heap, metaspace, code cache, stacks, malloc) and RssFile (libjvm.so, the
 * CDS archive, other mapped files) are kept too, because they call for different remedies.
 */
final class ProcessMemory implements AutoCloseable {
    /** KiB, as /proc reports them. */
    record Rss(long vmRss, long anon, long file) {
        static final Rss NONE = new Rss(0, 0, 0);

        Rss max(Rss other) {
            return other.vmRss > vmRss ? other : this;
        }

        String mib() {
            return String.format("%.1f MiB (anon %.1f, file %.1f)", vmRss / 1024.0, anon / 1024.0, file / 1024.0);
        }
    }

    private final long pid;
    private final Path status;
    private final Map<String, Rss> peaks = new ConcurrentHashMap<>();
    private volatile String phase = "start";
    private volatile boolean closed;
    private final Thread sampler;

    ProcessMemory(long pid) {
        this.pid = pid;
        this.status = Path.of("/proc", Long.toString(pid), "status");
        this.sampler = Thread.ofVirtual().name("rss-" + pid).start(this::run);
    }

    long pid() {
        return pid;
    }

    /** Peaks are kept per phase; the sampler files every reading under the phase named last. */
    void phase(String name) {
        phase = name;
        sampleInto(name);
    }

    Rss peak(String phaseName) {
        return peaks.getOrDefault(phaseName, Rss.NONE);
    }

    /** One reading now, outside the background cadence. */
    Rss now() {
        try {
            long rss = 0;
            long anon = 0;
            long file = 0;
            for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("RssAnon:")) {
                    anon = kib(line);
                } else if (line.startsWith("RssFile:")) {
                    file = kib(line);
                }
            }
            return new Rss(rss, anon, file);
        } catch (IOException e) {
            return Rss.NONE; // the process has ended
        }
    }

    private static long kib(String line) {
        String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]);
    }

    private void sampleInto(String name) {
        Rss r = now();
        peaks.merge(name, r, Rss::max);
    }

    private void run() {
        while (!closed) {
            sampleInto(phase);
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * The JVM's own account of its flags ({@code jcmd <pid> VM.flags}): what was given plus what
     * ergonomics chose (heap size, GC), which is what decides the footprint. Attaching starts an
     * attach-listener thread in the target, so call it after the memory readings.
     */
    static String jvmFlags(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), "VM.flags"))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            // First line is "<pid>:", the flags follow on one line.
            return out.lines().filter(l -> l.startsWith("-")).findFirst().orElse(out.trim());
        } catch (IOException e) {
            return "(jcmd failed: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    @Override
    public void close() {
        closed = true;
        sampler.interrupt();
    }
}
