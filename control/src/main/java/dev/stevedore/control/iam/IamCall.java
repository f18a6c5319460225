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

    /** The name of the IAM user making the call, when the caller is one (not root, not a role session). */
    public static Optional<String> callingUser(CallContext ctx) {
        return IamArns.parse(ctx.principal().arn())
                .filter(a -> a.kind().equals("user"))
                .map(IamArns.Parsed::name);
    }
}
