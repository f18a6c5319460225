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

    /** A running container an agent made, by the ECS agent's labels. */
    record Running(String id, String taskArn, String family, int revision, String containerInstanceArn) {
    }

    private static final String RUNNING_FORMAT = String.join("\t", "{{.ID}}",
            "{{.Label \"com.amazonaws.ecs.task-arn\"}}",
            "{{.Label \"com.amazonaws.ecs.task-definition-family\"}}",
            "{{.Label \"com.amazonaws.ecs.task-definition-version\"}}",
            "{{.Label \"dev.stevedore.container-instance\"}}");

    /** The running containers of a task definition family in a cluster, in one {@code docker ps}. */
    static List<Running> running(String clusterArn, String family) {
        String out = run("ps", "--no-trunc", "--filter", "label=com.amazonaws.ecs.cluster=" + clusterArn,
                "--filter", "label=com.amazonaws.ecs.task-definition-family=" + family, "--format", RUNNING_FORMAT);
        List<Running> running = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 5) {
                throw new AssertionError("unexpected docker ps output: " + out);
            }
            running.add(new Running(f[0], f[1], f[2], Integer.parseInt(f[3]), f[4]));
        }
        return running;
    }

    /** What a container printed, standard output and error interleaved. */
    static String logs(String id) {
        return run("logs", id);
    }

    static boolean isRunning(String id) {
        return run("inspect", "-f", "{{.State.Running}}", id).trim().equals("true");
    }

    /** Removes every container of a cluster the test made, whatever state it is in. */
    static void removeCluster(String clusterArn) {
        removeLabelled("com.amazonaws.ecs.cluster", clusterArn);
    }

    /** Removes every container carrying the label, whatever state it is in. */
    static void removeLabelled(String label, String value) {
        for (String id : containers(label, value)) {
            run("rm", "-f", id);
        }
    }

    /** Removes the network the agent made on this host for a subnet of the test's own. */
    static void removeSubnetNetwork(String subnetId) {
        for (String name : run("network", "ls", "-q", "--filter", "label=dev.stevedore.subnet-id=" + subnetId)
                .split("\\s+")) {
            if (!name.isBlank()) {
                removeNetwork(name);
            }
        }
    }

    /**
     * Removes a network the test's tasks used; tried a few times, since the engine may still be
     * releasing the endpoints of containers just removed.
     */
    static void removeNetwork(String name) {
        for (int attempt = 0; attempt < 10; attempt++) {
            String out = run("network", "rm", name);
            if (out.contains(name) || out.contains("not found")) {
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** What a docker command did: its exit status and its output, standard output and error interleaved. */
    record Result(int exitCode, String output) {
    }

    /**
     * A docker command with its client configuration (logins) in {@code config} rather than the user's,
     * {@code stdin} (may be null) written to it.
     */
    static Result run(java.nio.file.Path config, String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/docker", "--config", config.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("docker " + String.join(" ", args) + " did not finish");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("docker " + String.join(" ", args) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
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
