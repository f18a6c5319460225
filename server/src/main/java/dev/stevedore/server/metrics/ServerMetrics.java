package dev.stevedore.server.metrics;

import dev.stevedore.awsproto.ApiObserver;
import dev.stevedore.awsproto.SigV4Exception;
import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.control.ecs.feed.ClusterRef;
import dev.stevedore.control.ecs.placement.PlacementObserver;
import dev.stevedore.control.ecs.stats.TaskStatsBook;
import dev.stevedore.store.StoreObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The control plane's meters: the API's calls, the HTTP edge's refusals, the plan applier, the store,
 * the cluster feed and the agent channel. The observers are handed to the modules as they are built;
 * the rest is read from them at scrape time. Every label comes from a bounded set (see
 * {@link ApiObserver}); clusters are the one label that grows with use, as the cluster count does.
 */
public final class ServerMetrics {
    private static final double[] BATCH_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 512, 1024};

    private final MetricsRegistry registry;
    private final MeterRegistry meters;

    public ServerMetrics(MetricsRegistry registry) {
        this.registry = registry;
        this.meters = registry.meters();
    }

    public MetricsRegistry registry() {
        return registry;
    }

    /** Per-operation counts and latencies, and signature refusals. */
    public ApiObserver api() {
        return new ApiObserver() {
            @Override
            public void answered(String service, String operation, String outcome, long nanos) {
                registry.timer("stevedore.api.requests", "API calls answered, by service, operation and outcome "
                                + "(Success or the error code)")
                        .tags("service", service, "operation", operation, "outcome", outcome)
                        .register(meters).record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void signatureRefused(String service, SigV4Exception.Reason reason) {
                Counter.builder("stevedore.api.signature.failures")
                        .description("Requests whose SigV4 signature was refused, by reason")
                        .tags("service", service, "reason", reason.name(), "code", reason.jsonCode())
                        .register(meters).increment();
            }
        };
    }

    /** Commit latency as callers see it, and the writer's batches: size, write time, sync time. */
    public StoreObserver store() {
        Timer commits = registry.timer("stevedore.store.commit",
                "State store commits, from the call to the answer (queueing for the writer included)").register(meters);
        Timer writes = registry.timer("stevedore.store.batch.write",
                "The store writer's batches: the whole journal write").register(meters);
        Timer syncs = registry.timer("stevedore.store.sync",
                "The store writer's batches: the durable commit (WAL write and fsync)").register(meters);
        DistributionSummary sizes = DistributionSummary.builder("stevedore.store.batch.transactions")
                .description("Transactions per store writer batch").serviceLevelObjectives(BATCH_BUCKETS)
                .register(meters);
        return new StoreObserver() {
            @Override
            public void committed(long nanos) {
                commits.record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void batchWritten(int transactions, long writeNanos, long syncNanos) {
                sizes.record(transactions);
                writes.record(writeNanos, TimeUnit.NANOSECONDS);
                syncs.record(syncNanos, TimeUnit.NANOSECONDS);
            }
        };
    }

    /** The plan applier: queue wait, batch sizes, tasks placed and not placed by reason, jobs refused. */
    public PlacementObserver placement() {
        Timer queueWait = registry.timer("stevedore.placement.queue.wait",
                "Time placement jobs waited in the plan applier's queue").register(meters);
        DistributionSummary batchJobs = DistributionSummary.builder("stevedore.placement.batch.jobs")
                .description("Jobs per plan applier batch").serviceLevelObjectives(BATCH_BUCKETS).register(meters);
        DistributionSummary batchTasks = DistributionSummary.builder("stevedore.placement.batch.tasks")
                .description("Tasks asked for per plan applier batch").serviceLevelObjectives(BATCH_BUCKETS)
                .register(meters);
        Counter placed = Counter.builder("stevedore.placement.tasks.placed")
                .description("Tasks placed (durable)").register(meters);
        return new PlacementObserver() {
            @Override
            public void jobTaken(long waitedNanos) {
                queueWait.record(waitedNanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void batchPlaced(int jobs, int tasks) {
                batchJobs.record(jobs);
                batchTasks.record(tasks);
            }

            @Override
            public void tasksPlaced(int count) {
                placed.increment(count);
            }

            @Override
            public void taskNotPlaced(String reason) {
                Counter.builder("stevedore.placement.tasks.failed")
                        .description("Tasks that could not be placed, by ECS's failure reason")
                        .tag("reason", reason).register(meters).increment();
            }

            @Override
            public void jobRefused(String code) {
                Counter.builder("stevedore.placement.jobs.refused")
                        .description("Placement jobs refused as a whole, by error code")
                        .tag("code", code).register(meters).increment();
            }
        };
    }

    // Micrometer holds a function counter's or gauge's object weakly, and these suppliers are referenced by
    // nothing else: the registry keeps them.

    /** The HTTP edge's refusals and load, read from its counters. */
    public void edge(LongSupplier throttled, LongSupplier oversized, IntSupplier inFlight) {
        registry.keep(throttled);
        registry.keep(oversized);
        FunctionCounter.builder("stevedore.edge.refusals", throttled, LongSupplier::getAsLong)
                .description("Requests the HTTP edge refused at once, by reason").tag("reason", "throttled")
                .register(meters);
        FunctionCounter.builder("stevedore.edge.refusals", oversized, LongSupplier::getAsLong)
                .description("Requests the HTTP edge refused at once, by reason").tag("reason", "too_large")
                .register(meters);
        Gauge.builder("stevedore.edge.requests.in.flight", inFlight, IntSupplier::getAsInt)
                .description("Requests admitted and not yet answered").strongReference(true).register(meters);
    }

    /** The cluster feed: how far behind the store it is, and the tasks of each cluster by last status. */
    public void feed(ClusterFeed feed) {
        Gauge.builder("stevedore.feed.lag.revisions", feed, ClusterFeed::lagRevisions)
                .description("Store revisions the cluster feed's listeners have not been handed yet").register(meters);
        MultiGauge tasks = MultiGauge.builder("stevedore.tasks")
                .description("Tasks by cluster and last status, from the cluster feed's index").register(meters);
        registry.beforeScrape(() -> tasks.register(feed.taskCountsByStatus().entrySet().stream()
                .map(e -> MultiGauge.Row.of(clusterTags(e.getKey().cluster())
                        .and("last_status", e.getKey().lastStatus()), e.getValue()))
                .toList(), true));
    }

    /**
     * Running tasks' CPU and memory by cluster and task group (a service's tasks are the group
     * {@code service:NAME}, standalone ones {@code family:NAME}), summed from each task's newest sample
     * at scrape time; never per task, so the series grow with services, not with tasks. Each scrape
     * takes one snapshot of the sums that every row reads, and registers rows only when the set of
     * groups changed (see BENCHMARKS.md, "`/metrics` scrape cost").
     */
    public void taskStats(TaskStatsBook book) {
        AtomicReference<Map<TaskStatsBook.GroupRef, TaskStatsBook.GroupUse>> use = new AtomicReference<>(Map.of());
        TaskStatsBook.GroupUse none = new TaskStatsBook.GroupUse(0, 0, 0);
        MultiGauge cpu = MultiGauge.builder("stevedore.task.cpu.vcpus")
                .description("CPU used by the running tasks of a cluster's task group, in vCPUs, from their newest "
                        + "stats").register(meters);
        MultiGauge memory = MultiGauge.builder("stevedore.task.memory").baseUnit("bytes")
                .description("Memory used by the running tasks of a cluster's task group (less the inactive page "
                        + "cache), from their newest stats").register(meters);
        MultiGauge tasks = MultiGauge.builder("stevedore.task.stats.tasks")
                .description("Running tasks of a cluster's task group with stats of the last minute").register(meters);
        registry.beforeScrape(() -> {
            Map<TaskStatsBook.GroupRef, TaskStatsBook.GroupUse> before = use.getAndSet(book.useByGroup());
            Set<TaskStatsBook.GroupRef> groups = use.get().keySet();
            if (groups.equals(before.keySet())) {
                return;
            }
            cpu.register(rows(groups, g -> use.get().getOrDefault(g, none).cpuVcpus()), false);
            memory.register(rows(groups, g -> use.get().getOrDefault(g, none).memoryBytes()), false);
            tasks.register(rows(groups, g -> use.get().getOrDefault(g, none).tasks()), false);
        });
    }

    private static List<MultiGauge.Row<?>> rows(Set<TaskStatsBook.GroupRef> groups,
                                                ToDoubleFunction<TaskStatsBook.GroupRef> value) {
        return groups.stream().<MultiGauge.Row<?>>map(g -> MultiGauge.Row.of(
                clusterTags(g.cluster()).and("group", g.group()), g, value)).toList();
    }

    private static Tags clusterTags(ClusterRef cluster) {
        return Tags.of("account", cluster.scope().accountId(), "region", cluster.scope().region(),
                "cluster", cluster.name());
    }

    /** Agents connected over the agent channel, and handshakes refused because too many agents were joining. */
    public void agents(IntSupplier sessions, LongSupplier refusedJoins) {
        Gauge.builder("stevedore.agents.connected", sessions, IntSupplier::getAsInt)
                .description("Agent channel sessions open").strongReference(true).register(meters);
        registry.keep(refusedJoins);
        FunctionCounter.builder("stevedore.agents.joins.refused", refusedJoins, LongSupplier::getAsLong)
                .description("Agent channel handshakes refused with 503 because too many agents were joining at once")
                .register(meters);
    }
}
