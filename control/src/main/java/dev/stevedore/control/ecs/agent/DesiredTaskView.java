package dev.stevedore.control.ecs.agent;

import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.agent.AgentStates.InstanceRef;
import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.control.ecs.feed.EcsKey;
import dev.stevedore.control.ecs.feed.FeedEvent;
import dev.stevedore.control.ecs.feed.TaskSummary;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.agent.AgentChannel;
import dev.stevedore.model.agent.DesiredTaskChanges;
import dev.stevedore.model.agent.DesiredTasks;
import dev.stevedore.model.agent.EfsVolumeAssignment;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskCredentials;
import dev.stevedore.model.agent.TaskCredentialsRefresh;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.store.KeyValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One container instance's desired tasks as its agent channel follows them: the tasks the
 * {@link ClusterFeed} lists on the instance, each read from the store once when the agent
 * connects, then kept current from the changes the feed delivers for the instance, and turned into
 * what the agent has not been sent yet. Neither the start nor a change reads the cluster's other
 * tasks.
 *
 * <p>Revisions. The feed lists the instance's tasks as of a revision and delivers every change
 * after it, but the view reads each listed record a moment later, so a record may be newer than
 * that revision. The view's {@link #revision} is the one up to which it has every change (it only
 * moves with the changes the feed delivers, which come in revision order, so each push carries a
 * newer revision than the one before and an agent can tell a gap). A delivered change no newer than
 * the record the view read is not applied over it. And because an agent ignores a complete state
 * whose revision is not newer than the last one it applied, a task read newer than the view's
 * revision is owed to the agent: when its change arrives it is pushed again, so the agent gets a
 * state past the one it kept.
 *
 * <p>Owned by one thread (the session's pusher); only {@link #pushed} may be called from others.
 */
public final class DesiredTaskView implements AutoCloseable {
    private final AgentStates states;
    private final InstanceRef ref;
    private final TaskRoleCredentials roleCredentials;
    /** The revision the feed listed the instance's tasks at: every change after it is delivered. */
    private final long listedAt;
    /** What the feed delivered on its thread, for the owner to fold in. */
    private final Queue<FeedEvent> delivered;
    private final ClusterFeed.Subscription subscription;
    /** The instance's assignments now, by store key (a delete names only the key), in the order they appeared. */
    private final Map<String, TaskAssignment> current = new LinkedHashMap<>();
    /** Listed tasks read at a newer revision than {@link #listedAt}: their record's revision, until its change arrives. */
    private final Map<String, Long> readAhead = new HashMap<>();
    /** Listed tasks gone from the instance by the time they were read, until the change that took them arrives. */
    private final Set<String> readGone = new HashSet<>();
    /** Tasks whose state went to the agent under an older revision than theirs: pushed again on their change. */
    private final Set<String> owed = new HashSet<>();
    /** What the agent was sent, by store key. */
    private final Map<String, TaskAssignment> sentByKey = new HashMap<>();
    /** The same by task ARN, for other threads: a health report is only taken for a task the agent was sent. */
    private final Map<String, TaskAssignment> sentByArn = new ConcurrentHashMap<>();
    /** Keys whose assignment changed since the last push, in the order they changed. */
    private final Set<String> touched = new LinkedHashSet<>();
    /** Touched keys to push whether or not the agent was sent the same already. */
    private final Set<String> forced = new HashSet<>();
    private long revision;
    private long sentRevision;

    private DesiredTaskView(AgentStates states, InstanceRef ref, TaskRoleCredentials roleCredentials, long listedAt,
                            Queue<FeedEvent> delivered, ClusterFeed.Subscription subscription) {
        this.states = states;
        this.ref = ref;
        this.roleCredentials = roleCredentials;
        this.listedAt = listedAt;
        this.revision = listedAt;
        this.delivered = delivered;
        this.subscription = subscription;
    }

    /**
     * Subscribes to the instance's tasks on the feed and reads each of them; from then on the
     * feed's changes are queued for the view and {@code onDelivered} is called (on the feed's
     * thread: it must only wake the owner) after each batch.
     */
    public static DesiredTaskView open(ClusterFeed feed, AgentStates states, InstanceRef ref, Runnable onDelivered) {
        return open(feed, states, ref, TaskRoleCredentials.none(), onDelivered);
    }

    /** As {@link #open(ClusterFeed, AgentStates, InstanceRef, Runnable)}, with the tasks' role credentials. */
    public static DesiredTaskView open(ClusterFeed feed, AgentStates states, InstanceRef ref,
                                       TaskRoleCredentials roleCredentials, Runnable onDelivered) {
        // Changes delivered while the records are read wait in the queue; none is missed.
        Queue<FeedEvent> delivered = new ConcurrentLinkedQueue<>();
        ClusterFeed.InstanceSubscription subscription = feed.subscribeInstance(ref.arn(), events -> {
            delivered.addAll(events);
            onDelivered.run();
        });
        try {
            DesiredTaskView view = new DesiredTaskView(states, ref, roleCredentials, subscription.revision(), delivered,
                    subscription);
            view.read(subscription.taskKeys());
            return view;
        } catch (RuntimeException e) {
            subscription.close();
            throw e;
        }
    }

    /** The view of the tasks listed at {@code listedAt}, each read now, with no feed: it takes changes through {@link #apply}. */
    static DesiredTaskView load(AgentStates states, InstanceRef ref, long listedAt, List<String> taskKeys) {
        DesiredTaskView view = new DesiredTaskView(states, ref, TaskRoleCredentials.none(), listedAt,
                new ConcurrentLinkedQueue<>(), () -> { });
        view.read(taskKeys);
        return view;
    }

    private void read(List<String> taskKeys) {
        // Tasks of one instance mostly share a few definitions; each is read once.
        Map<String, TaskDefinition> definitions = new HashMap<>();
        for (String key : taskKeys) {
            Optional<KeyValue> kv = states.record(key);
            Optional<Task> task = kv.map(k -> Records.decode(k.value(), Task.class))
                    .filter(t -> ref.arn().equals(t.containerInstanceArn()));
            if (task.isEmpty()) {
                readGone.add(key);
                continue;
            }
            if (kv.get().modRevision() > listedAt) {
                readAhead.put(key, kv.get().modRevision());
            }
            Task t = toldToAgent(task.get());
            TaskDefinition definition = definitions.computeIfAbsent(t.taskDefinitionArn(), arn -> states.definitionOf(ref, t));
            current.put(key, TaskAssignment.of(t, definition, states.networkInterfacesOf(ref, t))
                    .withCredentials(credentialsFor(t, definition)).withEfsVolumes(efsVolumesFor(t, definition)));
        }
    }

    /**
     * The task as its agent is told it. A DEACTIVATING task (a service's task leaving its target groups)
     * is told to keep running: its containers get no signal until its targets have drained and the
     * service scheduler has moved it on to STOPPING, so no request reaches a container that is stopping.
     */
    public static Task toldToAgent(Task task) {
        if (!"DEACTIVATING".equals(task.lastStatus())) {
            return task;
        }
        return task.toBuilder().desiredStatus("RUNNING").stopCode(null).stoppedReason(null).build();
    }

    /** A task that is to run gets its roles' credentials; one on its way out needs none. */
    private List<TaskCredentials> credentialsFor(Task task, TaskDefinition definition) {
        return "STOPPED".equals(task.desiredStatus()) || "STOPPED".equals(task.lastStatus())
                ? List.of() : roleCredentials.issue(task, definition);
    }

    /** A task that is to run gets its EFS volumes resolved; one on its way out mounts nothing. */
    private List<EfsVolumeAssignment> efsVolumesFor(Task task, TaskDefinition definition) {
        return "STOPPED".equals(task.desiredStatus()) || "STOPPED".equals(task.lastStatus())
                ? List.of() : states.efsVolumesOf(ref, task, definition);
    }

    /**
     * New credentials for the tasks whose credentials are due for refresh at {@code now}, as a message
     * for the agent; the assignments kept here take them too, so a later complete state carries them.
     */
    public Optional<TaskCredentialsRefresh> refreshCredentials(Instant now) {
        catchUp();
        List<TaskCredentialsRefresh.TaskCredentialsSet> refreshed = new ArrayList<>();
        for (Map.Entry<String, TaskAssignment> entry : current.entrySet()) {
            TaskAssignment assignment = entry.getValue();
            boolean due = assignment.credentials().stream()
                    .anyMatch(c -> roleCredentials.dueForRefresh(c.expiration(), now));
            if (!due) {
                continue;
            }
            List<TaskCredentials> fresh = credentialsFor(assignment.task(), assignment.taskDefinition());
            TaskAssignment updated = assignment.withCredentials(fresh);
            entry.setValue(updated);
            if (sentByKey.containsKey(entry.getKey())) {
                markSent(entry.getKey(), updated);
                refreshed.add(new TaskCredentialsRefresh.TaskCredentialsSet(assignment.task().taskArn(), fresh));
            }
        }
        return refreshed.isEmpty() ? Optional.empty() : Optional.of(TaskCredentialsRefresh.of(ref.arn(), refreshed));
    }

    /** The store revision up to which the view has every change of the instance's tasks. */
    public long revision() {
        return revision;
    }

    /** Folds in changes of the instance's tasks, in revision order. */
    void apply(List<FeedEvent> events) {
        for (FeedEvent event : events) {
            if (event.key().kind() != EcsKey.Kind.TASK || event.revision() <= listedAt) {
                continue;
            }
            revision = Math.max(revision, event.revision());
            String key = event.storeKey();
            boolean here = !event.deleted()
                    && event.task().flatMap(TaskSummary::instanceArn).filter(ref.arn()::equals).isPresent();
            if (alreadyRead(key, event.revision(), here)) {
                continue;
            }
            if (here) {
                Task task = toldToAgent(Records.decode(event.kv().value(), Task.class));
                TaskAssignment before = current.get(key);
                // A task keeps the definition it was started from: it is read once, when the task appears.
                // A task keeps its interface too: it is made with the task and never changes. Its role
                // credentials are minted when it appears and then replaced by refreshes only.
                TaskDefinition definition = before != null ? before.taskDefinition() : states.definitionOf(ref, task);
                // Its EFS volumes are resolved once too: a mount, once made, is not taken back.
                current.put(key, TaskAssignment.of(task, definition,
                        before != null ? before.networkInterfaces() : states.networkInterfacesOf(ref, task))
                        .withCredentials(before != null ? before.credentials() : credentialsFor(task, definition))
                        .withEfsVolumes(before != null ? before.efsVolumes() : efsVolumesFor(task, definition)));
            } else {
                // Deleted, or (which ECS never does) placed elsewhere: no longer this instance's.
                current.remove(key);
            }
            touched.add(key);
            if (owed.remove(key)) {
                forced.add(key);
            }
        }
    }

    /**
     * Whether the view already has this change of a task it read itself, or a newer one. The
     * change that produced the record read settles what is owed to the agent for it.
     */
    private boolean alreadyRead(String key, long eventRevision, boolean here) {
        Long read = readAhead.get(key);
        if (read != null) {
            if (eventRevision > read) {
                readAhead.remove(key);
                return false;
            }
            if (eventRevision == read) {
                readAhead.remove(key);
                settle(key);
            }
            return true;
        }
        if (readGone.contains(key)) {
            if (!here) {
                readGone.remove(key);
                settle(key);
            }
            return true;
        }
        return false;
    }

    private void settle(String key) {
        if (owed.remove(key)) {
            forced.add(key);
            touched.add(key);
        }
    }

    private void catchUp() {
        List<FeedEvent> batch = new ArrayList<>();
        FeedEvent event;
        while ((event = delivered.poll()) != null) {
            batch.add(event);
        }
        apply(batch);
    }

    /**
     * The complete state, for the start of a connection, with what the feed delivered so far
     * folded in; from now on the agent has all of it.
     */
    public DesiredTasks complete() {
        catchUp();
        sentByKey.clear();
        sentByArn.clear();
        current.forEach(this::markSent);
        touched.clear();
        forced.clear();
        owed.clear();
        readAhead.forEach((key, read) -> {
            if (read > revision) {
                owed.add(key);
            }
        });
        owed.addAll(readGone);
        sentRevision = revision;
        return new DesiredTasks(AgentChannel.PROTOCOL_VERSION, ref.arn(), revision, List.copyOf(current.values()));
    }

    /**
     * What the agent has not been sent yet, if anything, after folding in what the feed delivered:
     * assignments new or changed in what the agent acts on, and tasks no longer listed. A task
     * whose only change is its {@code lastStatus} (the agent's own report coming back) is not sent,
     * unless it is owed.
     */
    public Optional<DesiredTaskChanges> takeChanges() {
        catchUp();
        List<TaskAssignment> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (String key : touched) {
            TaskAssignment now = current.get(key);
            TaskAssignment sent = sentByKey.get(key);
            boolean force = forced.contains(key);
            if (now == null) {
                if (sent != null) {
                    sentByKey.remove(key);
                    sentByArn.remove(sent.task().taskArn());
                    removed.add(sent.task().taskArn());
                } else if (force) {
                    removed.add(taskArnOf(key));
                }
            } else if (sent == null || force || differsForAgent(sent, now)) {
                markSent(key, now);
                changed.add(now);
            }
        }
        touched.clear();
        forced.clear();
        if (changed.isEmpty() && removed.isEmpty()) {
            return Optional.empty();
        }
        if (revision <= sentRevision) {
            // Only a delivered change touches a task, and the feed delivers in revision order.
            throw new IllegalStateException("a change to " + ref.arn() + " at revision " + revision
                    + " does not follow the push at " + sentRevision);
        }
        DesiredTaskChanges changes = new DesiredTaskChanges(AgentChannel.PROTOCOL_VERSION, ref.arn(), sentRevision,
                revision, changed, removed);
        sentRevision = revision;
        return Optional.of(changes);
    }

    /** The assignment of a task as the agent was last sent it; empty when the agent was not sent the task. */
    public Optional<TaskAssignment> pushed(String taskArn) {
        return Optional.ofNullable(sentByArn.get(taskArn));
    }

    /** Stops the feed's deliveries to the view. */
    @Override
    public void close() {
        subscription.close();
    }

    private void markSent(String key, TaskAssignment a) {
        sentByKey.put(key, a);
        sentByArn.put(a.task().taskArn(), a);
    }

    /** Different in anything but {@code lastStatus}, which moves with the agent's own reports. */
    static boolean differsForAgent(TaskAssignment a, TaskAssignment b) {
        return !a.taskDefinition().equals(b.taskDefinition())
                || !a.task().toBuilder().lastStatus(b.task().lastStatus()).build().equals(b.task());
    }

    /** The ARN of a task known only by its key: one gone before the view read it. */
    private static String taskArnOf(String key) {
        EcsKey parsed = EcsKey.parse(key).orElseThrow(() -> new IllegalStateException("not a task key: " + key));
        return Arns.task(parsed.scope(), parsed.cluster(), parsed.id());
    }
}
