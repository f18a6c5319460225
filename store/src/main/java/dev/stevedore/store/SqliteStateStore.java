package dev.stevedore.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
public final class SqliteStateStore extends CoreBackedStateStore {

    private final Path file;

    private SqliteStateStore(Path file, StoreCore core) {
        super(core);
        this.file = file;
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
        return open(file, options, StoreObserver.NONE);
    }

    /**
     * Opens the store in {@code file}, creating it (and its directory) if absent, telling
     * {@code observer} of every commit and every batch written.
     *
     * @throws IncompatibleStoreException if the file was written by a newer schema or is not a store
     * @throws StoreException if the file is in use or cannot be read
     */
    public static SqliteStateStore open(Path file, StoreOptions options, StoreObserver observer) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new StoreException("cannot create directory " + parent, e);
        }
        SqliteJournal journal = SqliteJournal.open(file);
        try {
            Journal.Contents contents = journal.load();
            StoreCore core = new StoreCore(journal, contents.keys(), contents.revision(), contents.compactedRevision(),
                    options, Optional.of("stevedore-store-writer " + file.getFileName()), observer);
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
}
