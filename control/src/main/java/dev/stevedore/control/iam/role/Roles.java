package dev.stevedore.control.iam.role;

import dev.stevedore.control.iam.IamArns;
import dev.stevedore.control.iam.IamIds;
import dev.stevedore.model.iam.Role;
import dev.stevedore.model.iam.Tag;

import java.time.Instant;
import java.util.List;

/** How a new role looks. */
public final class Roles {
    /** A role's MaxSessionDuration unless it says otherwise: one hour. */
    public static final int DEFAULT_MAX_SESSION_SECONDS = 3600;

    private Roles() {
    }

    public static RoleRecord newRole(String account, String name, String path, String trustPolicy, String description,
                                     Integer maxSessionDuration, List<Tag> tags, Instant now) {
        Role role = Role.builder()
                .roleName(name)
                .path(path)
                .roleId(IamIds.uniqueId(IamIds.ROLE))
                .arn(IamArns.of(account, "role", path, name))
                .createDate(now)
                .assumeRolePolicyDocument(trustPolicy)
                .description(description)
                .maxSessionDuration(maxSessionDuration == null ? DEFAULT_MAX_SESSION_SECONDS : maxSessionDuration)
                .tags(tags == null || tags.isEmpty() ? null : List.copyOf(tags))
                .build();
        return new RoleRecord(role, null, null);
    }
}
