package dev.stevedore.awsproto;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The handler of one operation of an awsJson, EC2 or Query (IAM, STS) service.
 *
 * <p>The input is a JSON tree whatever the wire format: for awsJson the request body, for EC2 and Query the form
 * parameters read into a tree keyed by member names ({@link ServiceSpec#memberKey}). The output is
 * written back in the endpoint's format (JSON, or EC2 or Query XML by walking the output shape).
 *
 * <p>The input has already been checked against the operation's input shape (required members,
 * types, lengths, ranges, enums, patterns) and explicit JSON {@code null} members have been removed.
 * The handler returns the output as a record, POJO, map or {@link com.fasterxml.jackson.databind.JsonNode},
 * serialized with {@link AwsJson#mapper()}; {@code null} stands for an empty output. It reports
 * errors by throwing {@link AwsException}; anything else it throws becomes a 500 ({@code ServerException}
 * in awsJson, {@code InternalError} in EC2, {@code InternalFailure} in Query).
 */
@FunctionalInterface
public interface JsonOperation {
    Object handle(CallContext ctx, ObjectNode input);
}
