package dev.stevedore.control.ecs;

import dev.stevedore.awsproto.CallContext;

/**
 * The account and Region a call acts in; every key, ARN and listing is scoped by it.
 */
public record EcsScope(String accountId, String region) {

    public static EcsScope of(CallContext ctx) {
        return new EcsScope(ctx.principal().accountId(), ctx.region());
    }

    public String arnPrefix() {
        return "arn:aws:ecs:" + region + ":" + accountId + ":";
    }

    public String keyPrefix() {
        return "/ecs/" + accountId + "/" + region + "/";
    }
}
