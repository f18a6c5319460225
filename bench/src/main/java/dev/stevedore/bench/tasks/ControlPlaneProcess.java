package dev.stevedore.bench.tasks;

import dev.stevedore.server.ControlPlane;
import dev.stevedore.server.ControlPlaneConfig;
import dev.stevedore.server.RootCredentials;
import dev.stevedore.server.agentchannel.AgentChannelSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * For experiments only ({@code coalesce-ms=N}): the control plane as {@code stevedore up --no-agent}
 * starts it, except for the agent channel's coalescing window, which the command line does not
 * expose. Lets the benchmark measure what that window costs without changing product code. Runs
 * from the benchmark's class path (the modules installed in the local Maven repository), not from
 * the runnable jar.
 *
 * <p>Usage: {@code ControlPlaneProcess <port> <data-dir> <region> <account> <coalesce-ms>}; credentials
 * from STEVEDORE_ACCESS_KEY_ID / STEVEDORE_SECRET_ACCESS_KEY as for {@code stevedore up}.
 */
public final class ControlPlaneProcess {
    private ControlPlaneProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        Path dataDir = Path.of(args[1]);
        Duration window = Duration.ofMillis(Long.parseLong(args[4]));
        AgentChannelSettings d = AgentChannelSettings.defaults();
        AgentChannelSettings settings = new AgentChannelSettings(d.pingInterval(), d.unresponsiveAfter(),
                d.presenceGrace(), window);
        RootCredentials credentials = RootCredentials.resolve(System.getenv(), dataDir);
        ControlPlane plane = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", port, dataDir, args[2], args[3],
                credentials).withAgentChannel(settings));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            plane.close();
            stopped.countDown();
        }, "control-plane-shutdown"));
        System.out.println("control plane on " + plane.endpoint() + ", agent channel coalescing window " + window.toMillis() + " ms");
        stopped.await();
    }
}
