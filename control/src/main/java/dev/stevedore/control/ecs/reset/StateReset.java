package dev.stevedore.control.ecs.reset;

import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.instance.ContainerInstances;
import dev.stevedore.control.ecs.instance.InstanceStatus;
import dev.stevedore.control.ecs.task.TaskStatus;
import dev.stevedore.control.ecs.task.Tasks;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskStopCode;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The steps of emptying the ECS state of every Region (the development reset), each through the
 * store like any other write, so that the controllers, the plan applier and the agent sessions
 * follow it as they follow the API: services go first (so that no controller starts a task again),
 * then every task is asked to stop (so that the agents stop their containers), and once the agents
 * have done so every key under {@code /ecs/} goes.
 */
public final class StateReset {
    static final String ROOT = "/ecs/";
    static final String EC2_ROOT = "/ec2/";
    static final String REASON = "Stopped by a Stevedore reset";
    /** What belongs to services: removing these leaves the service scheduler nothing to act on. */
    private static final Set<String> SERVICE_KINDS = Set.of("services", "service-events", "service-traffic", "service-deployments",
            "service-revisions", "create-service-tokens", "create-task-set-tokens", "task-protection");
    /** Keys deleted per transaction: large enough to be quick, small enough to keep a commit short. */
    private static final int BATCH = 500;

    private final StateStore store;
    private final Clock clock;

    public StateReset(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Removes every service, its deployments, events and task sets, and task protections; returns how many keys. */
    public int removeServices() {
        List<String> keys = new ArrayList<>();
        for (KeyValue kv : store.range(ROOT)) {
            if (SERVICE_KINDS.contains(kind(kv.key()))) {
                keys.add(kv.key());
            }
        }
        delete(keys);
        return keys.size();
    }

    /**
     * Asks every task that is meant to run to stop, as StopTask does (stop code UserInitiated);
     * returns how many were asked. A task that changed meanwhile is read again, not overwritten.
     */
    public int stopTasks() {
        int asked = 0;
        for (KeyValue kv : store.range(ROOT)) {
            if (!"tasks".equals(kind(kv.key()))) {
                continue;
            }
            Task task = Records.decode(kv.value(), Task.class);
            if (TaskStatus.STOPPED.equals(task.desiredStatus()) && !TaskStatus.DEACTIVATING.equals(task.lastStatus())) {
                continue;
            }
            boolean stopped = StoreTx.run(store, tx -> {
                Optional<Task> now = tx.read(kv.key(), Task.class);
                if (now.isEmpty()) {
                    return false;
                }
                if (TaskStatus.DEACTIVATING.equals(now.get().lastStatus())) {
                    // Its service is gone, and with it the scheduler that would end its drain.
                    tx.put(kv.key(), now.get().toBuilder().lastStatus(TaskStatus.STOPPING)
                            .version(now.get().version() + 1).build());
                    return true;
                }
                if (TaskStatus.STOPPED.equals(now.get().desiredStatus())) {
                    return false;
                }
                tx.put(kv.key(), Tasks.stopRequested(now.get(), TaskStopCode.USER_INITIATED, REASON, clock.instant()));
                return true;
            });
            asked += stopped ? 1 : 0;
        }
        return asked;
    }

    /** The ARNs of the tasks that have not stopped yet on the container instances {@code watched} accepts. */
    public List<String> stillRunning(Predicate<String> watched) {
        List<String> out = new ArrayList<>();
        for (KeyValue kv : store.range(ROOT)) {
            if (!"tasks".equals(kind(kv.key()))) {
                continue;
            }
            Task task = Records.decode(kv.value(), Task.class);
            if (!TaskStatus.STOPPED.equals(task.lastStatus()) && task.containerInstanceArn() != null
                    && watched.test(task.containerInstanceArn())) {
                out.add(task.taskArn());
            }
        }
        return out;
    }

    /** Every registered (not deregistered) container instance of every Region. */
    public List<ContainerInstance> instances() {
        List<ContainerInstance> out = new ArrayList<>();
        for (KeyValue kv : store.range(ROOT)) {
            if ("container-instances".equals(kind(kv.key()))) {
                ContainerInstance i = Records.decode(kv.value(), ContainerInstance.class);
                if (!InstanceStatus.INACTIVE.equals(i.status())) {
                    out.add(i);
                }
            }
        }
        return out;
    }

    /**
     * Deletes every key of the ECS state and of the VPCs (their default VPC is made again on first
     * use), in every Region; returns how many.
     */
    public int wipe() {
        List<String> keys = new ArrayList<>();
        for (KeyValue kv : store.range(ROOT)) {
            keys.add(kv.key());
        }
        for (KeyValue kv : store.range(EC2_ROOT)) {
            keys.add(kv.key());
        }
        delete(keys);
        return keys.size();
    }

    /**
     * Registers a container instance again after a wipe, as it registered first: same ARN and
     * registration, ACTIVE, nothing reserved, no task; its agent's connection is still open, so it
     * stays connected. Its cluster must exist again.
     */
    public void restore(ContainerInstance instance) {
        ContainerInstance fresh = instance.toBuilder()
                .status(InstanceStatus.ACTIVE)
                .remainingResources(instance.registeredResources())
                .runningTasksCount(0)
                .pendingTasksCount(0)
                .version(instance.version() + 1)
                .tags(null)
                .build();
        StoreTx.run(store, tx -> {
            ContainerInstances.writeRegistration(tx, scopeOf(instance), fresh);
            return null;
        });
    }

    public static EcsScope scopeOf(ContainerInstance instance) {
        Arns.Arn arn = Arns.parse(instance.containerInstanceArn()).orElseThrow();
        return new EcsScope(arn.account(), arn.region());
    }

    private void delete(List<String> keys) {
        for (int from = 0; from < keys.size(); from += BATCH) {
            List<String> batch = keys.subList(from, Math.min(keys.size(), from + BATCH));
            StoreTx.run(store, tx -> {
                batch.forEach(tx::delete);
                return null;
            });
        }
    }

    /** {@code /ecs/{account}/{region}/{kind}/...} → kind. */
    static String kind(String key) {
        String[] parts = key.split("/", 6);
        return parts.length > 4 ? parts[4] : "";
    }
}
