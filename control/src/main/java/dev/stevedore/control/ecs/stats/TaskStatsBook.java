package dev.stevedore.control.ecs.stats;

import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.agent.AgentStates.InstanceRef;
import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.control.ecs.feed.ClusterRef;
import dev.stevedore.control.ecs.feed.EcsKey;
import dev.stevedore.control.ecs.feed.FeedEvent;
import dev.stevedore.control.ecs.feed.TaskSummary;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskStatsReport.TaskUsage;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running tasks' stats, in memory: a bounded ring per task ({@link StatsRing}) fed by the agent
 * sessions, dropped when the feed says the task stopped or was deleted, and in any case once it has
 * had no sample for {@link #WINDOW}. Not durable, on purpose: a restarted server has an hour's gap in
 * its charts and agents refill it at their next interval; writing a sample per task every few
 * seconds through the store would cost more than every other write together.
 *
 * <p>A report is taken only for a task that was pushed to the reporting agent and that the store
 * has, not stopped, on that agent's instance (read once, when the task's ring is made; that read
 * also gives the task group the sums are kept by).
 */
public final class TaskStatsBook implements TaskStats, AutoCloseable {
    /** How long samples are kept. */
    public static final Duration WINDOW = Duration.ofHours(1);
    /** At most one kept sample per this much time (more only replace the newest). */
    public static final Duration SPACING = Duration.ofSeconds(30);
    /**
     * A task whose newest sample is older than this counts in no group's sum: its agent is gone or
     * silent (agents report every 10 s by default).
     */
    public static final Duration FRESH = Duration.ofMinutes(1);

    /** A task group ({@code service:NAME}, {@code family:NAME}) of a cluster: what the sums are kept by. */
    public record GroupRef(ClusterRef cluster, String group) {
    }

    /** A group's running tasks with a fresh sample, and their use summed. */
    public record GroupUse(int tasks, double cpuVcpus, long memoryBytes) {
    }

    /** A group's sums while {@link #useByGroup} adds them up. */
    private static final class Sum {
        int tasks;
        double cpu;
        long memory;

        void add(TaskStatsSample s) {
            tasks++;
            cpu += s.cpuVcpus();
            memory += s.memoryBytes();
        }
    }

    private final StateStore store;
    private final Clock clock;
    private final Map<String, StatsRing> rings = new ConcurrentHashMap<>();
    private final ClusterFeed.Subscription subscription;
    private final Set<SampleListener> listeners = ConcurrentHashMap.newKeySet();

    public TaskStatsBook(StateStore store, ClusterFeed feed, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.subscription = feed.subscribeAll(this::onEvents);
    }

    /**
     * Keeps an agent's report of one task if it is the agent's to make; whether it was.
     *
     * @param pushed the task's assignment as this agent was sent it; empty when it was not
     */
    public boolean record(InstanceRef reporter, Optional<TaskAssignment> pushed, TaskUsage usage) {
        if (pushed.filter(a -> usage.taskArn().equals(a.task().taskArn())).isEmpty()) {
            return false;
        }
        StatsRing ring = rings.get(usage.taskArn());
        if (ring == null) {
            Optional<GroupRef> group = runningOn(reporter, usage.taskArn());
            if (group.isEmpty()) {
                return false;
            }
            ring = rings.computeIfAbsent(usage.taskArn(), arn -> new StatsRing(group.get()));
        }
        ring.add(new TaskStatsSample(clock.instant(), usage.cpuVcpus(), usage.memoryBytes()));
        for (SampleListener listener : listeners) {
            listener.sampled(ring.group, usage.taskArn());
        }
        return true;
    }

    /** The task's group, if the store has it not stopped on the reporter's instance. */
    private Optional<GroupRef> runningOn(InstanceRef reporter, String taskArn) {
        String id = taskArn.substring(taskArn.lastIndexOf('/') + 1);
        return store.get(EcsKeys.task(reporter.scope(), reporter.cluster(), id))
                .map(kv -> Records.decode(kv.value(), TaskSummary.class))
                .filter(t -> taskArn.equals(t.taskArn()) && !t.isStopped()
                        && reporter.arn().equals(t.containerInstanceArn()))
                .map(t -> new GroupRef(new ClusterRef(reporter.scope(), reporter.cluster()),
                        t.group() == null ? "" : t.group()));
    }

