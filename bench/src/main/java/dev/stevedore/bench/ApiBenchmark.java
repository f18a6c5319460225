package dev.stevedore.bench;

import dev.stevedore.server.ControlPlane;
import dev.stevedore.server.ControlPlaneConfig;
import dev.stevedore.server.RootCredentials;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The API benchmark of the foundation: signed reads (ListClusters, DescribeTaskDefinition) and
 * durable writes (RegisterTaskDefinition) through the real HTTP endpoint, next to a bare Vert.x
 * endpoint that answers {@code {}} without any work (the ceiling of HTTP on this machine).
 *
 * <p>Usage: {@code bench/run-api.sh [seconds-per-phase] [callers]}; {@code bench/run-api.sh
 * [seconds-per-phase] [callers] identity [rounds]} runs the {@link IdentityPhases} instead: the reads
 * signed by the root, by an IAM user and by an assumed role, side by side.
 */
public final class ApiBenchmark {
    private static final String KEY = "AKIABENCHMARK0000001";
    private static final String SECRET = "bench/secret/key/0000000000000000000000";
    private static final String REGION = "us-east-1";
    private static final String ACCOUNT = "000000000000";

    public static void main(String[] args) throws Exception {
        Duration phase = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 10);
        int callers = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        boolean identity = args.length > 2 && args[2].equals("identity");
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Path dataDir = Files.createTempDirectory("stevedore-bench");
        Vertx vertx = Vertx.vertx();
        HttpServer reference = vertx.createHttpServer()
                .requestHandler(req -> req.body().onComplete(b -> req.response()
                        .putHeader("Content-Type", "application/x-amz-json-1.1").end("{}")))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        URI referenceUri = URI.create("http://127.0.0.1:" + reference.actualPort());
        try (ControlPlane plane = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0, dataDir, REGION,
                ACCOUNT, new RootCredentials(KEY, SECRET, RootCredentials.Source.ENVIRONMENT)))) {
            URI api = URI.create(plane.endpoint());
            LoadGenerator load = new LoadGenerator();
            String registerBody = "{\"family\":\"bench\",\"containerDefinitions\":[{\"name\":\"app\","
                    + "\"image\":\"stevedore-test/busybox:latest\",\"memory\":64,\"essential\":true,"
                    + "\"portMappings\":[{\"containerPort\":8080,\"hostPort\":0}]}]}";
            SignedRequest register = sign(api, "RegisterTaskDefinition", registerBody);
            for (int i = 0; i < 20; i++) {
                load.closedLoop("setup", fixed(sign(api, "CreateCluster", "{\"clusterName\":\"bench-" + i + "\"}")), 1,
                        Duration.ofMillis(1));
            }
            load.closedLoop("setup", fixed(register), 1, Duration.ofMillis(50));

            if (identity) {
                BenchIdentities identities = BenchIdentities.create(api, AwsBasicCredentials.create(KEY, SECRET));
                new IdentityPhases(load, api, REGION, identities).run(phase, callers, rounds);
            } else {
                apiPhases(load, api, referenceUri, register, phase, callers, dataDir);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
        System.exit(0);
    }

    private static void apiPhases(LoadGenerator load, URI api, URI referenceUri, SignedRequest register,
                                  Duration phase, int callers, Path dataDir) throws Exception {
        List<Phase> phases = List.of(
                new Phase("reference: bare Vert.x endpoint, no work", fixed(new SignedRequest("none",
                        HttpRequest.newBuilder(referenceUri).POST(HttpRequest.BodyPublishers.ofString("{}")).build())),
                        5_000),
                new Phase("ListClusters (21 clusters)", fixed(sign(api, "ListClusters", "{}")), 5_000),
                new Phase("DescribeTaskDefinition", fixed(sign(api, "DescribeTaskDefinition",
                        "{\"taskDefinition\":\"bench:1\"}")), 5_000),
                new Phase("RegisterTaskDefinition (durable write)", fixed(register), 1_000));

        List<LoadResult> closed = new ArrayList<>();
        List<LoadResult> open = new ArrayList<>();
        List<LoadResult> atHalfGoal = new ArrayList<>();
        for (Phase p : phases) {
            load.closedLoop("warm-up", p.requests, callers, Duration.ofSeconds(3));
            LoadResult max = load.closedLoop(p.name, p.requests, callers, phase);
            closed.add(max);
            open.add(load.openLoop(p.name + " @ " + Math.round(max.perSecond() / 2) + "/s",
                    p.requests, max.perSecond() / 2, phase));
            atHalfGoal.add(load.openLoop(p.name + " @ " + Math.round(p.goalRate / 2) + "/s",
                    p.requests, p.goalRate / 2, phase));
        }
        System.out.println();
        System.out.println("Closed loop, " + callers + " callers, " + phase.toSeconds() + " s per phase:");
        System.out.println("| phase | calls/s | p50 ms | p99 ms | p99.9 ms | errors |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        closed.forEach(r -> System.out.println(r.row()));
        System.out.println();
        System.out.println("Open loop at half the closed-loop rate (latency from intended send time):");
        System.out.println("| phase | calls/s | p50 ms | p99 ms | p99.9 ms | errors |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        open.forEach(r -> System.out.println(r.row()));
        System.out.println();
        System.out.println("Open loop at half the goal rate (5,000 reads/s, 1,000 writes/s):");
        System.out.println("| phase | calls/s | p50 ms | p99 ms | p99.9 ms | errors |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        atHalfGoal.forEach(r -> System.out.println(r.row()));
        Runtime rt = Runtime.getRuntime();
        System.out.printf("%nJVM heap in use at the end: %d MiB; state.db: %d KiB%n",
                (rt.totalMemory() - rt.freeMemory()) >> 20, Files.size(dataDir.resolve("state.db")) >> 10);
    }

    /** @param goalRate the goal for this kind of call; open loop also runs at half of it */
    private record Phase(String name, Supplier<HttpRequest> requests, double goalRate) {
    }

    private static SignedRequest sign(URI api, String op, String body) {
        return SignedRequest.sign(api, KEY, SECRET, REGION, op, body);
    }

    private static Supplier<HttpRequest> fixed(SignedRequest r) {
        return r::request;
    }
}
