package dev.stevedore.lb;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A target for the tests: the JDK's HTTP server on 127.0.0.1, answering with its name. {@code /health} answers
 * with a settable status; {@code /slow} sleeps past any test timeout; {@code /hold} waits until released.
 * The request's X-Forwarded headers are echoed back as {@code Seen-*} headers.
 */
final class TestBackend implements AutoCloseable {

    final String name;
    private final HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicInteger healthStatus = new AtomicInteger(200);
    private volatile CountDownLatch hold = new CountDownLatch(1);
    final CountDownLatch holding = new CountDownLatch(1);
    private final Map<String, AtomicInteger> byPath = new ConcurrentHashMap<>();

    TestBackend(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::serve);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    int hits() {
        return hits.get();
    }

    void healthStatus(int status) {
        healthStatus.set(status);
    }

    void release() {
        hold.countDown();
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] received = exchange.getRequestBody().readAllBytes();
        if (path.equals("/size")) {
            respond(exchange, 200, Integer.toString(received.length));
            return;
        }
        if (path.equals("/big")) {
            // 4 MiB, streamed chunked: more than socket buffers hold, so the proxy's back-pressure is exercised.
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] block = new byte[64 * 1024];
                java.util.Arrays.fill(block, (byte) 'x');
                for (int i = 0; i < 64; i++) {
                    out.write(block);
                }
            }
            return;
        }
        if (path.equals("/health")) {
            respond(exchange, healthStatus.get(), "health");
            return;
        }
        hits.incrementAndGet();
        byPath.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        try {
            if (path.equals("/slow")) {
                Thread.sleep(5_000);
            } else if (path.equals("/hold")) {
                holding.countDown();
                hold.await(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String header : List.of("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Port")) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                exchange.getResponseHeaders().set("Seen-" + header.substring("X-Forwarded-".length()), value);
            }
        }
        respond(exchange, 200, name);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