    @Override
    public List<TaskStatsSample> history(String taskArn) {
        StatsRing ring = rings.get(taskArn);
        return ring == null ? List.of() : ring.since(clock.instant().minus(WINDOW));
    }

    @Override
    public Optional<TaskStatsSample> latest(String taskArn) {
        Instant since = clock.instant().minus(WINDOW);
        return Optional.ofNullable(rings.get(taskArn)).map(StatsRing::newest).filter(s -> !s.at().isBefore(since));
    }

    @Override
    public List<TaskStatsSample> groupHistory(GroupRef group) {
        Instant now = clock.instant();
        long spacing = SPACING.toMillis();
        long fresh = FRESH.toMillis();
        long first = (Math.floorDiv(now.minus(WINDOW).toEpochMilli(), spacing) + 1) * spacing;
        List<Long> ends = new ArrayList<>();
        for (long end = first; end < now.toEpochMilli(); end += spacing) {
            ends.add(end);
        }
        ends.add(now.toEpochMilli());
        Sum[] sums = new Sum[ends.size()];
        for (StatsRing ring : rings.values()) {
            if (!ring.group.equals(group)) {
                continue;
            }
            // Each point takes the task's newest sample by then, as the metrics take its newest by now.
            List<TaskStatsSample> samples = ring.since(now.minus(WINDOW).minus(FRESH));
            int next = 0;
            TaskStatsSample current = null;
            for (int p = 0; p < sums.length; p++) {
                long end = ends.get(p);
                while (next < samples.size() && samples.get(next).at().toEpochMilli() <= end) {
                    current = samples.get(next++);
                }
                if (current != null && end - current.at().toEpochMilli() <= fresh) {
                    if (sums[p] == null) {
                        sums[p] = new Sum();
                    }
                    sums[p].add(current);
                }
            }
        }
        List<TaskStatsSample> out = new ArrayList<>();
        for (int p = 0; p < sums.length; p++) {
            if (sums[p] != null) {
                out.add(new TaskStatsSample(Instant.ofEpochMilli(ends.get(p)), sums[p].cpu, sums[p].memory));
            }
        }
        return out;
    }

    @Override
    public Subscription subscribe(SampleListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Each group's tasks with a sample of the last {@link #FRESH}, and their newest samples summed
     * (for the metrics, at each scrape). Drops the rings that had no sample for {@link #WINDOW} on
     * the way: a task whose stop the feed was not seen to deliver (its report raced the stop).
     */
    public Map<GroupRef, GroupUse> useByGroup() {
        Instant now = clock.instant();
        Instant fresh = now.minus(FRESH);
        Instant expired = now.minus(WINDOW);
        Map<GroupRef, Sum> sums = new HashMap<>();
        rings.forEach((arn, ring) -> {
            TaskStatsSample latest = ring.newest();
            if (latest == null || latest.at().isBefore(expired)) {
                rings.remove(arn, ring);
            } else if (!latest.at().isBefore(fresh)) {
                sums.computeIfAbsent(ring.group, g -> new Sum()).add(latest);
            }
        });
        Map<GroupRef, GroupUse> out = new HashMap<>(sums.size() * 2);
        sums.forEach((group, sum) -> out.put(group, new GroupUse(sum.tasks, sum.cpu, sum.memory)));
        return out;
    }

    /** How many tasks have stats kept (for tests and diagnostics). */
    public int taskCount() {
        return rings.size();
    }

    /** On the feed's thread: only removes from a concurrent map. */
    private void onEvents(List<FeedEvent> events) {
        for (FeedEvent e : events) {
            if (e.key().kind() == EcsKey.Kind.TASK
                    && (e.deleted() || e.task().map(TaskSummary::isStopped).orElse(false))) {
                rings.remove(Arns.task(e.key().scope(), e.key().cluster(), e.key().id()));
            }
        }
    }

    @Override
    public void close() {
        subscription.close();
    }
}
