package dev.stevedore.control.ecs.task;

import dev.stevedore.control.state.Records;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.Txn;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes what the API no longer needs to show: tasks STOPPED for longer than the retention (ECS
 * keeps them describable for at least an hour) with their tags and scale-in protection, and RunTask
 * client tokens past their idempotency window. Level-triggered: each pass looks at what is there
 * now; running it twice is harmless.
 */
public final class StoppedTaskReaper {
    private static final String ROOT = "/ecs/";

    private final StateStore store;
    private final Duration retention;
    private final Duration tokenWindow;

    public StoppedTaskReaper(StateStore store, Duration retention, Duration tokenWindow) {
        this.store = store;
        this.retention = retention;
        this.tokenWindow = tokenWindow;
    }

    /** One pass; returns how many records it removed. */
    public int reap(Instant now) {
        int removed = 0;
        for (KeyValue kv : store.range(ROOT)) {
            String key = kv.key();
            if (key.contains("/tasks/")) {
                Task task = Records.decode(kv.value(), Task.class);
                if (TaskStatus.STOPPED.equals(task.lastStatus()) && task.stoppedAt() != null
                        && task.stoppedAt().plus(retention).isBefore(now)) {
                    int at = key.indexOf("/tasks/");
                    String tagsKey = key.substring(0, at) + "/tags/" + task.taskArn();
                    // The protection key has the task key's cluster and id: .../task-protection/{cluster}/{id}.
                    String protectionKey = key.substring(0, at) + "/task-protection/" + key.substring(at + "/tasks/".length());
                    removed += deleteIfUnchanged(kv, List.of(tagsKey, protectionKey));
                }
            } else if (key.contains("/run-task-tokens/")) {
                TaskOperations.RunTaskToken token = Records.decode(kv.value(), TaskOperations.RunTaskToken.class);
                if (token.createdAt() == null || token.createdAt().plus(tokenWindow).isBefore(now)) {
                    removed += deleteIfUnchanged(kv, List.of());
                }
            }
        }
        return removed;
    }

    /** Deletes the record only if nobody changed it since it was read; a lost race waits for the next pass. */
    private int deleteIfUnchanged(KeyValue kv, List<String> alsoDelete) {
        Txn.Builder txn = Txn.builder().requireModRevision(kv.key(), kv.modRevision()).delete(kv.key());
        List<String> extra = new ArrayList<>(alsoDelete);
        extra.forEach(txn::delete);
        return store.commit(txn.build()).succeeded() ? 1 : 0;
    }
}
