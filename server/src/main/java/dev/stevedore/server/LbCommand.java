package dev.stevedore.server;

import dev.stevedore.awsproto.SigV4Credentials;
import dev.stevedore.lb.DataPlane;
import dev.stevedore.server.lb.LoadBalancerProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stevedore lb}: the load balancers' data plane as a process of its own, for a control plane started with
 * {@code up --lb external}.
 */
@Command(name = "lb",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Serve the load balancers (the ELBv2 API's listeners, rules and target groups) in this process, "
                        + "until Ctrl-C or SIGTERM, for a Stevedore started with `up --lb external`.",
                "",
                "The process follows the control plane's configuration (every change is applied whole), binds "
                        + "each listener on its load balancer's address (127.100.0.x), health-checks the targets "
                        + "and reports the checks every second, which DescribeTargetHealth and deregistration "
                        + "draining answer from. Without a control plane it keeps serving what it had, and "
                        + "reconnects.",
                "",
                "It signs as the account root: STEVEDORE_ACCESS_KEY_ID / STEVEDORE_SECRET_ACCESS_KEY, else the "
                        + "keys `up` keeps in --data-dir (`stevedore env` prints them).",
                ""},
        footer = {"",
                "Examples:",
                "  bin/stevedore up --lb external",
                "  bin/stevedore lb --endpoint http://127.0.0.1:9400"})
final class LbCommand implements Callable<Integer> {

    @Option(names = "--endpoint", paramLabel = "URL", split = ",", defaultValue = "${env:AWS_ENDPOINT_URL:-http://127.0.0.1:"
            + ControlPlaneConfig.DEFAULT_PORT + "}",
            description = {"The Stevedore endpoint (default: AWS_ENDPOINT_URL, else ${DEFAULT-VALUE}).",
                    "Repeated or comma-separated for a control plane of several replicas: the process follows "
                            + "one and moves to the next when it stops answering."})
    List<URI> endpoints;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.stevedore",
            description = "The data directory of the `up` whose root keys to sign with, when "
                    + "STEVEDORE_ACCESS_KEY_ID is not set (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--region", paramLabel = "REGION", defaultValue = ControlPlaneConfig.DEFAULT_REGION,
            description = "The Region requests are signed for (default: ${DEFAULT-VALUE}).")
    String region;

    @Override
    public Integer call() throws InterruptedException {
        Optional<RootCredentials> credentials;
        try {
            credentials = RootCredentials.existing(System.getenv(), dataDir);
        } catch (IllegalArgumentException e) {
            System.err.println("stevedore lb: " + e.getMessage());
            return 2;
        }
        if (credentials.isEmpty()) {
            System.err.println("stevedore lb: no root keys: set STEVEDORE_ACCESS_KEY_ID and STEVEDORE_SECRET_ACCESS_KEY "
                    + "(`stevedore env` on the server's machine prints them), or pass the --data-dir of `up`.");
            return 2;
        }
        LoadBalancerProcess process = new LoadBalancerProcess(new LoadBalancerProcess.Settings(endpoints, region,
                new SigV4Credentials(credentials.get().accessKeyId(), credentials.get().secretAccessKey(), Optional.empty()),
                Duration.ofSeconds(1)), new DataPlane(), Clock.systemUTC());
        process.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.close();
            stopped.countDown();
        }, "stevedore-lb-shutdown"));
        System.out.println("Stevedore load balancer process " + process.processId() + " following "
                + endpoints.stream().map(URI::toString).collect(Collectors.joining(", ")));
        System.out.flush();
        stopped.await();
        return 0;
    }
}
