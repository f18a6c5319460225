package dev.stevedore.agent.engine;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task state files under {@code <data dir>/tasks}: one small JSON file per task, replaced
 * atomically and synced to disk on every save (a supervisor saves where crash safety needs it,
 * not on every change), so that after a crash at any moment each file holds either the previous or
 * the new state.
 */
final class TaskStateStore {

    private static final Logger log = LoggerFactory.getLogger(TaskStateStore.class);
    private static final String SUFFIX = ".json";
    /** Names an unreadable state file set aside; followed by the time it was found, in ms since the epoch. */
    static final String UNREADABLE = ".unreadable-";
    /** What may not appear in a state file's name; compiled once, since every save names its file. */
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_.-]");

    private final Path dir;

    TaskStateStore(Path dataDir) {
        this.dir = dataDir.resolve("tasks");
    }

    void init() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the task state directory " + dir, e);
        }
    }

    void save(TaskRecord record) {
        Path target = file(record.taskArn());
        Path temp = dir.resolve(target.getFileName() + ".tmp");
        byte[] bytes = TaskStateCodec.encode(record);
        try {
            // A FileOutputStream rather than a channel: closing the engine interrupts supervisors,
            // and an interrupted channel write would lose the state it was saving.
            try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
                out.write(bytes);
                out.getFD().sync();
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the state of " + record.taskArn(), e);
        }
    }

    /**
     * Every readable state file. An unreadable one (truncated, corrupt, of an unknown format) is
     * set aside under a name the next load skips ({@code <file>.unreadable-<millis>}), so that the
     * operator finds it and the task's next save does not overwrite it; the task is rebuilt from
     * its containers' labels and the control plane's desired state (see {@link Adoption}).
     */
    List<TaskRecord> loadAll() {
        List<TaskRecord> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                try {
                    out.add(TaskStateCodec.decode(Files.readAllBytes(f)));
                } catch (IOException | IllegalArgumentException e) {
                    setAside(f, e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    private void setAside(Path file, Exception why) {
        Path aside = file.resolveSibling(file.getFileName() + UNREADABLE + System.currentTimeMillis());
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory();
            log.error("task state file {} is unreadable ({}); kept as {} and left out: the task is rebuilt from its"
                    + " containers' labels and the control plane's desired state", file, why.getMessage(), aside);
        } catch (IOException e) {
            log.error("task state file {} is unreadable ({}) and cannot be set aside ({}); left out", file,
                    why.getMessage(), e.toString());
        }
    }

    void delete(String taskArn) {
        try {
            Files.deleteIfExists(file(taskArn));
            syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the state of " + taskArn, e);
        }
    }

    Path file(String taskArn) {
        String id = taskArn.substring(taskArn.lastIndexOf('/') + 1);
        // Task ids are hex; anything else (a test's ARN, say) is made safe for a file name.
        String safe = UNSAFE.matcher(id).replaceAll("_");
        if (safe.isEmpty() || safe.startsWith(".")) {
            safe = "task-" + Integer.toHexString(taskArn.hashCode());
        }
        return dir.resolve(safe + SUFFIX);
    }

    /** Makes the rename itself durable. */
    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename is then as durable as they make it.
            log.debug("cannot sync {}: {}", dir, e.toString());
        }
    }
}
