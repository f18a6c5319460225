package dev.stevedore.control.efs;

import dev.stevedore.control.state.Records;
import dev.stevedore.store.KeyValue;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.store.StateStore;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads of one scope's EFS records outside a transaction (the Describe calls). */
final class FileSystemStore {
    private final StateStore store;
    private final EfsScope scope;

    FileSystemStore(StateStore store, EfsScope scope) {
        this.store = store;
        this.scope = scope;
    }

    Optional<StoredFileSystem> find(String id) {
        return store.get(scope.fileSystem(id)).map(KeyValue::value).map(v -> Records.decode(v, StoredFileSystem.class));
    }

    List<StoredFileSystem> all() {
        return all(scope.fileSystems(), StoredFileSystem.class);
    }

    List<StoredMountTarget> mountTargets() {
        return all(scope.mountTargets(), StoredMountTarget.class);
    }

    List<StoredAccessPoint> accessPoints() {
        return all(scope.accessPoints(), StoredAccessPoint.class);
    }

    private <T> List<T> all(String prefix, Class<T> type) {
        return store.range(prefix).stream().map(kv -> Records.decode(kv.value(), type)).toList();
    }

    Map<String, Integer> mountTargetCounts() {
        Map<String, Integer> counts = new HashMap<>();
        mountTargets().forEach(mt -> counts.merge(mt.fileSystemId(), 1, Integer::sum));
        return counts;
    }

    /** The file system within a transaction, which must exist. */
    static StoredFileSystem existing(StoreTx tx, EfsScope scope, String id) {
        return tx.read(scope.fileSystem(id), StoredFileSystem.class).orElseThrow(() -> EfsErrors.fileSystemNotFound(id));
    }

    /** The file system within a transaction, which must exist and be available. */
    static StoredFileSystem available(StoreTx tx, EfsScope scope, String id) {
        StoredFileSystem fs = existing(tx, scope, id);
        if (!StoredFileSystem.AVAILABLE.equals(fs.lifeCycleState())) {
            throw EfsErrors.incorrectLifeCycleState(id, fs.lifeCycleState());
        }
        return fs;
    }
}
