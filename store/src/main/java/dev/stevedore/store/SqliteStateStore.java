package dev.stevedore.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The embedded durable {@link StateStore}: one SQLite file in WAL mode, fsynced on every commit,
 * with reads served from an in-memory copy of the live keys loaded on open.
 *
 * <p>Commits go through one writer thread that groups whatever is queued into a single SQLite
 * transaction and a single fsync, so many concurrent callers share the cost of one sync. A
 * commit that returned is on disk and survives a crash of the process or the machine. The file
 * is locked while open; a second store (in this or another process) on the same file is refused.
 * History is kept for {@link StoreOptions#retainedRevisions()} revisions so that watches can
 * replay it, also after a restart.
 */
public final class SqliteStateStore implements StateStore {

    private final Path file;
    private final StoreCore core;

    private SqliteStateStore(Path file, StoreCore core) {
        this.file = file;
        this.core = core;
    }

    /** Opens the store in {@code file}, creating it (and its directory) if absent, with default options. */
    public static SqliteStateStore open(Path file) {
        return open(file, StoreOptions.defaults());
    }

    /**
     * Opens the store in {@code file}, creating it (and its directory) if absent.
     *
     * @throws IncompatibleStoreException if the file was written by a newer schema or is not a store
     * @throws StoreException if the file is in use or cannot be read
     */
    public static SqliteStateStore open(Path file, StoreOptions options) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new StoreException("cannot create directory " + parent, e);
        }
        SqliteJournal journal = SqliteJournal.open(file);
        try {
            SqliteJournal.Contents contents = journal.load();
            StoreCore core = new StoreCore(journal, contents.keys(), contents.revision(), contents.compactedRevision(),
                    options, Optional.of("stevedore-store-writer " + file.getFileName()));
            return new SqliteStateStore(file, core);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** History up to and including this revision has been discarded; watches must start at or after it. */
    public long compactedRevision() {
        return core.compactedRevision();
    }

    @Override
    public Optional<KeyValue> get(String key) {
        return core.get(key);
    }

    @Override
    public List<KeyValue> range(String prefix) {
        return core.range(prefix);
    }

    @Override
    public List<KeyValue> range(String prefix, String startAfter, int limit) {
        return core.range(prefix, startAfter, limit);
    }

    @Override
    public RangeResult rangeWithRevision(String prefix) {
        return core.rangeWithRevision(prefix);
    }

    @Override
    public long currentRevision() {
        return core.currentRevision();
    }

    @Override
    public TxnResult commit(Txn txn) {
        return core.commit(txn);
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        return core.watch(prefix, fromRevision, listener);
    }

    @Override
    public void close() {
        core.close();
    }
}
