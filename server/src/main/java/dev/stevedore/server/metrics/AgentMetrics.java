package dev.stevedore.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stevedore.agent.engine.TaskEngine;
import dev.stevedore.agent.engine.TaskSnapshot;
import dev.stevedore.agent.runtime.ContainerRuntime;
import dev.stevedore.agent.runtime.ObservedContainerRuntime;
import dev.stevedore.agent.runtime.RuntimeObserver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * An agent's meters and its {@code /metrics} listener on {@code 127.0.0.1} (its own port: the agent
 * has no other HTTP listener a scraper could use; the task endpoints are for containers). Docker calls
 * and container starts are timed by wrapping the runtime; the engine's tasks and unsent reports are
 * read at scrape time.
 */
public final class AgentMetrics implements AutoCloseable {
    private final MetricsRegistry registry = new MetricsRegistry();
    private final MeterRegistry meters = registry.meters();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private AgentMetrics(HttpServer server) {
        this.server = server;
    }

    /**
     * Takes {@code 127.0.0.1:port} ({@code 0}: a free one) before the agent starts, so that a port in
     * use fails the start instead of being found out later; answers once {@link #serve} is called.
     */
    public static AgentMetrics bind(int port) {
        try {
            return new AgentMetrics(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    /** The runtime, with every Docker call and container start timed. */
    public ContainerRuntime observe(ContainerRuntime runtime) {
        return new ObservedContainerRuntime(runtime, new RuntimeObserver() {
            @Override
            public void called(String call, String outcome, long nanos) {
                registry.timer("stevedore.agent.docker.calls", "Calls to the Docker engine, by call and outcome")
                        .tags("call", call, "outcome", outcome).register(meters).record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void containerStarted(String outcome, long nanos) {
                registry.timer("stevedore.agent.container.starts",
                                "Container starts, from the create request to the start answered, by outcome")
                        .tag("outcome", outcome).register(meters).record(nanos, TimeUnit.NANOSECONDS);
            }
        });
    }

    /** Reads the engine's tasks and report queue at each scrape, and starts answering. */
    public void serve(TaskEngine engine) {
        Gauge.builder("stevedore.agent.reports.pending", engine, TaskEngine::pendingReports)
                .description("State reports made and not yet accepted by the control plane").register(meters);
        MultiGauge tasks = MultiGauge.builder("stevedore.agent.tasks")
                .description("Tasks this agent supervises, by last status").register(meters);
        registry.beforeScrape(() -> {
            Map<String, Long> byStatus = engine.tasks().stream()
                    .collect(Collectors.groupingBy(TaskSnapshot::lastStatus, Collectors.counting()));
            tasks.register(byStatus.entrySet().stream()
                    .map(e -> MultiGauge.Row.of(Tags.of("last_status", e.getKey()), e.getValue()))
                    .toList(), true);
        });
        server.setExecutor(executor);
        server.createContext(MetricsEndpoint.PATH, this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) || !MetricsEndpoint.PATH.equals(exchange.getRequestURI().getPath())) {
                byte[] body = ("Use GET " + MetricsEndpoint.PATH + ".\n").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders("GET".equals(exchange.getRequestMethod()) ? 404 : 405, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", MetricsRegistry.CONTENT_TYPE);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
