package dev.stevedore.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * A small ext4 file system in an image file, mounted through a loop device (needs root), with part
 * of it taken by a ballast file, so that a test can fill the rest and then give space back. For the
 * store's tests and the end-to-end ones (published in the test-jar).
 */
public final class LoopFileSystem implements AutoCloseable {

    private final Path image;
    private final Path mountPoint;
    private final Path ballast;

    private LoopFileSystem(Path image, Path mountPoint, Path ballast) {
        this.image = image;
        this.mountPoint = mountPoint;
        this.ballast = ballast;
    }

    /**
     * Makes a file system of {@code sizeMiB} in {@code dir} and mounts it at {@code dir/mnt}, with
     * {@code ballastMiB} of it taken.
     */
    public static LoopFileSystem mount(Path dir, int sizeMiB, int ballastMiB) throws IOException, InterruptedException {
        Path image = dir.resolve("fs.img");
        Path mountPoint = Files.createDirectories(dir.resolve("mnt"));
        run("truncate", "-s", sizeMiB + "M", image.toString());
        run("mkfs.ext4", "-q", image.toString());
        run("mount", "-o", "loop", image.toString(), mountPoint.toString());
        Path ballast = mountPoint.resolve("ballast");
        Files.write(ballast, new byte[ballastMiB * 1024 * 1024]);
        run("sync");
        return new LoopFileSystem(image, mountPoint, ballast);
    }

    /** Where the file system is mounted. */
    public Path root() {
        return mountPoint;
    }

    /** Deletes the ballast: its space is free again. */
    public void freeBallast() throws IOException {
        Files.delete(ballast);
    }

    /** What SQLite's {@code PRAGMA integrity_check} says of a database file ("ok" when intact). */
    public static String integrityCheck(Path database) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
            r.next();
            return r.getString(1);
        }
    }

    /** Unmounts it and deletes the image. */
    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", mountPoint.toString());
        Files.delete(mountPoint);
        Files.delete(image);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }
}
