package dev.stevedore.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code stevedore agent} as its own JVM, joined to a cluster as an operator would start it on a
 * host; tests run several on this machine, each with its own data directory, instance id and zone.
 */
final class AgentProcess implements AutoCloseable {
    final Path dataDir;
    final Process process;

    private AgentProcess(Path dataDir, Process process) {
        this.dataDir = dataDir;
        this.process = process;
    }

    static AgentProcess start(int serverPort, String cluster, Path dataDir, String instanceId, String zone,
                              int cpu, int memory) {
        return start(serverPort, List.of("--cluster", cluster), dataDir, instanceId, zone, cpu, memory);
    }

    /** An agent of a cluster that serves its metrics at {@code http://127.0.0.1:metricsPort/metrics}. */
    static AgentProcess startWithMetrics(int serverPort, String cluster, Path dataDir, String instanceId, String zone,
                                         int cpu, int memory, int metricsPort) {
        return start(serverPort, List.of("--cluster", cluster, "--metrics-port", Integer.toString(metricsPort)),
                dataDir, instanceId, zone, cpu, memory);
    }

    /** An agent that gives the machine to the platform as Fargate capacity ({@code agent --fargate}). */
    static AgentProcess startPlatformHost(int serverPort, Path dataDir, String instanceId, String zone, int cpu,
                                          int memory) {
        return start(serverPort, List.of("--fargate"), dataDir, instanceId, zone, cpu, memory);
    }

    /** An agent of a cluster reaching the control plane at {@code endpoint} (not necessarily on loopback). */
    static AgentProcess start(String endpoint, String cluster, Path dataDir, String instanceId, String zone,
                              int cpu, int memory) {
        return start(endpoint, List.of("--cluster", cluster), dataDir, instanceId, zone, cpu, memory, true);
    }

    /**
     * An agent of a cluster whose task endpoints are on {@code taskEndpointPort}: the same port again
     * when it is restarted, as an operator's agent keeps it (containers hold addresses naming it).
     */
    static AgentProcess start(int serverPort, String cluster, Path dataDir, String instanceId, String zone,
                              int cpu, int memory, int taskEndpointPort) {
        return start("http://127.0.0.1:" + serverPort, List.of("--cluster", cluster), dataDir, instanceId, zone, cpu,
                memory, true, taskEndpointPort);
    }

    /**
     * An agent that joins with a token ({@code --join-token}), started with no keys of anyone in its
     * environment (none of the test's AWS or Stevedore variables either).
     */
    static AgentProcess startJoined(int serverPort, String joinToken, Path dataDir, String instanceId, String zone,
                                    int cpu, int memory) {
        return start("http://127.0.0.1:" + serverPort, List.of("--join-token", joinToken), dataDir, instanceId,
                zone, cpu, memory, false);
    }

    /** An agent with its own joining options ({@code --cluster C}, and any other of {@code stevedore agent}'s). */
    static AgentProcess start(int serverPort, List<String> joining, Path dataDir, String instanceId,
                              String zone, int cpu, int memory) {
        return start("http://127.0.0.1:" + serverPort, joining, dataDir, instanceId, zone, cpu, memory, true);
    }

    private static AgentProcess start(String endpoint, List<String> joining, Path dataDir, String instanceId,
                                      String zone, int cpu, int memory, boolean rootKeys) {
        // The task endpoints (169.254.170.2) on a port of its own: tests run several agents on this host.
        return start(endpoint, joining, dataDir, instanceId, zone, cpu, memory, rootKeys, StevedoreProcess.freePort());
    }

    private static AgentProcess start(String endpoint, List<String> joining, Path dataDir, String instanceId,
                                      String zone, int cpu, int memory, boolean rootKeys, int taskEndpointPort) {
        List<String> command = new ArrayList<>(StevedoreJvm.command("agent"));
        command.addAll(List.of("--endpoint", endpoint));
        command.addAll(joining);
        command.addAll(List.of("--task-endpoint-port", Integer.toString(taskEndpointPort)));
        command.addAll(List.of("--data-dir", dataDir.toString(), "--instance-id", instanceId,
                "--attribute", "ecs.availability-zone=" + zone,
                "--cpu", Integer.toString(cpu), "--memory", Integer.toString(memory),
                "--region", InProcessStevedore.REGION));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("STEVEDORE_"));
        if (rootKeys) {
            env.put("AWS_ACCESS_KEY_ID", InProcessStevedore.ACCESS_KEY);
            env.put("AWS_SECRET_ACCESS_KEY", InProcessStevedore.SECRET_KEY);
        }
        env.put("AWS_REGION", InProcessStevedore.REGION);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(
                dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile()));
        try {
            return new AgentProcess(dataDir, pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the agent has printed so far (standard output and error). */
    String output() {
        try {
            return java.nio.file.Files.readString(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: the agent gets no chance to do anything; its containers keep running. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
