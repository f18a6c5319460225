package dev.stevedore.agent.stats;

import dev.stevedore.agent.engine.ContainerSnapshot;
import dev.stevedore.agent.engine.TaskSnapshot;
import dev.stevedore.agent.runtime.ContainerRuntime;
import dev.stevedore.agent.runtime.ContainerRuntimeException;
import dev.stevedore.agent.runtime.ContainerUsage;
import dev.stevedore.model.agent.TaskStatsReport;
import dev.stevedore.model.agent.TaskStatsReport.TaskUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every interval, reads the use of each running container of the agent's running tasks and hands
 * the tasks' use on, in reports of at most {@link TaskStatsReport#MAX_TASKS} tasks.
 *
 * <p>Cost: one engine call per running container per interval ({@link ContainerRuntime#usage}, a
 * one-shot read). Engine 20.10 answers such a call at its stats collector's next tick, once a second,
 * so a call mostly waits, and calls in flight together are answered by the same tick: 12 containers
 * take 1.2 s read together and 12 s one after another. So up to {@value #IN_FLIGHT} are in flight at
 * once (a round of 320 containers takes about 10 s), bounded so that a host with hundreds of
 * containers does not hold hundreds of engine connections (the pool also serves every container's
 * exit wait). A stats stream per container was the other way: it holds a connection per container
 * for good and makes the engine read every cgroup each second whether anyone wants it or not.
 */
public final class TaskStatsSampler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskStatsSampler.class);
    /** Engine calls in flight at once. */
    static final int IN_FLIGHT = 32;

    private final Supplier<List<TaskSnapshot>> tasks;
    private final ContainerRuntime runtime;
    private final Consumer<TaskStatsReport> reports;
    private final Duration interval;
    private final UsageRates rates = new UsageRates();
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private volatile Thread loop;
    private volatile boolean closed;

    /**
     * @param tasks   the engine's tasks now ({@code TaskEngine::tasks})
     * @param reports receives each report; must not block for long (the channel's send)
     */
    public TaskStatsSampler(Supplier<List<TaskSnapshot>> tasks, ContainerRuntime runtime,
                            Consumer<TaskStatsReport> reports, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the stats interval must be positive: " + interval);
        }
        this.tasks = tasks;
        this.runtime = runtime;
        this.reports = reports;
        this.interval = interval;
    }

    public TaskStatsSampler start() {
        loop = Thread.ofVirtual().name("task-stats").start(this::run);
        return this;
    }

    private void run() {
        long next = System.nanoTime();
        while (!closed) {
            try {
                sampleOnce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("task stats: {}", e.toString());
            }
            next += interval.toNanos();
            long wait = next - System.nanoTime();
            if (wait < 0) {
                // A round took longer than the interval: start the next one now, not a burst of late ones.
                next = System.nanoTime();
                continue;
            }
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One round: read, turn into rates, report. */
    void sampleOnce() throws InterruptedException {
        List<TaskUsage> use = rates.next(read(tasks.get()));
        for (int from = 0; from < use.size(); from += TaskStatsReport.MAX_TASKS) {
            reports.accept(TaskStatsReport.of(use.subList(from, Math.min(use.size(), from + TaskStatsReport.MAX_TASKS))));
        }
    }

    /**
     * Each running task's running containers' readings; a task with a container that could not be
     * read (it just exited, say) is left out of the round rather than reported short.
     */
    private Map<String, Map<String, ContainerUsage>> read(List<TaskSnapshot> snapshots) throws InterruptedException {
        Map<String, List<String>> wanted = new LinkedHashMap<>();
        for (TaskSnapshot task : snapshots) {
            if (!"RUNNING".equals(task.lastStatus())) {
                continue;
            }
            List<String> ids = task.containers().stream().filter(c -> "RUNNING".equals(c.lastStatus()))
                    .map(ContainerSnapshot::runtimeId).flatMap(Optional::stream).toList();
            if (!ids.isEmpty()) {
                wanted.put(task.taskArn(), ids);
            }
        }
        Map<String, Future<Optional<ContainerUsage>>> pending = new HashMap<>();
        Map<String, ContainerUsage> read = new ConcurrentHashMap<>();
        for (List<String> ids : wanted.values()) {
            for (String id : ids) {
                inFlight.acquire();
                pending.put(id, readers.submit(() -> {
                    try {
                        // The engine's answer about a container it no longer runs has no time: no reading.
                        return Optional.of(runtime.usage(id)).filter(ContainerUsage::measured);
                    } catch (ContainerRuntimeException e) {
                        LOG.debug("no stats of container {}: {}", id, e.getMessage());
                        return Optional.<ContainerUsage>empty();
                    } finally {
                        inFlight.release();
                    }
                }));
            }
        }
        for (Map.Entry<String, Future<Optional<ContainerUsage>>> p : pending.entrySet()) {
            try {
                p.getValue().get().ifPresent(u -> read.put(p.getKey(), u));
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.debug("no stats of container {}: {}", p.getKey(), e.getCause().toString());
            }
        }
        Map<String, Map<String, ContainerUsage>> byTask = new LinkedHashMap<>();
        wanted.forEach((task, ids) -> {
            if (ids.stream().allMatch(read::containsKey)) {
                Map<String, ContainerUsage> containers = new HashMap<>();
                ids.forEach(id -> containers.put(id, read.get(id)));
                byTask.put(task, containers);
            }
        });
        return byTask;
    }

    @Override
    public void close() {
        closed = true;
        Thread t = loop;
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        readers.close();
    }
}
