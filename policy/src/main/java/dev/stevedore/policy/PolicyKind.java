package dev.stevedore.policy;

/** Which kind of document a policy is; IAM checks each kind's grammar a little differently. */
public enum PolicyKind {
    /** Attached to a user, group or role (managed or inline): no Principal, Resource required, Version 2012-10-17. */
    IDENTITY,
    /** Passed to AssumeRole to narrow a session: the same grammar as an identity policy. */
    SESSION,
    /** A role's trust policy: Principal required, no Resource, only sts actions that assume a role. */
    TRUST,
    /** A resource-based policy of another kind (a repository's, a secret's): Principal and Resource required. */
    RESOURCE
}
