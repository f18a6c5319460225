package dev.stevedore.server;

import dev.stevedore.awsproto.SigV4Credentials;
import dev.stevedore.lb.DataPlane;
import dev.stevedore.server.lb.LoadBalancerProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    @Option(names = "--endpoint", paramLabel = "URL", split = ",",
            description = {"The Stevedore endpoint (default: AWS_ENDPOINT_URL, else the one `up` last served from "
                    + "--data-dir, else http://127.0.0.1:" + ControlPlaneConfig.DEFAULT_PORT + ").",
                    "Repeated or comma-separated for a control plane of several replicas: the process follows "
                            + "one and moves to the next when it stops answering."})
    List<URI> endpoints; // picocli leaves it null when not given; read through following()

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.stevedore",
            description = "The data directory of the `up` whose root keys to sign with, when "
                    + "STEVEDORE_ACCESS_KEY_ID is not set (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--region", paramLabel = "REGION",
            description = "The Region requests are signed for (default: the one `up` last started with from "
                    + "--data-dir, else " + ControlPlaneConfig.DEFAULT_REGION + ").")
    String region; // picocli leaves it null when not given; read through following()

    /**
     * Where the process connects and the Region it signs for: the flags, else (the endpoint) AWS_ENDPOINT_URL,
     * else what {@code up} recorded in the data directory, as {@code env} does, else the defaults.
     */
    static Following following(List<URI> endpoints, Optional<String> region, Map<String, String> env, Path dataDir) {
        Optional<UpRecord> recorded = UpRecord.read(dataDir);
        List<URI> to = !endpoints.isEmpty() ? List.copyOf(endpoints)
                : Optional.ofNullable(env.get("AWS_ENDPOINT_URL")).filter(e -> !e.isBlank())
                        .or(() -> recorded.map(UpRecord::endpoint))
                        .map(e -> List.of(URI.create(e)))
                        .orElse(List.of(URI.create("http://127.0.0.1:" + ControlPlaneConfig.DEFAULT_PORT)));
        String signingRegion = region.or(() -> recorded.map(UpRecord::region)).orElse(ControlPlaneConfig.DEFAULT_REGION);
        return new Following(to, signingRegion);
    }

    /** The endpoints the process follows and the Region it signs for. */
    record Following(List<URI> endpoints, String region) {}

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
        Following following = following(Optional.ofNullable(endpoints).orElse(List.of()), Optional.ofNullable(region),
                System.getenv(), dataDir);
        LoadBalancerProcess process = new LoadBalancerProcess(new LoadBalancerProcess.Settings(following.endpoints(),
                following.region(),
                new SigV4Credentials(credentials.get().accessKeyId(), credentials.get().secretAccessKey(), Optional.empty()),
                Duration.ofSeconds(1)), new DataPlane(), Clock.systemUTC());
        process.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.close();
            stopped.countDown();
        }, "stevedore-lb-shutdown"));
        System.out.println("Stevedore load balancer process " + process.processId() + " following "
                + following.endpoints().stream().map(URI::toString).collect(Collectors.joining(", ")));
        System.out.flush();
        stopped.await();
        return 0;
    }
}
