package dev.stevedore.control.iam.instanceprofile;

import dev.stevedore.control.iam.IamArns;
import dev.stevedore.control.iam.IamIds;
import dev.stevedore.model.iam.InstanceProfile;
import dev.stevedore.model.iam.Tag;

import java.time.Instant;
import java.util.List;

/** How a new instance profile looks. */
public final class InstanceProfiles {
    /** Roles one instance profile may hold. */
    public static final int ROLES_PER_PROFILE = 1;

    private InstanceProfiles() {
    }

    public static InstanceProfileRecord newProfile(String account, String name, String path, List<Tag> tags, Instant now) {
        InstanceProfile profile = InstanceProfile.builder()
                .instanceProfileName(name)
                .instanceProfileId(IamIds.uniqueId(IamIds.INSTANCE_PROFILE))
                .path(path)
                .arn(IamArns.of(account, "instance-profile", path, name))
                .createDate(now)
                .tags(tags == null || tags.isEmpty() ? null : List.copyOf(tags))
                .build();
        return new InstanceProfileRecord(profile, List.of());
    }
}
