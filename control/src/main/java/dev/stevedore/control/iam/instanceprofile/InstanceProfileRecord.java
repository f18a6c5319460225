package dev.stevedore.control.iam.instanceprofile;

import dev.stevedore.model.iam.InstanceProfile;

import java.util.List;

/**
 * An instance profile as stored: the wire {@code InstanceProfile} without its roles, and the names
 * of its roles (at most one); the roles are read when it is answered.
 */
public record InstanceProfileRecord(InstanceProfile profile, List<String> roleNames) {
    public InstanceProfileRecord {
        roleNames = roleNames == null ? List.of() : List.copyOf(roleNames);
    }

    public String name() {
        return profile.instanceProfileName();
    }

    public InstanceProfileRecord withRoles(List<String> names) {
        return new InstanceProfileRecord(profile, names);
    }
}
