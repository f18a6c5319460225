package dev.stevedore.server.metrics;

import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.HttpResponse;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code GET /metrics}: every meter of a registry in the Prometheus text format, unauthenticated like
 * any Prometheus target (the listener is on 127.0.0.1 unless configured otherwise). Served on the API
 * listener before the AWS front door, so no signature is asked for.
 */
public final class MetricsEndpoint {
    public static final String PATH = "/metrics";

    private final MetricsRegistry registry;

    public MetricsEndpoint(MetricsRegistry registry) {
        this.registry = registry;
    }

    public boolean accepts(HttpRequest request) {
        return PATH.equals(request.path());
    }

    public HttpResponse handle(HttpRequest request) {
        if (!"GET".equals(request.method())) {
            return new HttpResponse(405, Map.of("Allow", "GET", "Content-Type", "text/plain; charset=utf-8"),
                    ("Use GET " + PATH + ".\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        return new HttpResponse(200, Map.of("Content-Type", MetricsRegistry.CONTENT_TYPE), body);
    }
}
