package dev.stevedore.control.iam;

import dev.stevedore.awsproto.AwsException;

/** The two kinds of IAM identity that hold policies here, and what differs between them. */
public enum EntityKind {
    USER("user", "User", PolicyText.USER_INLINE_LIMIT, "PoliciesPerUser", "TagsPerUser"),
    ROLE("role", "Role", PolicyText.ROLE_INLINE_LIMIT, "PoliciesPerRole", "TagsPerRole");

    /** Managed policies one user or role may have attached. */
    public static final int ATTACHED_LIMIT = 10;
    public static final int TAG_LIMIT = 50;

    /** The word in ARNs and messages ({@code user}, {@code role}). */
    public final String noun;
    /** The name in ListEntitiesForPolicy's EntityFilter and in attachment records ({@code User}, {@code Role}). */
    public final String entityType;
    public final int inlineLimit;
    public final String attachedQuota;
    public final String tagQuota;

    EntityKind(String noun, String entityType, int inlineLimit, String attachedQuota, String tagQuota) {
        this.noun = noun;
        this.entityType = entityType;
        this.inlineLimit = inlineLimit;
        this.attachedQuota = attachedQuota;
        this.tagQuota = tagQuota;
    }

    public String key(String account, String name) {
        return this == USER ? IamKeys.user(account, name) : IamKeys.role(account, name);
    }

    public Class<? extends IamEntity> recordType() {
        return this == USER ? dev.stevedore.control.iam.user.UserRecord.class : dev.stevedore.control.iam.role.RoleRecord.class;
    }

    public AwsException notFound(String name) {
        return this == USER ? IamErrors.noSuchUser(name) : IamErrors.noSuchRole(name);
    }

    /** An inline policy of this entity that is not there. */
    public AwsException noSuchInlinePolicy(String policyName) {
        return IamErrors.noSuchEntity("The " + noun + " policy with name " + policyName + " cannot be found.");
    }
}
