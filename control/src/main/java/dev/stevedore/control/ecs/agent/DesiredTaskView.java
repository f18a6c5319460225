package dev.stevedore.control.ecs.agent;

import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.agent.AgentStates.InstanceRef;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.agent.AgentChannel;
import dev.stevedore.model.agent.DesiredTaskChanges;
import dev.stevedore.model.agent.DesiredTasks;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.store.WatchEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One container instance's desired tasks as its agent channel follows them: read once when the
 * agent connects, then kept current from the store's watch on the cluster's tasks, and turned into
 * what the agent has not been sent yet. A change costs the work of the tasks it touches, not a scan
 * of the cluster.
 *
 * <p>Owned by one thread (the session's pusher); only {@link #pushed} may be called from others.
 */
public final class DesiredTaskView {
    private final AgentStates states;
    private final InstanceRef ref;
    private final String prefix;
    /** The instance's assignments now, by store key (a delete names only the key), in the order they appeared. */
    private final Map<String, TaskAssignment> current = new LinkedHashMap<>();
    /** What the agent was sent, by store key. */
    private final Map<String, TaskAssignment> sentByKey = new HashMap<>();
    /** The same by task ARN, for other threads: a health report is only taken for a task the agent was sent. */
    private final Map<String, TaskAssignment> sentByArn = new ConcurrentHashMap<>();
    /** Keys whose assignment changed since the last push, in the order they changed. */
    private final Set<String> touched = new LinkedHashSet<>();
    private long revision;
    private long sentRevision;

    private DesiredTaskView(AgentStates states, InstanceRef ref) {
        this.states = states;
        this.ref = ref;
        this.prefix = AgentStates.tasksPrefix(ref);
    }

    /** Reads the instance's tasks as they are now (one range over the cluster's tasks). */
    public static DesiredTaskView load(AgentStates states, InstanceRef ref) {
        DesiredTaskView view = new DesiredTaskView(states, ref);
        DesiredTasks now = states.desiredTasks(ref);
        for (TaskAssignment a : now.tasks()) {
            view.current.put(view.keyOf(a.task().taskArn()), a);
        }
        view.revision = now.revision();
        return view;
    }

    /** The store revision the view is current to; the watch that feeds it starts after it. */
    public long revision() {
        return revision;
    }

    /**
     * Whether a watch event may concern this instance; a cheap test to run on the watch's thread
     * before handing the event over. A task's JSON names its container instance; a delete names
     * only the key, and {@link #apply} knows whether the key is one of the instance's.
     */
    public boolean mayConcern(WatchEvent event) {
        return event.type() == WatchEvent.Type.DELETE || event.kv().valueAsString().contains(ref.arn());
    }

    /** Folds in changes to the cluster's tasks, in revision order; those of other instances are skipped. */
    public void apply(List<WatchEvent> events) {
        for (WatchEvent event : events) {
            String key = event.kv().key();
            if (!key.startsWith(prefix)) {
                continue;
            }
            if (event.type() == WatchEvent.Type.DELETE) {
                if (current.remove(key) != null) {
                    touched.add(key);
                    revision = Math.max(revision, event.revision());
                }
                continue;
            }
            Task task = Records.decode(event.kv().value(), Task.class);
            if (!ref.arn().equals(task.containerInstanceArn())) {
                continue;
            }
            TaskAssignment before = current.get(key);
            // A task keeps the definition it was started from: it is read once, when the task appears.
            TaskAssignment now = TaskAssignment.of(task,
                    before != null ? before.taskDefinition() : states.definitionOf(ref, task));
            current.put(key, now);
            touched.add(key);
            revision = Math.max(revision, event.revision());
        }
    }

    /** The complete state, for the start of a connection; from now on the agent has all of it. */
    public DesiredTasks complete() {
        sentByKey.clear();
        sentByArn.clear();
        current.forEach(this::markSent);
        touched.clear();
        sentRevision = revision;
        return new DesiredTasks(AgentChannel.PROTOCOL_VERSION, ref.arn(), revision, List.copyOf(current.values()));
    }

    /**
     * What the agent has not been sent yet, if anything: assignments new or changed in what the
     * agent acts on, and tasks no longer listed. A task whose only change is its {@code lastStatus}
     * (the agent's own report coming back) is not sent.
     */
    public Optional<DesiredTaskChanges> takeChanges() {
        List<TaskAssignment> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (String key : touched) {
            TaskAssignment now = current.get(key);
            TaskAssignment sent = sentByKey.get(key);
            if (now == null) {
                if (sent != null) {
                    sentByKey.remove(key);
                    sentByArn.remove(sent.task().taskArn());
                    removed.add(sent.task().taskArn());
                }
            } else if (sent == null || differsForAgent(sent, now)) {
                markSent(key, now);
                changed.add(now);
            }
        }
        touched.clear();
        if (changed.isEmpty() && removed.isEmpty()) {
            return Optional.empty();
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

    private void markSent(String key, TaskAssignment a) {
        sentByKey.put(key, a);
        sentByArn.put(a.task().taskArn(), a);
    }

    /** Different in anything but {@code lastStatus}, which moves with the agent's own reports. */
    static boolean differsForAgent(TaskAssignment a, TaskAssignment b) {
        return !a.taskDefinition().equals(b.taskDefinition())
                || !a.task().toBuilder().lastStatus(b.task().lastStatus()).build().equals(b.task());
    }

    private String keyOf(String taskArn) {
        return EcsKeys.task(ref.scope(), ref.cluster(), taskArn.substring(taskArn.lastIndexOf('/') + 1));
    }
}
