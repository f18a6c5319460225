package dev.stevedore.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Docker engine, through Debian's {@code /usr/bin/docker}, to see what the agents really did.
 */
final class Docker {
    private Docker() {
    }

    /** Ids of the containers (running or not) carrying the label. */
    static List<String> containers(String label, String value) {
        String out = run("ps", "-aq", "--no-trunc", "--filter", "label=" + label + "=" + value);
        List<String> ids = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                ids.add(line.trim());
            }
        }
        return ids;
    }

    static boolean isRunning(String id) {
        return run("inspect", "-f", "{{.State.Running}}", id).trim().equals("true");
    }

    /** Removes every container of a cluster the test made, whatever state it is in. */
    static void removeCluster(String clusterArn) {
        for (String id : containers("com.amazonaws.ecs.cluster", clusterArn)) {
            run("rm", "-f", id);
        }
    }

    static String run(String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/docker"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new AssertionError("docker " + String.join(" ", args) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
