package dev.stevedore.policy;

/** The kinds of policy a request is evaluated against, as AWS names them in its access denied messages. */
public enum PolicyType {
    IDENTITY_BASED("an identity-based policy", "identity-based policy"),
    RESOURCE_BASED("a resource-based policy", "resource-based policy"),
    PERMISSIONS_BOUNDARY("a permissions boundary", "permissions boundary"),
    SESSION("a session policy", "session policy");

    private final String withArticle;
    private final String bare;

    PolicyType(String withArticle, String bare) {
        this.withArticle = withArticle;
        this.bare = bare;
    }

    /** "an identity-based policy", as in "with an explicit deny in an identity-based policy". */
    public String withArticle() {
        return withArticle;
    }

    /** "identity-based policy", as in "because no identity-based policy allows the ecs:RunTask action". */
    public String bare() {
        return bare;
    }
}
