package dev.stevedore.policy;

/** Which kind of document a policy is; IAM checks each kind's grammar a little differently. */
public enum PolicyKind {
    /**
     * An inline policy of a user, group or role: no Principal, Resource required. Without a Version it
     * is read as 2008-10-17 (no policy variables).
     */
    IDENTITY,
    /** A managed policy's version: an identity policy that must also say Version 2012-10-17. */
    MANAGED,
    /** Passed to AssumeRole (or GetFederationToken) to narrow a session: the grammar of an inline identity policy. */
    SESSION,
    /** A role's trust policy: Principal required, no Resource, only sts actions that assume a role. */
    TRUST,
    /** A resource-based policy of another kind (a repository's, a secret's): Principal and Resource required. */
    RESOURCE
}
