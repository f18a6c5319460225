package dev.stevedore.control.efs;

import dev.stevedore.control.runtime.WorkQueue;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.RangeResult;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.Watch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Makes each file system's volume match its record, level-triggered: a file system {@code creating}
 * or {@code available} has a started volume (and is made {@code available} once it has), one
 * {@code deleting} has none (and its record and creation token go once the volume is gone). A
 * running volume's size is metered every {@code meterEvery} and written when it changed. At start,
 * volumes no file system record names (a crash between making a volume and a delete landing) are
 * removed, so no volume outlives its file system.
 *
 * <p>Runs where the volumes are managed from: for now the server's own machine, which {@code up}
 * makes the one storage host.
 */
public final class VolumeController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeController.class);

    private final StateStore store;
    private final Volumes volumes;
    private final Clock clock;
    private final Duration meterEvery;
    private final WorkQueue<EfsScope.FileSystemKey> queue;
    private Watch watch;

    public VolumeController(StateStore store, Volumes volumes, Clock clock, Duration meterEvery) {
        this.store = store;
        this.volumes = volumes;
        this.clock = clock;
        this.meterEvery = meterEvery;
        this.queue = new WorkQueue<>("efs-volumes", 2, this::reconcile);
    }

    /** Looks at every file system now and at each change from here on; removes orphaned volumes first. */
    public void start() {
        RangeResult all = store.rangeWithRevision(EfsScope.root());
        Set<String> named = new HashSet<>();
        for (KeyValue kv : all.kvs()) {
            EfsScope.fileSystemKey(kv.key()).ifPresent(key -> {
                named.add(key.fileSystemId());
                queue.add(key);
            });
        }
        removeOrphans(named);
        // Agents are told where to mount from when their tasks are sent; this host serves every volume.
        StoreTx.run(store, tx -> {
            tx.put(TaskFileSystems.storageHostKey(), new TaskFileSystems.StorageHost(volumes.server()));
            return null;
        });
        watch = store.watch(EfsScope.root(), all.revision(), events -> events.forEach(e ->
                EfsScope.fileSystemKey(e.kv().key()).ifPresent(queue::add)));
    }

    // A storage host that cannot be reached (Gluster not installed, not root) must not stop the server
    // from starting: file systems then stay creating, and their passes retry and log why.
    private void removeOrphans(Set<String> named) {
        try {
            for (String orphan : volumes.names()) {
                if (!named.contains(orphan)) {
                    LOG.info("removing volume {}: no file system names it", orphan);
                    volumes.remove(orphan);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot look for orphaned file system volumes: {}", e.getMessage());
        }
    }

    Optional<Duration> reconcile(EfsScope.FileSystemKey key) {
        EfsScope scope = key.scope();
        String id = key.fileSystemId();
        Optional<StoredFileSystem> fs = new FileSystemStore(store, scope).find(id);
        if (fs.isEmpty()) {
            volumes.remove(id);
            return Optional.empty();
        }
        if (StoredFileSystem.DELETING.equals(fs.get().lifeCycleState())) {
            volumes.remove(id);
            StoreTx.run(store, tx -> {
                tx.read(scope.fileSystem(id), StoredFileSystem.class).ifPresent(current -> {
                    tx.delete(scope.fileSystem(id));
                    tx.delete(scope.creationToken(current.creationToken()));
                });
                return null;
            });
            return Optional.empty();
        }
        volumes.ensureStarted(id);
        long used = StoredFileSystem.EMPTY_SIZE + volumes.usedBytes(id);
        Instant now = clock.instant();
        StoreTx.run(store, tx -> {
            tx.read(scope.fileSystem(id), StoredFileSystem.class)
                    .filter(current -> !StoredFileSystem.DELETING.equals(current.lifeCycleState()))
                    .ifPresent(current -> {
                        StoredFileSystem next = current.withState(StoredFileSystem.AVAILABLE);
                        if (current.sizeInBytes() != used) {
                            next = next.withSize(used, now);
                        }
                        if (!next.equals(current)) {
                            tx.put(scope.fileSystem(id), next);
                        }
                    });
            return null;
        });
        return Optional.of(meterEvery);
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        queue.close();
    }
}
