package dev.stevedore.control.efs;

import java.util.Set;

/**
 * The storage hosts' side of file systems: one replicated volume per file system, named by the file
 * system's id. Every method is idempotent, since the controller calling them may run a step twice.
 * Implemented over the {@code gluster} command line by the server ({@code server.efs.GlusterVolumes}).
 */
public interface Volumes {

    /** Makes the volume exist and run; on a failure, nothing of a volume it had to create is left. */
    void ensureStarted(String name);

    /** Stops and deletes the volume and its bricks' data, if there is one. */
    void remove(String name);

    /** The volumes that exist, of those this interface makes (others on the hosts are not its to see). */
    Set<String> names();

    /** The host clients mount the volumes from: an address their FUSE client reaches (not a loopback one). */
    String server();

    /** The bytes of data the volume holds, as one replica stores them. */
    long usedBytes(String name);
}
