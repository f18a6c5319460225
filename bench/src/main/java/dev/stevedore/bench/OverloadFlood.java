package dev.stevedore.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The overload benchmark's abusive client: connections each sending a RegisterTaskDefinition of about
 * 850 KB back to back, which the server refuses (the family name is invalid). It runs either in the
 * benchmark's process or, through {@link #main}, in a process of its own, so that it can be kept to
 * a core of its own and its work (and garbage) is not the well-behaved client's.
 *
 * <p>As a process: {@code OverloadFlood <endpoint> <connections>}; it floods until its standard input
 * closes, then prints one line per kind of answer, {@code count<TAB>answer}.
 */
final class OverloadFlood {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    // Its own client, so that its connections are not the well-behaved client's.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static String body() {
        StringBuilder command = new StringBuilder();
        for (int i = 0; i < 8_000; i++) {
            command.append(i == 0 ? "" : ",").append('"').append("x".repeat(100)).append('"');
        }
        return "{\"family\": \"not a valid family!\", \"containerDefinitions\": [{\"name\": \"c\", "
                + "\"image\": \"busybox\", \"memory\": 16, \"command\": [" + command + "]}]}";
    }

    static OverloadFlood start(URI api, int connections) {
        OverloadFlood flood = new OverloadFlood();
        HttpRequest request = SignedRequest.sign(api, UpServer.KEY, UpServer.SECRET, "us-east-1",
                "RegisterTaskDefinition", body()).request();
        for (int i = 0; i < connections; i++) {
            flood.threads.execute(() -> {
                while (!flood.stop.get()) {
                    flood.answers.computeIfAbsent(flood.send(request), k -> new LongAdder()).increment();
                }
            });
        }
        return flood;
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
            return r.statusCode() + " " + r.headers().firstValue("X-Amzn-ErrorType").orElse("-");
        } catch (IOException e) {
            return "I/O error: " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Stops sending, waits for the calls under way, and returns the answers counted by kind. */
    Map<String, Long> stop() {
        stop.set(true);
        threads.close();
        Map<String, Long> counted = new TreeMap<>();
        answers.forEach((k, v) -> counted.put(k, v.sum()));
        return counted;
    }

    public static void main(String[] args) throws IOException {
        OverloadFlood flood = start(URI.create(args[0]), Integer.parseInt(args[1]));
        System.in.transferTo(java.io.OutputStream.nullOutputStream());
        flood.stop().forEach((answer, count) -> System.out.println(count + "\t" + answer));
        System.exit(0);
    }
}
