package dev.stevedore.bench.lb;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's wrk as a load generator, and what its summary says: requests, duration, p50 and p99 latency, and the
 * failed requests (socket errors of every kind and answers that are not 2xx or 3xx).
 */
record Wrk(long requests, double seconds, double p50Millis, double p99Millis, long failed, String raw) {
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(m?s|m)\\b");
    private static final Pattern SOCKET = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    /** A wrk started without an end, stopped with SIGINT (wrk then prints its summary). */
    record Running(Process process) {
        Wrk stop() throws IOException, InterruptedException {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return parse(out);
        }
    }

    static Wrk run(URI url, int threads, int connections, Duration duration) throws IOException, InterruptedException {
        Process p = command(url, threads, connections, duration.toSeconds() + "s").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return parse(out);
    }

    static Running start(URI url, int threads, int connections) throws IOException {
        return new Running(command(url, threads, connections, "3600s").start());
    }

    private static ProcessBuilder command(URI url, int threads, int connections, String duration) {
        return new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + duration, "--latency",
                "--timeout", "10s", url.toString()).redirectErrorStream(true);
    }

    static Wrk parse(String out) {
        Matcher r = REQUESTS.matcher(out);
        if (!r.find()) {
            throw new IllegalStateException("no summary from wrk:\n" + out);
        }
        double seconds = Double.parseDouble(r.group(2)) * switch (r.group(3)) {
            case "ms" -> 0.001;
            case "m" -> 60.0;
            default -> 1.0;
        };
        long failed = 0;
        Matcher s = SOCKET.matcher(out);
        if (s.find()) {
            for (int i = 1; i <= 4; i++) {
                failed += Long.parseLong(s.group(i));
            }
        }
        Matcher n = NON_2XX.matcher(out);
        if (n.find()) {
            failed += Long.parseLong(n.group(1));
        }
        return new Wrk(Long.parseLong(r.group(1)), seconds, percentile(out, "50%"), percentile(out, "99%"), failed, out);
    }

    /** A latency percentile line of {@code --latency}'s distribution, in milliseconds. */
    private static double percentile(String out, String label) {
        Matcher m = Pattern.compile("^\\s*" + Pattern.quote(label) + "\\s+([\\d.]+)(us|ms|s)\\s*$", Pattern.MULTILINE)
                .matcher(out);
        if (!m.find()) {
            return Double.NaN;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000.0;
            case "s" -> v * 1000.0;
            default -> v;
        };
    }

    String row(String phase) {
        return String.format(Locale.ROOT, "| %s | %.1f | %,d | %,.0f | %.1f | %.1f | %,d |", phase, seconds, requests,
                requests / seconds, p50Millis, p99Millis, failed);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%,d requests in %.1f s, p50 %.1f ms, p99 %.1f ms, %,d failed", requests,
                seconds, p50Millis, p99Millis, failed);
    }
}
