package dev.stevedore.server.metrics;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;


import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Prometheus registry with the JVM's and the process's own meters, and the hooks that refresh
 * gauges computed from a snapshot (tasks by status) right before each scrape.
 */
public final class MetricsRegistry {
    /** The media type of the Prometheus text format this answers in. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * Latency buckets: fine below a millisecond (an in-memory read) up to ten seconds (a commit behind
     * a slow disk). Explicit buckets instead of Micrometer's percentile histogram keep each timer to
     * 14 series, so that per-operation timers stay cheap to scrape.
     */
    static final Duration[] LATENCY_BUCKETS = {
            Duration.ofNanos(250_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2_500),
            Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
    /** What function counters read from, which Micrometer holds only weakly. */
    private final List<Object> kept = new CopyOnWriteArrayList<>();

    public MetricsRegistry() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    PrometheusMeterRegistry meters() {
        return registry;
    }

    /** A timer with the latency buckets. */
    Timer.Builder timer(String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(LATENCY_BUCKETS);
    }

    /** Keeps {@code source} reachable for as long as this registry is. */
    void keep(Object source) {
        kept.add(source);
    }

    /** Runs {@code refresh} before every scrape (gauges whose set of labels changes). */
    void beforeScrape(Runnable refresh) {
        beforeScrape.add(refresh);
    }

    /** Every meter in the Prometheus text format 0.0.4. */
    public String scrape() {
        beforeScrape.forEach(Runnable::run);
        return registry.scrape(CONTENT_TYPE);
    }
}
