package dev.stevedore.control.iam.policy;

import dev.stevedore.control.iam.EntityKind;
import dev.stevedore.control.iam.IamEntity;
import dev.stevedore.control.iam.IamErrors;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.iam.AttachedPermissionsBoundary;
import dev.stevedore.model.iam.PermissionsBoundaryAttachmentType;

/**
 * A user's or role's permissions boundary, given when it is created: the managed policy must exist,
 * and it counts the use (PermissionsBoundaryUsageCount; a policy in use cannot be deleted).
 */
public final class Boundaries {
    private Boundaries() {
    }

    /** Records {@code arn} as bounding the new entity and answers the entity's boundary member; null without one. */
    public static AttachedPermissionsBoundary attach(StoreTx tx, String account, String arn, EntityKind kind, String name, String id) {
        if (arn == null) {
            return null;
        }
        PolicyRecord policy = ManagedPolicies.find(tx, account, arn)
                .orElseThrow(() -> IamErrors.noSuchEntity("Scope ARN: " + arn + " does not exist or is not attachable."));
        ManagedPolicies.put(tx, account, policy.bounding(new EntityRef(kind, name, id)));
        return new AttachedPermissionsBoundary(arn, PermissionsBoundaryAttachmentType.PERMISSIONS_BOUNDARY_POLICY);
    }

    /** Before the entity is deleted: its boundary policy no longer counts it. */
    public static void detach(StoreTx tx, String account, IamEntity entity) {
        if (entity.boundary() == null) {
            return;
        }
        ManagedPolicies.find(tx, account, entity.boundary().permissionsBoundaryArn())
                .ifPresent(p -> ManagedPolicies.put(tx, account, p.notBounding(entity.kind(), entity.name())));
    }
}
