package dev.stevedore.control.logs;

import dev.stevedore.awsproto.CallContext;

/** The account and Region a CloudWatch Logs call runs in: each is a namespace of log groups of its own. */
public record LogsScope(String accountId, String region) {

    public static LogsScope of(CallContext ctx) {
        return new LogsScope(ctx.principal().accountId(), ctx.region());
    }

    /** {@code arn:aws:logs:REGION:ACCOUNT:log-group:NAME}, the group's ARN as policies and TagResource name it. */
    public String groupArn(String groupName) {
        return "arn:aws:logs:" + region + ":" + accountId + ":log-group:" + groupName;
    }

    public String streamArn(String groupName, String streamName) {
        return groupArn(groupName) + ":log-stream:" + streamName;
    }
}
