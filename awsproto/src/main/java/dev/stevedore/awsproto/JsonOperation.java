package dev.stevedore.awsproto;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The handler of one operation of an awsJson service.
 *
 * <p>The input has already been checked against the operation's input shape (required members,
 * types, lengths, ranges, enums, patterns) and explicit JSON {@code null} members have been removed.
 * The handler returns the output as a record, POJO, map or {@link com.fasterxml.jackson.databind.JsonNode},
 * serialized with {@link AwsJson#mapper()}; {@code null} stands for an empty output. It reports
 * errors by throwing {@link AwsException}; anything else it throws becomes a 500 {@code ServerException}.
 */
@FunctionalInterface
public interface JsonOperation {
    Object handle(CallContext ctx, ObjectNode input);
}
