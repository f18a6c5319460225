package dev.stevedore.lb;

import dev.stevedore.lb.config.Action;
import dev.stevedore.lb.config.Listener;
import dev.stevedore.lb.config.ProxyConfig;
import dev.stevedore.lb.config.Target;
import dev.stevedore.lb.config.TargetGroup;
import dev.stevedore.lb.proxy.BackendPool;
import java.util.ArrayList;
import java.util.List;

/**
 * The data plane on its own, for benchmarks and manual runs: one listener forwarding to one round-robin
 * group of the given targets.
 *
 * <pre>java -cp ... dev.stevedore.lb.Standalone --listen 127.0.0.1:8080 --target 127.0.0.1:9001 --target 127.0.0.1:9002
 *     [--workers N] [--pool per-event-loop|shared]</pre>
 */
public final class Standalone {

    private Standalone() {
    }

    public static void main(String[] args) throws InterruptedException {
        String listen = "127.0.0.1:8080";
        List<Target> targets = new ArrayList<>();
        int workers = Runtime.getRuntime().availableProcessors();
        BackendPool.Mode pool = BackendPool.Mode.PER_EVENT_LOOP;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--listen" -> listen = value;
                case "--target" -> targets.add(Target.at(host(value), port(value)));
                case "--workers" -> workers = Integer.parseInt(value);
                case "--pool" -> pool = "shared".equals(value) ? BackendPool.Mode.SHARED : BackendPool.Mode.PER_EVENT_LOOP;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        DataPlane plane = new DataPlane(new DataPlane.Options(workers, pool));
        plane.apply(new ProxyConfig(List.of(new Listener(host(listen), port(listen), List.of(), Action.Forward.to("targets"))),
                List.of(TargetGroup.of("targets", targets))));
        System.out.println("listening on " + listen + " (" + plane.transportName() + ", " + workers + " event loops, "
                + pool + " pool) for " + targets.size() + " targets");
        Runtime.getRuntime().addShutdownHook(new Thread(plane::close));
        Thread.currentThread().join();
    }

    private static String host(String hostPort) {
        return hostPort.substring(0, hostPort.lastIndexOf(':'));
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }
}
