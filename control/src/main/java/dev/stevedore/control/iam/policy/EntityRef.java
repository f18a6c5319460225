package dev.stevedore.control.iam.policy;

import dev.stevedore.control.iam.EntityKind;

/** A user or role a managed policy is attached to (or is the permissions boundary of). */
public record EntityRef(EntityKind kind, String name, String id) {
    public boolean is(EntityKind k, String entityName) {
        return kind == k && name.equalsIgnoreCase(entityName);
    }
}
