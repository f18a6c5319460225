package dev.stevedore.agent.runtime;

import java.util.Objects;

/**
 * Something mounted into the container at {@code containerPath}: a host directory or a Docker
 * named volume.
 *
 * @param source an absolute host path for {@link Kind#BIND}, a volume name for {@link Kind#VOLUME}
 */
public record MountPoint(Kind kind, String source, String containerPath, boolean readOnly) {

    /** Where the mounted content lives. */
    public enum Kind {
        /** A host path (ECS {@code host.sourcePath}). */
        BIND,
        /** A Docker named volume (ECS {@code dockerVolumeConfiguration}); created by the engine if absent. */
        VOLUME
    }

    public MountPoint {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(containerPath, "containerPath");
        if (!containerPath.startsWith("/")) {
            throw new IllegalArgumentException("containerPath must be absolute: " + containerPath);
        }
        switch (kind) {
            case BIND -> {
                if (!source.startsWith("/")) {
                    throw new IllegalArgumentException("bind source must be an absolute host path: " + source);
                }
            }
            case VOLUME -> {
                // The engine tells a volume from a host path by the leading slash, so a volume name
                // must never start with one.
                if (!source.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
                    throw new IllegalArgumentException("invalid volume name: " + source);
                }
            }
        }
    }

    public static MountPoint bind(String hostPath, String containerPath, boolean readOnly) {
        return new MountPoint(Kind.BIND, hostPath, containerPath, readOnly);
    }

    public static MountPoint volume(String volumeName, String containerPath, boolean readOnly) {
        return new MountPoint(Kind.VOLUME, volumeName, containerPath, readOnly);
    }
}
