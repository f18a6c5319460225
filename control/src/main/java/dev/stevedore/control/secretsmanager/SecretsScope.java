package dev.stevedore.control.secretsmanager;

import dev.stevedore.awsproto.CallContext;

/** The account and Region a Secrets Manager call runs in: the prefix of its store keys and secret ARNs. */
record SecretsScope(String accountId, String region) {

    static SecretsScope of(CallContext ctx) {
        return new SecretsScope(ctx.principal().accountId(), ctx.region());
    }

    /** {@code arn:aws:secretsmanager:REGION:ACCOUNT:secret:}, what every secret ARN here starts with. */
    String arnPrefix() {
        return "arn:aws:secretsmanager:" + region + ":" + accountId + ":secret:";
    }

    /** Every secret of the scope lives under this prefix. */
    String secretsPrefix() {
        return "/secretsmanager/" + accountId + "/" + region + "/secrets/";
    }

    String secretKey(String name) {
        return secretsPrefix() + name;
    }
}
