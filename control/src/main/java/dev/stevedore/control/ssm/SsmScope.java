package dev.stevedore.control.ssm;

import dev.stevedore.awsproto.CallContext;

/** The account and Region a Parameter Store call acts in: parameters are per account and Region. */
record SsmScope(String accountId, String region) {

    static SsmScope of(CallContext ctx) {
        return new SsmScope(ctx.principal().accountId(), ctx.region());
    }

    String arnPrefix() {
        return "arn:aws:ssm:" + region + ":" + accountId + ":";
    }

    /** Every parameter of the scope lives under this prefix, keyed by its name as given. */
    String parametersPrefix() {
        return "/ssm/" + accountId + "/" + region + "/parameter:";
    }

    String key(String name) {
        return parametersPrefix() + name;
    }
}
