package dev.stevedore.control.ecs.protection;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.ecs.cluster.Clusters;
import dev.stevedore.control.ecs.task.Tasks;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Failure;
import dev.stevedore.model.ecs.GetTaskProtectionRequest;
import dev.stevedore.model.ecs.GetTaskProtectionResponse;
import dev.stevedore.model.ecs.ProtectedTask;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.UpdateTaskProtectionRequest;
import dev.stevedore.model.ecs.UpdateTaskProtectionResponse;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * UpdateTaskProtection and GetTaskProtection: scale-in protection of a service's tasks, stored as
 * a {@link TaskProtections.Stored} per protected task, which the service controller follows.
 *
 * <p>Only tasks started by a service (group {@code service:NAME}) can be protected; other tasks
 * get the failure {@code TASK_NOT_VALID}, unknown ones {@code MISSING}. A protection past its
 * expiration reads as not protected, as ECS clears it then.
 */
public final class TaskProtectionOperations {
    static final int MAX_UPDATE = 10;
    static final int MAX_GET = 100;
    static final int DEFAULT_MINUTES = 120;
    static final int MAX_MINUTES = 2880;
    static final String TASK_NOT_VALID = "TASK_NOT_VALID";
    static final String MISSING = "MISSING";

    private final StateStore store;
    private final Clock clock;

    public TaskProtectionOperations(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "UpdateTaskProtection", Operations.typed(UpdateTaskProtectionRequest.class, this::update),
                "GetTaskProtection", Operations.typed(GetTaskProtectionRequest.class, this::get));
    }

    /** What one call found for its tasks, in the order they were named. */
    private record Outcome(List<ProtectedTask> tasks, List<Failure> failures) {
        Outcome() {
            this(new ArrayList<>(), new ArrayList<>());
        }
    }

    UpdateTaskProtectionResponse update(CallContext ctx, UpdateTaskProtectionRequest r) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, r.cluster());
        List<String> refs = checkTasks(r.tasks(), MAX_UPDATE);
        int minutes = Optional.ofNullable(r.expiresInMinutes()).orElse(DEFAULT_MINUTES);
        if (minutes < 1 || minutes > MAX_MINUTES) {
            throw EcsErrors.invalidParameter("expiresInMinutes must be between 1 and " + MAX_MINUTES + ".");
        }
        boolean enable = Boolean.TRUE.equals(r.protectionEnabled());
        Instant expiry = clock.instant().plus(Duration.ofMinutes(minutes));
        Outcome outcome = StoreTx.run(store, tx -> {
            Clusters.requireActive(tx, scope, cluster);
            Outcome out = new Outcome();
            for (String ref : refs) {
                serviceTask(tx, scope, cluster, ref, out).ifPresent(task -> {
                    String key = EcsKeys.taskProtection(scope, cluster, Tasks.id(task));
                    if (enable) {
                        tx.put(key, new TaskProtections.Stored(expiry));
                        out.tasks().add(ProtectedTask.builder().taskArn(task.taskArn()).protectionEnabled(true)
                                .expirationDate(expiry).build());
                    } else {
                        tx.delete(key);
                        out.tasks().add(unprotected(task.taskArn()));
                    }
                });
            }
            return out;
        });
        return new UpdateTaskProtectionResponse(outcome.failures(), outcome.tasks());
    }

    GetTaskProtectionResponse get(CallContext ctx, GetTaskProtectionRequest r) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, r.cluster());
        Instant now = clock.instant();
        if (r.tasks() == null) {
            // No tasks named: every task of the cluster whose protection holds now.
            StoreTx.run(store, tx -> Clusters.requireActive(tx, scope, cluster));
            String prefix = EcsKeys.taskProtection(scope, cluster, "");
            List<ProtectedTask> tasks = new ArrayList<>();
            for (KeyValue kv : store.range(prefix)) {
                String arn = Arns.task(scope, cluster, kv.key().substring(prefix.length()));
                ProtectedTask t = status(arn, Optional.of(Records.decode(kv.value(), TaskProtections.Stored.class)), now);
                if (t.protectionEnabled()) {
                    tasks.add(t);
                }
            }
            return new GetTaskProtectionResponse(List.of(), tasks);
        }
        List<String> refs = checkTasks(r.tasks(), MAX_GET);
        Outcome outcome = StoreTx.run(store, tx -> {
            Clusters.requireActive(tx, scope, cluster);
            Outcome out = new Outcome();
            for (String ref : refs) {
                serviceTask(tx, scope, cluster, ref, out).ifPresent(task -> {
                    Optional<TaskProtections.Stored> p = tx.read(
                            EcsKeys.taskProtection(scope, cluster, Tasks.id(task)), TaskProtections.Stored.class);
                    out.tasks().add(status(task.taskArn(), p, now));
                });
            }
            return out;
        });
        return new GetTaskProtectionResponse(outcome.failures(), outcome.tasks());
    }

    /** The task {@code ref} names if it belongs to a service; otherwise its failure is added to {@code out}. */
    private static Optional<Task> serviceTask(StoreTx tx, EcsScope scope, String cluster, String ref, Outcome out) {
        Optional<Task> task = Tasks.read(tx, scope, cluster, ref);
        if (task.isEmpty()) {
            String arn = ref.startsWith("arn:") ? ref : Arns.task(scope, cluster, ref);
            out.failures().add(Failure.builder().arn(arn).reason(MISSING).build());
            return Optional.empty();
        }
        if (task.get().group() == null || !task.get().group().startsWith("service:")) {
            out.failures().add(Failure.builder().arn(task.get().taskArn()).reason(TASK_NOT_VALID).build());
            return Optional.empty();
        }
        return task;
    }

    /** How a task's protection reads at {@code now}: an expired one as none. */
    private static ProtectedTask status(String taskArn, Optional<TaskProtections.Stored> stored, Instant now) {
        return stored.filter(p -> p.expirationDate().isAfter(now))
                .map(p -> ProtectedTask.builder().taskArn(taskArn).protectionEnabled(true)
                        .expirationDate(p.expirationDate()).build())
                .orElseGet(() -> unprotected(taskArn));
    }

    /** Unprotected tasks carry no expiration date, as in ECS's answers. */
    private static ProtectedTask unprotected(String taskArn) {
        return ProtectedTask.builder().taskArn(taskArn).protectionEnabled(false).build();
    }

    private static List<String> checkTasks(List<String> tasks, int max) {
        if (tasks.isEmpty()) {
            throw EcsErrors.invalidParameter("Tasks cannot be empty.");
        }
        if (tasks.size() > max) {
            throw EcsErrors.invalidParameter("tasks can have at most " + max + " items.");
        }
        return tasks;
    }
}
