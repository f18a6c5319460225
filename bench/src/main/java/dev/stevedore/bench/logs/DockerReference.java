package dev.stevedore.bench.logs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The reference for log ingest: Docker's json-file driver writing the same number of lines of the same
 * size. The container prints them with {@code yes | head}; the time is from {@code docker run} to the
 * container's exit (so it includes the container's start, about half a second, which is said with the
 * figure), and {@code docker logs} counts the lines back.
 */
final class DockerReference {
    private static final String DOCKER = "/usr/bin/docker";

    private DockerReference() {
    }

    static void run(String image, long lines, int lineBytes) throws IOException, InterruptedException {
        String line = "x".repeat(lineBytes);
        String name = "stevedore-logs-bench-" + ProcessHandle.current().pid();
        long began = System.nanoTime();
        String id = output(List.of(DOCKER, "run", "-d", "--name", name, "--log-driver", "json-file", image, "sh", "-c",
                "yes " + line + " | head -n " + lines)).strip();
        output(List.of(DOCKER, "wait", id));
        double seconds = (System.nanoTime() - began) / 1e9;
        long began0 = System.nanoTime();
        Process empty = new ProcessBuilder(DOCKER, "run", "--rm", "--log-driver", "json-file", image, "true").start();
        empty.waitFor();
        double startOnly = (System.nanoTime() - began0) / 1e9;
        long counted;
        Process logs = new ProcessBuilder(DOCKER, "logs", id).redirectErrorStream(true).start();
        try (var in = logs.getInputStream()) {
            counted = 0;
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        counted++;
                    }
                }
            }
        }
        logs.waitFor();
        output(List.of(DOCKER, "rm", "-f", id));
        System.out.printf("reference, json-file driver: %,d lines of %d bytes in %.2f s from docker run to exit "
                        + "(an empty container takes %.2f s): %,.0f lines/s, %,.0f lines/s without the start; "
                        + "docker logs counted %,d lines%n",
                lines, lineBytes, seconds, startOnly, lines / seconds, lines / Math.max(0.001, seconds - startOnly), counted);
    }

    private static String output(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
