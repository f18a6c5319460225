package dev.stevedore.control.ecs.feed;

import dev.stevedore.store.KeyValue;

import java.util.Optional;

/**
 * One change to one cluster record, as the feed delivers it: the record's key taken apart, the
 * revision of the change, and for tasks the summary of the new record (decoded once, shared by
 * every listener) and where the task was before (for a delete, the only way to know).
 *
 * @param kv           the new record; for a delete, a tombstone with an empty value
 * @param revision     the store revision of the change; for a record a listener loads itself, compare
 *                     with its {@code modRevision} and keep whichever is newer
 * @param task         for a put of a task: its summary
 * @param previousInstance for a task: the container instance the feed last saw it on, if any
 * @param instance     for a put of a container instance: its summary
 */
public record FeedEvent(EcsKey key, boolean deleted, KeyValue kv, long revision, Optional<TaskSummary> task,
                        Optional<String> previousInstance, Optional<InstanceSummary> instance) {

    /** An event of a record that is not a container instance. */
    public FeedEvent(EcsKey key, boolean deleted, KeyValue kv, long revision, Optional<TaskSummary> task,
                     Optional<String> previousInstance) {
        this(key, deleted, kv, revision, task, previousInstance, Optional.empty());
    }

    public String storeKey() {
        return kv.key();
    }
}
