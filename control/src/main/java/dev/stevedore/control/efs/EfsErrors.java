package dev.stevedore.control.efs;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.ServiceSpec;

import java.util.Map;

/** The errors EFS answers with: its modelled codes and statuses, in its words. */
final class EfsErrors {
    static final ServiceSpec SPEC = ServiceSpec.load(EfsApi.SPEC_NAME);

    private EfsErrors() {
    }

    static AwsException badRequest(String message) {
        return SPEC.error("BadRequest", message);
    }

    static AwsException fileSystemNotFound(String id) {
        return SPEC.error("FileSystemNotFound", "File system '" + id + "' does not exist.");
    }

    static AwsException fileSystemAlreadyExists(String id, String token) {
        AwsException base = SPEC.error("FileSystemAlreadyExists",
                "File system '" + id + "' already exists with creation token '" + token + "'");
        return new AwsException(base.code(), base.status(), base.getMessage(), Map.of("FileSystemId", id));
    }

    static AwsException fileSystemInUse(String id) {
        return SPEC.error("FileSystemInUse", "The file system '" + id + "' cannot be deleted because it has mount "
                + "targets. You must delete the mount targets, and then try again.");
    }

    static AwsException incorrectLifeCycleState(String id, String state) {
        return SPEC.error("IncorrectFileSystemLifeCycleState",
                "File system '" + id + "' is in the '" + state + "' state, not 'available'.");
    }

    static AwsException mountTargetNotFound(String id) {
        return SPEC.error("MountTargetNotFound", "Mount target '" + id + "' does not exist.");
    }

    static AwsException mountTargetConflict(String message) {
        return SPEC.error("MountTargetConflict", message);
    }

    static AwsException accessPointNotFound(String id) {
        return SPEC.error("AccessPointNotFound", "Access point '" + id + "' does not exist.");
    }

    static AwsException accessPointAlreadyExists(String id, String token) {
        AwsException base = SPEC.error("AccessPointAlreadyExists",
                "Access point '" + id + "' already exists with client token '" + token + "'");
        return new AwsException(base.code(), base.status(), base.getMessage(), Map.of("AccessPointId", id));
    }

    static AwsException policyNotFound(String id) {
        return SPEC.error("PolicyNotFound", "File system '" + id + "' does not have a file system policy.");
    }
}
