package dev.stevedore.bench.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.bench.SignedRequest;
import dev.stevedore.server.ControlPlane;
import dev.stevedore.server.ControlPlaneConfig;
import dev.stevedore.server.RootCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * PutLogEvents ingest through the real HTTP endpoint: an in-process control plane on 127.0.0.1, every
 * request signed with the AWS SDK's SigV4 signer and verified by the server, batches of 1,000 events of
 * 100 bytes, one caller per stream, all streams at once; answered means durable ({@code synchronous=FULL}).
 * Requests are built and signed before the clock starts (each is different, as real batches are).
 * Beside it, in the same run, the reference: the same number of 100-byte lines written by a container
 * with Docker's json-file driver, timed from {@code docker run} to the container's exit, and counted
 * back with {@code docker logs}.
 *
 * <p>Usage: {@code LogsBenchmark [streams] [batches per stream] [docker image]}
 */
public final class LogsBenchmark {
    private static final String KEY = "AKIABENCHMARK0000001";
    private static final String SECRET = "bench/secret/key/0000000000000000000000";
    private static final String REGION = "us-east-1";
    private static final String ACCOUNT = "000000000000";
    static final int EVENTS_PER_BATCH = 1_000;
    static final int MESSAGE_BYTES = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int streams = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        String image = args.length > 2 ? args[2] : "stevedore-test/busybox:latest";
        long events = (long) streams * batches * EVENTS_PER_BATCH;
        Path dataDir = Files.createTempDirectory("stevedore-logs-bench");
        try (ControlPlane plane = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0, dataDir, REGION, ACCOUNT,
                new RootCredentials(KEY, SECRET, RootCredentials.Source.ENVIRONMENT)))) {
            URI api = URI.create(plane.endpoint());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            send(http, sign(api, "CreateLogGroup", "{\"logGroupName\":\"/bench/ingest\"}"));
            for (int s = 0; s < streams; s++) {
                send(http, sign(api, "CreateLogStream",
                        "{\"logGroupName\":\"/bench/ingest\",\"logStreamName\":\"stream-" + s + "\"}"));
            }
            // Warm-up: one batch per stream, not counted.
            long start = System.currentTimeMillis() - 60_000;
            for (int s = 0; s < streams; s++) {
                send(http, sign(api, "PutLogEvents", batch(s, -1, start)));
            }
            List<List<HttpRequest>> requests = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                List<HttpRequest> own = new ArrayList<>();
                for (int b = 0; b < batches; b++) {
                    own.add(sign(api, "PutLogEvents", batch(s, b, start)));
                }
                requests.add(own);
            }
            long began = System.nanoTime();
            List<Future<Integer>> callers = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(streams)) {
                for (List<HttpRequest> own : requests) {
                    callers.add(pool.submit(() -> {
                        int rejected = 0;
                        for (HttpRequest request : own) {
                            JsonNode answer = send(http, request);
                            rejected += answer.has("rejectedLogEventsInfo") ? 1 : 0;
                        }
                        return rejected;
                    }));
                }
            }
            int rejected = 0;
            for (Future<Integer> caller : callers) {
                rejected += caller.get();
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            long stored = 0;
            JsonNode described = send(http, sign(api, "DescribeLogStreams", "{\"logGroupName\":\"/bench/ingest\"}"));
            for (JsonNode stream : described.path("logStreams")) {
                stored += stream.path("storedBytes").asLong();
            }
            long expectedBytes = (events + (long) streams * EVENTS_PER_BATCH) * MESSAGE_BYTES;
            System.out.printf("PutLogEvents over HTTP+SigV4: %d streams x %d batches x %d events of %d bytes = %,d events "
                            + "in %.2f s: %,.0f events/s durable (%,.1f MB/s of messages); batches with rejections: %d; "
                            + "stored bytes %s%n",
                    streams, batches, EVENTS_PER_BATCH, MESSAGE_BYTES, events, seconds, events / seconds,
                    events * MESSAGE_BYTES / seconds / 1e6, rejected,
                    stored == expectedBytes ? "as expected (" + stored + ")" : stored + " != " + expectedBytes);
        } finally {
            deleteTree(dataDir);
        }
        DockerReference.run(image, events, MESSAGE_BYTES);
        System.exit(0);
    }

    /** A batch of 1,000 distinct 100-byte lines, one millisecond apart, for stream {@code s}. */
    static String batch(int s, int b, long start) {
        ObjectNode body = JSON.createObjectNode()
                .put("logGroupName", "/bench/ingest")
                .put("logStreamName", "stream-" + s);
        ArrayNode events = body.putArray("logEvents");
        for (int i = 0; i < EVENTS_PER_BATCH; i++) {
            events.addObject().put("timestamp", start + Math.max(b, 0) * 10L).put("message", line(s, b, i));
        }
        return body.toString();
    }

    static String line(int s, int b, int i) {
        String text = String.format("2026-12-07T07:00:00.000Z INFO stream=%d batch=%d event=%d GET /api/items status=200 ",
                s, b, i);
        return (text + "x".repeat(MESSAGE_BYTES)).substring(0, MESSAGE_BYTES);
    }

    private static HttpRequest sign(URI api, String operation, String body) {
        return SignedRequest.signJson(api, AwsBasicCredentials.create(KEY, SECRET), REGION, "logs", "Logs_20140328",
                operation, body).request();
    }

    private static JsonNode send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
