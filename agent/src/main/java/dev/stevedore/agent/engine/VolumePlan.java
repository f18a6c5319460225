package dev.stevedore.agent.engine;

import dev.stevedore.agent.runtime.VolumeSpec;
import dev.stevedore.model.agent.EfsVolumeAssignment;
import java.util.Objects;

/** Where a task volume's content lives on this host. */
sealed interface VolumePlan {

    /** A host directory ({@code host.sourcePath}), bind-mounted. */
    record HostPath(String path) implements VolumePlan {
        public HostPath {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * A Docker volume that lives and dies with the task: a task-scoped
     * {@code dockerVolumeConfiguration}, or a volume with no source, which ECS gives a
     * Docker-managed directory. Its name is derived from the task so that it is found again
     * after an agent restart.
     */
    record TaskScoped(VolumeSpec spec) implements VolumePlan {
        public TaskScoped {
            Objects.requireNonNull(spec, "spec");
        }
    }

    /**
     * An EFS volume: its file system's Gluster volume mounted on the host ({@link dev.stevedore.agent.efs.EfsMounts})
     * and the directory the control plane resolved bound into the containers.
     */
    record Efs(EfsVolumeAssignment volume) implements VolumePlan {
        public Efs {
            Objects.requireNonNull(volume, "volume");
        }
    }

    /** A Docker volume that outlives tasks, created when absent only if {@code autoprovision} is set. */
    record Shared(VolumeSpec spec, boolean autoprovision) implements VolumePlan {
        public Shared {
            Objects.requireNonNull(spec, "spec");
        }
    }
}
