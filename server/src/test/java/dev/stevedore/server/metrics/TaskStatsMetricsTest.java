package dev.stevedore.server.metrics;

import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.control.ecs.stats.TaskStatsBook;
import dev.stevedore.server.RunningTasks;
import dev.stevedore.store.InMemoryStateStore;
import dev.stevedore.store.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The task-stats gauges follow the book from scrape to scrape: new values, new groups, silent groups gone. */
class TaskStatsMetricsTest {
    private static final Map<String, String> WEB = Map.of("account", "123456789012", "region", "us-east-1",
            "cluster", "c", "group", "service:web");
    private static final Map<String, String> BATCH = Map.of("account", "123456789012", "region", "us-east-1",
            "cluster", "c", "group", "family:batch");

    private final StateStore store = new InMemoryStateStore();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T12:00:00Z"));
    private final ClusterFeed feed = ClusterFeed.start(store);
    private final TaskStatsBook book = new TaskStatsBook(store, feed, ((InstantSource) now::get).withZone(ZoneOffset.UTC));
    private final ServerMetrics metrics = new ServerMetrics(new MetricsRegistry());
    private final RunningTasks tasks = new RunningTasks(store, book);

    @AfterEach
    void close() {
        book.close();
        feed.close();
    }

    private void run(String id, String group) {
        tasks.run(id, group);
    }

    private void report(String id, double cpu, long memory) {
        assertThat(tasks.report(id, cpu, memory)).isTrue();
    }

    @Test
    void eachScrapeReadsTheNewestSums() {
        metrics.taskStats(book);
        run("a", "service:web");
        run("b", "service:web");
        report("a", 0.5, 100);
        report("b", 0.25, 28);

        PrometheusText first = PrometheusText.parse(metrics.registry().scrape());
        assertThat(first.value("stevedore_task_cpu_vcpus", WEB)).contains(0.75);
        assertThat(first.value("stevedore_task_memory_bytes", WEB)).contains(128.0);
        assertThat(first.value("stevedore_task_stats_tasks", WEB)).contains(2.0);

        now.set(now.get().plus(TaskStatsBook.FRESH).plusSeconds(1));
        report("a", 1.5, 200);
        run("c", "family:batch");
        report("c", 2, 7);

        PrometheusText second = PrometheusText.parse(metrics.registry().scrape());
        assertThat(second.value("stevedore_task_cpu_vcpus", WEB)).contains(1.5);
        assertThat(second.value("stevedore_task_stats_tasks", WEB)).contains(1.0);
        assertThat(second.value("stevedore_task_cpu_vcpus", BATCH)).contains(2.0);

        now.set(now.get().plus(TaskStatsBook.FRESH).plusSeconds(1));
        report("c", 1, 7);

        PrometheusText third = PrometheusText.parse(metrics.registry().scrape());
        assertThat(third.value("stevedore_task_cpu_vcpus", WEB)).isEmpty();
        assertThat(third.value("stevedore_task_memory_bytes", WEB)).isEmpty();
        assertThat(third.value("stevedore_task_cpu_vcpus", BATCH)).contains(1.0);
    }
}
