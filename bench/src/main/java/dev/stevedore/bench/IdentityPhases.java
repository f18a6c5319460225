package dev.stevedore.bench;

import com.sun.management.OperatingSystemMXBean;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The identity phases of the API benchmark: the same reads signed by the root's keys, by an IAM user's
 * access key and by an assumed role's session token, interleaved in rounds so that the noise of a shared
 * machine falls on all three alike. Besides throughput and latency each closed-loop phase reports the
 * process's CPU time per call (server and load generator together; the generator's share is the same for
 * every caller but for the token's extra header bytes), which a busy neighbour disturbs less than the
 * call rate.
 */
final class IdentityPhases {
    private static final double OPEN_RATE = 2_500;

    private record Caller(String name, AwsCredentialsIdentity credentials) {
    }

    private record Read(String operation, String body) {
    }

    private record Row(int round, Caller caller, Read read, LoadResult closed, double cpuMicrosPerCall,
                       LoadResult open) {
    }

    private final LoadGenerator load;
    private final URI api;
    private final String region;
    private final List<Caller> callers;
    private final List<Read> reads = List.of(new Read("ListClusters", "{}"),
            new Read("DescribeTaskDefinition", "{\"taskDefinition\":\"bench:1\"}"));
    private final OperatingSystemMXBean os =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    IdentityPhases(LoadGenerator load, URI api, String region, BenchIdentities identities) {
        this.load = load;
        this.api = api;
        this.region = region;
        this.callers = List.of(new Caller("root keys", identities.root()),
                new Caller("IAM user's key", identities.iamUser()),
                new Caller("assumed role's session token", identities.roleSession()));
    }

    void run(Duration phase, int concurrency, int rounds) throws Exception {
        checkEveryCallerIsAnswered();
        // The first phases would otherwise also measure the JIT compiling the server's paths.
        for (Read read : reads) {
            for (Caller caller : callers) {
                load.closedLoop("warm-up", sign(caller, read)::request, concurrency, Duration.ofSeconds(5));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (Read read : reads) {
                for (Caller caller : callers) {
                    // Signed anew for each phase: a signature is good for five minutes.
                    SignedRequest request = sign(caller, read);
                    load.closedLoop("warm-up", request::request, concurrency, Duration.ofSeconds(3));
                    long cpu0 = os.getProcessCpuTime();
                    LoadResult closed = load.closedLoop(read.operation + ", " + caller.name, request::request,
                            concurrency, phase);
                    double cpuMicros = (os.getProcessCpuTime() - cpu0) / 1_000.0 / Math.max(1, closed.calls());
                    LoadResult open = load.openLoop(read.operation + ", " + caller.name + " @ "
                            + Math.round(OPEN_RATE) + "/s", request::request, OPEN_RATE, phase);
                    rows.add(new Row(round, caller, read, closed, cpuMicros, open));
                }
            }
        }
        print(rows, phase, concurrency);
    }

    private void checkEveryCallerIsAnswered() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (Caller caller : callers) {
                for (Read read : reads) {
                    HttpResponse<String> r = http.send(sign(caller, read).request(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(read.operation + " as " + caller.name + " answered "
                                + r.statusCode() + ": " + r.body());
                    }
                }
            }
        }
    }

    private SignedRequest sign(Caller caller, Read read) {
        return SignedRequest.sign(api, caller.credentials, region, read.operation, read.body);
    }

    private void print(List<Row> rows, Duration phase, int concurrency) {
        System.out.println();
        System.out.println("Closed loop, " + concurrency + " callers, " + phase.toSeconds()
                + " s per phase; CPU = the process's CPU time per call (server and load generator):");
        System.out.println("| round | read | signed with | calls/s | CPU µs/call | p50 ms | p99 ms | errors |");
        System.out.println("|---:|---|---|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            System.out.printf("| %d | %s | %s | %,.0f | %.1f | %.2f | %.2f | %d |%n", r.round, r.read.operation,
                    r.caller.name, r.closed.perSecond(), r.cpuMicrosPerCall, r.closed.percentileMillis(50),
                    r.closed.percentileMillis(99), r.closed.errors());
        }
        System.out.println();
        System.out.println("Open loop at " + Math.round(OPEN_RATE) + " calls/s (latency from the intended send time):");
        System.out.println("| round | read | signed with | calls/s | p50 ms | p99 ms | p99.9 ms | errors |");
        System.out.println("|---:|---|---|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            System.out.printf("| %d | %s | %s | %,.0f | %.2f | %.2f | %.2f | %d |%n", r.round, r.read.operation,
                    r.caller.name, r.open.perSecond(), r.open.percentileMillis(50), r.open.percentileMillis(99),
                    r.open.percentileMillis(99.9), r.open.errors());
        }
        System.out.println();
        System.out.println("Median over the rounds, and the difference from root keys:");
        System.out.println("| read | signed with | calls/s | CPU µs/call | Δ CPU µs/call | open p50 ms |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        for (Read read : reads) {
            double rootCpu = median(rows, read, callers.getFirst(), Row::cpuMicrosPerCall);
            for (Caller caller : callers) {
                double cpu = median(rows, read, caller, Row::cpuMicrosPerCall);
                System.out.printf("| %s | %s | %,.0f | %.1f | %+.1f | %.2f |%n", read.operation, caller.name,
                        median(rows, read, caller, r -> r.closed.perSecond()), cpu, cpu - rootCpu,
                        median(rows, read, caller, r -> r.open.percentileMillis(50)));
            }
        }
    }

    private static double median(List<Row> rows, Read read, Caller caller, ToDoubleFunction<Row> f) {
        double[] values = rows.stream().filter(r -> r.read == read && r.caller == caller).mapToDouble(f).sorted()
                .toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
