package dev.stevedore.control.iam.user;

import dev.stevedore.control.iam.EntityKind;
import dev.stevedore.control.iam.Grants;
import dev.stevedore.control.iam.IamEntity;
import dev.stevedore.model.iam.AttachedPermissionsBoundary;
import dev.stevedore.model.iam.Tag;
import dev.stevedore.model.iam.User;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A user as stored: the wire {@code User} (tags inside it), its policies and the ids of its access
 * keys (the keys themselves live under their own ids, where the signature verifier finds them).
 */
public record UserRecord(User user, Grants grants, List<String> accessKeyIds) implements IamEntity {
    public UserRecord {
        grants = grants == null ? Grants.NONE : grants;
        accessKeyIds = accessKeyIds == null ? List.of() : List.copyOf(accessKeyIds);
    }

    @Override
    public EntityKind kind() {
        return EntityKind.USER;
    }

    @Override
    public String name() {
        return user.userName();
    }

    @Override
    public String id() {
        return user.userId();
    }

    @Override
    public String arn() {
        return user.arn();
    }

    @Override
    public String path() {
        return user.path();
    }

    @Override
    public List<Tag> tagList() {
        return Optional.ofNullable(user.tags()).orElse(List.of());
    }

    @Override
    public AttachedPermissionsBoundary boundary() {
        return user.permissionsBoundary();
    }

    @Override
    public UserRecord withGrants(Grants next) {
        return new UserRecord(user, next, accessKeyIds);
    }

    @Override
    public UserRecord withTags(List<Tag> tags) {
        return new UserRecord(user.toBuilder().tags(tags.isEmpty() ? null : List.copyOf(tags)).build(), grants, accessKeyIds);
    }

    public UserRecord withAccessKey(String accessKeyId) {
        List<String> next = new ArrayList<>(accessKeyIds);
        next.add(accessKeyId);
        return new UserRecord(user, grants, next);
    }

    public UserRecord withoutAccessKey(String accessKeyId) {
        List<String> next = new ArrayList<>(accessKeyIds);
        next.remove(accessKeyId);
        return new UserRecord(user, grants, next);
    }

    UserRecord withUser(User next) {
        return new UserRecord(next, grants, accessKeyIds);
    }
}
