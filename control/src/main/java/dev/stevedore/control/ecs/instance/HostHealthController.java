package dev.stevedore.control.ecs.instance;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.fargate.PlatformPool;
import dev.stevedore.control.ecs.task.TaskAttachments;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.control.ecs.feed.EcsKey;
import dev.stevedore.control.ecs.feed.FeedEvent;
import dev.stevedore.control.ecs.feed.InstanceSummary;
import dev.stevedore.control.ecs.feed.StoreScan;
import dev.stevedore.control.ecs.task.Tasks;
import dev.stevedore.control.runtime.WorkQueue;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Container;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Declares hosts lost and gives up their tasks: a container instance whose agent has been
 * disconnected for {@code hostLostAfter}, or that was deregistered with tasks still on it. Its
 * tasks are recorded STOPPED (the control plane takes over the known status the agent can no
 * longer report), which frees their resources and lets their services start replacements
 * elsewhere. ECS leaves such tasks RUNNING forever (containers-roadmap #2040); Stevedore does not.
 *
 * <p>If a lost host's agent comes back, it finds those tasks STOPPED in its desired state and stops
 * whatever of them still runs there. Level-triggered: a pass looks at the instance as it is now,
 * and running it twice stops nothing twice.
 */
public final class HostHealthController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostHealthController.class);
    private static final int STOPS_PER_TRANSACTION = 100;
    /** The stop code ECS gives tasks of a host that went away (the model has no better one). */
    static final String STOP_CODE = "TerminationNotice";

    /** A container instance, as the key of this controller's work. */
    record InstanceKey(EcsScope scope, String cluster, String id) {
    }

    private final StateStore store;
    private final Clock clock;
    private final Duration lostAfter;
    /** When each instance was first seen disconnected; an in-memory observation, restarted with the process. */
    private final Map<InstanceKey, Instant> disconnectedSince = new ConcurrentHashMap<>();
    private final WorkQueue<InstanceKey> queue;
    private final ClusterFeed.Subscription subscription;

    public HostHealthController(StateStore store, ClusterFeed feed, Clock clock, Duration lostAfter) {
        this.store = store;
        this.clock = clock;
        this.lostAfter = lostAfter;
        this.queue = new WorkQueue<>("host-health", 4, this::reconcile);
        this.subscription = feed.subscribeAll(this::onEvents);
        StoreScan.forEach(store, EcsKey.Kind.INSTANCE, kv -> EcsKey.parse(kv.key())
                .ifPresent(k -> observe(k, InstanceSummary.decode(kv.value()))));
    }

    private void onEvents(List<FeedEvent> events) {
        for (FeedEvent e : events) {
            if (e.key().kind() == EcsKey.Kind.INSTANCE && !e.deleted()) {
                observe(e.key(), e.instance().orElseGet(() -> InstanceSummary.decode(e.kv().value())));
            }
        }
    }

    private void observe(EcsKey key, InstanceSummary header) {
        InstanceKey instance = new InstanceKey(key.scope(), key.cluster(), key.id());
        if (InstanceStatus.INACTIVE.equals(header.status())) {
            disconnectedSince.remove(instance);
            queue.add(instance);
        } else if (header.agentConnected()) {
            disconnectedSince.remove(instance);
        } else if (disconnectedSince.putIfAbsent(instance, clock.instant()) == null) {
            queue.addAfter(instance, lostAfter);
        }
    }

    private Optional<Duration> reconcile(InstanceKey key) {
        Optional<ContainerInstance> found = store.get(EcsKeys.containerInstance(key.scope(), key.cluster(), key.id()))
                .map(kv -> Records.decode(kv.value(), ContainerInstance.class));
        if (found.isEmpty()) {
            disconnectedSince.remove(key);
            return Optional.empty();
        }
        ContainerInstance instance = found.get();
        String host = "Host EC2 (instance " + Optional.ofNullable(instance.ec2InstanceId()).orElse(key.id()) + ")";
        if (InstanceStatus.INACTIVE.equals(instance.status())) {
            giveUpTasks(key, instance, "Container instance deregistration forced by user");
            return Optional.empty();
        }
        if (Boolean.TRUE.equals(instance.agentConnected())) {
            return Optional.empty();
        }
        Instant since = disconnectedSince.computeIfAbsent(key, k -> clock.instant());
        Duration silent = Duration.between(since, clock.instant());
        if (silent.compareTo(lostAfter) < 0) {
            return Optional.of(lostAfter.minus(silent));
        }
        int stopped = giveUpTasks(key, instance, host + " lost: its agent has been disconnected for "
                + silent.toSeconds() + " seconds.");
        if (stopped > 0) {
            LOG.info("{} declared lost; {} of its tasks recorded STOPPED", instance.containerInstanceArn(), stopped);
        }
        return Optional.empty();
    }

    /**
     * Records every task of the instance that is not STOPPED as STOPPED; returns how many. A platform
     * host's tasks are Fargate tasks of any cluster of the scope, each in its own cluster's keys.
     */
    private int giveUpTasks(InstanceKey key, ContainerInstance instance, String reason) {
        String arn = instance.containerInstanceArn();
        List<String> arns = new ArrayList<>();
        String tasks = PlatformPool.isPool(key.cluster())
                ? EcsKeys.allTasks(key.scope()) : EcsKeys.tasks(key.scope(), key.cluster());
        for (KeyValue kv : store.range(tasks)) {
            TaskPlace t = Records.decode(kv.value(), TaskPlace.class);
            if (arn.equals(t.containerInstanceArn()) && !"STOPPED".equals(t.lastStatus())) {
                arns.add(t.taskArn());
            }
        }
        int stopped = 0;
        for (int from = 0; from < arns.size(); from += STOPS_PER_TRANSACTION) {
            List<String> chunk = arns.subList(from, Math.min(arns.size(), from + STOPS_PER_TRANSACTION));
            Instant now = clock.instant();
            stopped += StoreTx.run(store, tx -> {
                int n = 0;
                for (String taskArn : chunk) {
                    String cluster = Arns.clusterOfTask(taskArn);
                    Optional<Task> task = Tasks.read(tx, key.scope(), cluster, taskArn);
                    if (task.isEmpty() || "STOPPED".equals(task.get().lastStatus())
                            || !arn.equals(task.get().containerInstanceArn())) {
                        continue;
                    }
                    Tasks.write(tx, key.scope(), cluster, stoppedHere(task.get(), reason, now));
                    n++;
                }
                return n;
            });
        }
        return stopped;
    }

    private static Task stoppedHere(Task task, String reason, Instant now) {
        List<Container> containers = new ArrayList<>();
        for (Container c : task.containers()) {
            containers.add("STOPPED".equals(c.lastStatus()) ? c : c.toBuilder().lastStatus("STOPPED").build());
        }
        Task.Builder b = task.toBuilder()
                .lastStatus("STOPPED")
                .desiredStatus("STOPPED")
                .containers(containers)
                .connectivity("DISCONNECTED")
                .stoppedAt(now)
                .executionStoppedAt(now)
                .version(task.version() + 1);
        if (task.stoppingAt() == null) {
            b.stoppingAt(now);
        }
        // The host and the task's network namespace on it are gone with it.
        b.attachments(TaskAttachments.withStatus(task, TaskAttachments.DELETED).attachments());
        if (task.stopCode() == null || "RUNNING".equals(task.desiredStatus())) {
            b.stopCode(STOP_CODE).stoppedReason(reason);
        }
        return b.build();
    }

    /** The members of a stored task this controller filters on. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TaskPlace(String taskArn, String containerInstanceArn, String lastStatus) {
    }

    @Override
    public void close() {
        subscription.close();
        queue.close();
    }
}
