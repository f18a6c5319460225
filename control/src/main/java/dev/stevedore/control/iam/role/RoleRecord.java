package dev.stevedore.control.iam.role;

import dev.stevedore.control.iam.EntityKind;
import dev.stevedore.control.iam.Grants;
import dev.stevedore.control.iam.IamEntity;
import dev.stevedore.control.iam.PolicyText;
import dev.stevedore.model.iam.AttachedPermissionsBoundary;
import dev.stevedore.model.iam.Role;
import dev.stevedore.model.iam.RoleLastUsed;
import dev.stevedore.model.iam.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A role as stored: the wire {@code Role} (its trust policy as given, not encoded; tags inside it),
 * its policies and the names of the instance profiles it is in (so DeleteRole decides on this
 * record alone; AddRoleToInstanceProfile writes both records).
 */
public record RoleRecord(Role role, Grants grants, List<String> instanceProfiles) implements IamEntity {
    public RoleRecord {
        grants = grants == null ? Grants.NONE : grants;
        instanceProfiles = instanceProfiles == null ? List.of() : List.copyOf(instanceProfiles);
    }

    @Override
    public EntityKind kind() {
        return EntityKind.ROLE;
    }

    @Override
    public String name() {
        return role.roleName();
    }

    @Override
    public String id() {
        return role.roleId();
    }

    @Override
    public String arn() {
        return role.arn();
    }

    @Override
    public String path() {
        return role.path();
    }

    @Override
    public List<Tag> tagList() {
        return Optional.ofNullable(role.tags()).orElse(List.of());
    }

    @Override
    public AttachedPermissionsBoundary boundary() {
        return role.permissionsBoundary();
    }

    @Override
    public RoleRecord withGrants(Grants next) {
        return new RoleRecord(role, next, instanceProfiles);
    }

    @Override
    public RoleRecord withTags(List<Tag> tags) {
        return withRole(role.toBuilder().tags(tags.isEmpty() ? null : List.copyOf(tags)).build());
    }

    public RoleRecord withRole(Role next) {
        return new RoleRecord(next, grants, instanceProfiles);
    }

    public RoleRecord withInstanceProfile(String name) {
        List<String> next = new ArrayList<>(instanceProfiles);
        next.add(name);
        return new RoleRecord(role, grants, next);
    }

    public RoleRecord withoutInstanceProfile(String name) {
        List<String> next = new ArrayList<>(instanceProfiles);
        next.removeIf(n -> n.equalsIgnoreCase(name));
        return new RoleRecord(role, grants, next);
    }

    /** The role as GetRole answers it: trust policy URL-encoded, RoleLastUsed present (empty: use is not tracked). */
    public Role answered() {
        return role.toBuilder()
                .assumeRolePolicyDocument(PolicyText.encoded(role.assumeRolePolicyDocument()))
                .roleLastUsed(new RoleLastUsed(null, null))
                .build();
    }

    /** The role as lists answer it: without tags and RoleLastUsed, as IAM's ListRoles. */
    public Role listed() {
        return role.toBuilder()
                .assumeRolePolicyDocument(PolicyText.encoded(role.assumeRolePolicyDocument()))
                .tags(null)
                .build();
    }
}
