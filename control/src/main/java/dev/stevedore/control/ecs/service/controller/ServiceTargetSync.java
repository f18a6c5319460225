package dev.stevedore.control.ecs.service.controller;

import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.feed.TaskSummary;
import dev.stevedore.control.ecs.instance.ContainerInstances;
import dev.stevedore.control.ecs.service.ServiceMessages;
import dev.stevedore.control.ecs.service.ServiceRef;
import dev.stevedore.control.ecs.service.rollout.TargetsHealth;
import dev.stevedore.control.ecs.task.TaskAttachments;
import dev.stevedore.control.ecs.task.TaskStatus;
import dev.stevedore.control.ecs.task.TaskTargets;
import dev.stevedore.control.ecs.task.Tasks;
import dev.stevedore.control.elb.ServiceTargets;
import dev.stevedore.control.elb.TargetGroupFacts;
import dev.stevedore.control.elb.TargetHealth;
import dev.stevedore.control.elb.TargetRef;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Container;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.LoadBalancer;
import dev.stevedore.model.ecs.NetworkBinding;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.store.StateStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The part of a pass that keeps a load-balanced service's tasks and its target groups in step, run before
 * the pass weighs the tasks:
 * <ul>
 *   <li>a task that reached RUNNING gets its targets registered in its deployment's target groups (an
 *       {@code ip} target: its interface's address and the containerPort; an {@code instance} target: its
 *       instance's EC2 id and the container's host port), with a {@link TaskTargets} record, in one
 *       transaction;</li>
 *   <li>a DEACTIVATING task (stopped while registered: its targets were deregistered as it was told to stop)
 *       moves on to STOPPING once none of its targets is draining any more, and only then does its agent
 *       stop its containers;</li>
 *   <li>a task stopped some other way (a lost host) has its targets deregistered, and the record of a task
 *       that has stopped or is gone is deleted;</li>
 *   <li>each running task's health as its target groups report it, for the decisions.</li>
 * </ul>
 * Target health changes reach no store key the feed follows, so a service with a task waiting on its load
 * balancers asks to be looked at again after {@link #POLL}, and one with registered targets after
 * {@link #WATCH} (a healthy target can turn unhealthy).
 */
final class ServiceTargetSync {
    /** How soon a service waiting for a drain or a health verdict is looked at again. */
    static final Duration POLL = Duration.ofSeconds(1);
    /** How soon a service whose registered targets are all healthy is looked at again. */
    static final Duration WATCH = Duration.ofSeconds(5);
    private static final Set<String> DRAINING = Set.of("draining", "unhealthy.draining");

    private final StateStore store;
    private final ServiceTargets targets;

    ServiceTargetSync(StateStore store, ServiceTargets targets) {
        this.store = store;
        this.targets = targets;
    }

    /**
     * What the sync found: each running task's health by task ARN, the events of what it did, and when to
     * look at the service again for its load balancers' sake ({@link #POLL} while it waits on them,
     * {@link #WATCH} while it has registered targets).
     */
    record Result(Map<String, TargetsHealth> health, List<String> events, Optional<Duration> recheckAfter) {
        static final Result NONE = new Result(Map.of(), List.of(), Optional.empty());

        TargetsHealth of(String taskArn) {
            return health.getOrDefault(taskArn, TargetsHealth.NOT_BALANCED);
        }
    }

    /**
     * @param loadBalancersOf a deployment's load balancers (from the revision it rolls out)
     * @param definitionOf    a task definition by ARN
     */
    Result sync(ServiceRef ref, List<TaskSummary> tasks, Function<String, List<LoadBalancer>> loadBalancersOf,
                Function<String, Optional<TaskDefinition>> definitionOf, ServiceIndex.ClusterEntry cluster) {
        Map<String, TaskTargets> records = new HashMap<>();
        for (TaskTargets r : StoreTx.run(store, tx -> tx.scan(
                EcsKeys.serviceTaskTargets(ref.scope(), ref.cluster(), ref.name()), TaskTargets.class))) {
            records.put(r.taskArn(), r);
        }
        List<TaskSummary> toRegister = new ArrayList<>();
        List<TaskSummary> drained = new ArrayList<>();
        List<TaskTargets> toDeregister = new ArrayList<>();
        List<TaskTargets> toForget = new ArrayList<>();
        Map<String, TargetsHealth> health = new HashMap<>();
        boolean waiting = false;
        for (TaskSummary t : tasks) {
            TaskTargets record = records.remove(t.taskArn());
            List<LoadBalancer> lbs = loadBalancersOf.apply(t.startedBy() == null ? "" : t.startedBy());
            if (t.isStopped()) {
                if (record != null) {
                    toForget.add(record);
                }
            } else if (TaskStatus.DEACTIVATING.equals(t.lastStatus())) {
                if (record == null || (record.deregistered() && !draining(ref, record))) {
                    drained.add(t);
                } else {
                    if (!record.deregistered()) {
                        toDeregister.add(record);
                    }
                    waiting = true;
                }
            } else if (!t.wanted()) {
                // Told to stop without passing through DEACTIVATING (its host was lost): it cannot be held.
                if (record != null && !record.deregistered()) {
                    toDeregister.add(record);
                }
            } else if (t.isRunning() && !lbs.isEmpty()) {
                if (record == null) {
                    toRegister.add(t);
                    health.put(t.taskArn(), TargetsHealth.WAITING);
                    waiting = true;
                } else {
                    TargetsHealth h = health(ref, record);
                    health.put(t.taskArn(), h);
                    waiting |= h.state() == TargetsHealth.State.WAITING;
                }
            } else if (!lbs.isEmpty()) {
                health.put(t.taskArn(), TargetsHealth.WAITING);
            }
        }
        toForget.addAll(records.values());  // tasks gone from the cluster

        List<String> events = new ArrayList<>();
        if (!toRegister.isEmpty()) {
            Map<String, Integer> registered = register(ref, toRegister, loadBalancersOf, definitionOf);
            registered.forEach((group, n) -> events.add(ServiceMessages.registeredTargets(ref.name(), n, group)));
        }
        if (!toDeregister.isEmpty()) {
            Map<String, Integer> deregistered = deregister(ref, toDeregister);
            deregistered.forEach((group, n) -> events.add(ServiceMessages.deregisteredTargets(ref.name(), n, group)));
        }
        if (!drained.isEmpty()) {
            List<String> stopping = moveToStopping(ref, drained, cluster);
            if (!stopping.isEmpty()) {
                events.add(ServiceMessages.stoppedRunning(ref.name(), stopping));
            }
        }
        if (!toForget.isEmpty()) {
            forget(ref, toForget);
        }
        Optional<Duration> recheck = waiting ? Optional.of(POLL)
                : health.isEmpty() ? Optional.empty() : Optional.of(WATCH);
        return new Result(health, events, recheck);
    }

    /** Whether any of the task's targets is still draining. */
    private boolean draining(ServiceRef ref, TaskTargets record) {
        for (TaskTargets.Registration r : record.registrations()) {
            if (DRAINING.contains(targets.health(ref.scope(), r.targetGroupArn(), r.target()).state())) {
                return true;
            }
        }
        return false;
    }

    /** Unhealthy when one target group says so, healthy when all do, otherwise still waiting for a verdict. */
    private TargetsHealth health(ServiceRef ref, TaskTargets record) {
        boolean allHealthy = true;
        for (TaskTargets.Registration r : record.registrations()) {
            TargetHealth h = targets.health(ref.scope(), r.targetGroupArn(), r.target());
            if ("unhealthy".equals(h.state())) {
                String name = targets.targetGroup(ref.scope(), r.targetGroupArn()).map(TargetGroupFacts::name)
                        .orElse(r.targetGroupArn());
                Optional<String> instance = Optional.of(r.target().id()).filter(id -> id.startsWith("i-"));
                String reason = h.description().isEmpty() ? h.reason() : h.description();
                return TargetsHealth.unhealthy(new TargetsHealth.Failure(r.targetGroupArn(), name, instance,
                        r.target().port(), reason));
            }
            allHealthy &= "healthy".equals(h.state());
        }
        return allHealthy ? TargetsHealth.HEALTHY : TargetsHealth.WAITING;
    }

    /** Registers the tasks that still run as they were seen; returns how many targets went into each group. */
    private Map<String, Integer> register(ServiceRef ref, List<TaskSummary> tasks,
                                          Function<String, List<LoadBalancer>> loadBalancersOf,
                                          Function<String, Optional<TaskDefinition>> definitionOf) {
        return StoreTx.run(store, tx -> {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (TaskSummary summary : tasks) {
                Optional<Task> found = Tasks.read(tx, ref.scope(), ref.cluster(), summary.taskArn());
                if (found.isEmpty() || !TaskStatus.RUNNING.equals(found.get().lastStatus())
                        || !TaskStatus.RUNNING.equals(found.get().desiredStatus())) {
                    continue;
                }
                Task task = found.get();
                Optional<List<TaskTargets.Registration>> registrations = registrations(tx, ref, task,
                        loadBalancersOf.apply(Objects.requireNonNullElse(task.startedBy(), "")),
                        definitionOf.apply(task.taskDefinitionArn()));
                if (registrations.isEmpty()) {
                    continue;  // a target that cannot be named yet: tried again on the next pass
                }
                for (TaskTargets.Registration r : registrations.get()) {
                    targets.register(tx, ref.scope(), r.targetGroupArn(), r.target());
                    counts.merge(r.targetGroupArn(), 1, Integer::sum);
                }
                tx.put(TaskTargets.key(ref.scope(), ref.cluster(), ref.name(), task.taskArn()),
                        new TaskTargets(task.taskArn(), ref.name(), registrations.get(), false));
            }
            return counts;
        });
    }

    /** The task's target in each of its load balancers' groups; a group deleted since is left out. */
    private Optional<List<TaskTargets.Registration>> registrations(StoreTx tx, ServiceRef ref, Task task,
                                                                  List<LoadBalancer> lbs, Optional<TaskDefinition> td) {
        List<TaskTargets.Registration> out = new ArrayList<>();
        for (LoadBalancer lb : lbs) {
            Optional<TargetGroupFacts> group = targets.targetGroup(ref.scope(), lb.targetGroupArn());
            if (group.isEmpty()) {
                continue;
            }
            Optional<TargetRef> target = "ip".equals(group.get().targetType())
                    ? ipTarget(task, lb) : instanceTarget(tx, ref, task, td, lb);
            if (target.isEmpty()) {
                return Optional.empty();
            }
            out.add(new TaskTargets.Registration(lb.targetGroupArn(), target.get()));
        }
        return Optional.of(out);
    }

    /** An awsvpc task is reached at its interface's address on the container's own port. */
    static Optional<TargetRef> ipTarget(Task task, LoadBalancer lb) {
        return TaskAttachments.interfaceOf(task).map(TaskAttachments.InterfaceFacts::privateIpv4Address)
                .filter(a -> a != null && !a.isEmpty())
                .map(address -> new TargetRef(address, lb.containerPort()));
    }

    /** A bridge or host task is reached at its instance, on the host port its container's port is bound to. */
    private Optional<TargetRef> instanceTarget(StoreTx tx, ServiceRef ref, Task task, Optional<TaskDefinition> td,
                                               LoadBalancer lb) {
        if (task.containerInstanceArn() == null) {
            return Optional.empty();
        }
        Optional<String> ec2Id = ContainerInstances.read(tx, ref.scope(), ref.cluster(), task.containerInstanceArn())
                .map(i -> i.ec2InstanceId()).filter(id -> id != null && !id.isEmpty());
        return ec2Id.flatMap(id -> hostPort(task, td, lb).map(port -> new TargetRef(id, port)));
    }

    /**
     * The host port of the container's {@code containerPort}: the agent's network binding; without one
     * yet, the port the definition fixes (a static hostPort, or the containerPort itself in host mode).
     */
    static Optional<Integer> hostPort(Task task, Optional<TaskDefinition> td, LoadBalancer lb) {
        Optional<Integer> bound = Optional.ofNullable(task.containers()).orElse(List.of()).stream()
                .filter(c -> lb.containerName().equals(c.name()))
                .map(Container::networkBindings).filter(Objects::nonNull).flatMap(List::stream)
                .filter(b -> Objects.equals(b.containerPort(), lb.containerPort()))
                .map(NetworkBinding::hostPort).filter(p -> p != null && p > 0).findFirst();
        if (bound.isPresent() || td.isEmpty()) {
            return bound;
        }
        boolean hostMode = "host".equals(td.get().networkMode());
        return td.get().containerDefinitions().stream()
                .filter(c -> lb.containerName().equals(c.name()))
                .map(ContainerDefinition::portMappings).filter(Objects::nonNull).flatMap(List::stream)
                .filter(m -> Objects.equals(m.containerPort(), lb.containerPort()))
                .map(m -> hostMode ? m.containerPort() : m.hostPort())
                .filter(p -> p != null && p > 0).findFirst();
    }

    /** Deregisters targets of tasks that are stopping anyway; returns how many left each group. */
    private Map<String, Integer> deregister(ServiceRef ref, List<TaskTargets> records) {
        return StoreTx.run(store, tx -> {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (TaskTargets record : records) {
                String key = TaskTargets.key(ref.scope(), ref.cluster(), ref.name(), record.taskArn());
                Optional<TaskTargets> now = tx.read(key, TaskTargets.class);
                if (now.isEmpty() || now.get().deregistered()) {
                    continue;
                }
                for (TaskTargets.Registration r : now.get().registrations()) {
                    targets.deregister(tx, ref.scope(), r.targetGroupArn(), r.target());
                    counts.merge(r.targetGroupArn(), 1, Integer::sum);
                }
                tx.put(key, new TaskTargets(record.taskArn(), record.service(), record.registrations(), true));
            }
            return counts;
        });
    }

    /** DEACTIVATING tasks whose targets have drained go on to STOPPING: their agents now stop them. */
    private List<String> moveToStopping(ServiceRef ref, List<TaskSummary> drained, ServiceIndex.ClusterEntry cluster) {
        List<Task> moved = StoreTx.run(store, tx -> {
            List<Task> out = new ArrayList<>();
            for (TaskSummary summary : drained) {
                Optional<Task> found = Tasks.read(tx, ref.scope(), ref.cluster(), summary.taskArn());
                if (found.isEmpty() || !TaskStatus.DEACTIVATING.equals(found.get().lastStatus())) {
                    continue;
                }
                Task next = found.get().toBuilder().lastStatus(TaskStatus.STOPPING)
                        .version(found.get().version() + 1).build();
                Tasks.write(tx, ref.scope(), ref.cluster(), next);
                tx.delete(TaskTargets.key(ref.scope(), ref.cluster(), ref.name(), next.taskArn()));
                out.add(next);
            }
            return out;
        });
        List<String> ids = new ArrayList<>();
        for (Task t : moved) {
            cluster.putTask(EcsKeys.task(ref.scope(), ref.cluster(), Tasks.id(t)), ServiceActions.summary(t));
            ids.add(Tasks.id(t));
        }
        return ids;
    }

    /** The records of tasks that have stopped or are gone: their targets out (if still in), the record deleted. */
    private void forget(ServiceRef ref, List<TaskTargets> records) {
        StoreTx.run(store, tx -> {
            for (TaskTargets record : records) {
                String key = TaskTargets.key(ref.scope(), ref.cluster(), ref.name(), record.taskArn());
                Optional<TaskTargets> now = tx.read(key, TaskTargets.class);
                if (now.isEmpty()) {
                    continue;
                }
                if (!now.get().deregistered()) {
                    now.get().registrations().forEach(r -> targets.deregister(tx, ref.scope(), r.targetGroupArn(),
                            r.target()));
                }
                tx.delete(key);
            }
            return null;
        });
    }
}
