package dev.stevedore.control.iam;

import dev.stevedore.awsproto.CallContext;

import java.util.Optional;

/** What the IAM operations take from the call: the account, and the calling user when it is one. */
public final class IamCall {
    private IamCall() {
    }

    public static String account(CallContext ctx) {
        return ctx.principal().accountId();
    }

    /** Whether the caller is the account's root user. */
    public static boolean isRoot(CallContext ctx) {
        return ctx.principal().arn().equals("arn:aws:iam::" + account(ctx) + ":root");
    }

    /**
     * The user a call without UserName is about: the calling user. IAM refuses such a call from a
     * role session; for the root user it is empty (the root user's own, which are not IAM's).
     */
    public static Optional<String> userOrCaller(CallContext ctx, String userName) {
        if (userName != null) {
            return Optional.of(userName);
        }
        Optional<String> caller = callingUser(ctx);
        if (caller.isEmpty() && !isRoot(ctx)) {
            throw IamErrors.validationError("Must specify userName when calling with non-User credentials");
        }
        return caller;
    }

    /** The name of the IAM user making the call, when the caller is one (not root, not a role session). */
    public static Optional<String> callingUser(CallContext ctx) {
        return IamArns.parse(ctx.principal().arn())
                .filter(a -> a.kind().equals("user"))
                .map(IamArns.Parsed::name);
    }
}
