package dev.stevedore.awsproto;

import java.util.List;

/**
 * How the Query services (IAM, STS) report requests that do not fit their model: 400
 * {@code ValidationError} with the AWS service framework's sentences, all violations in one message,
 * and members named with a lower-case first letter, e.g. "1 validation error detected: Value '…' at
 * 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64" (IAM's
 * answer in NixOS/nixops#328; "tags.6.member.value" in SWO-GS/auto-tag#90 shows the list elements).
 * A value that cannot be read as its type gets the same code, since the Query services model no other.
 */
public final class QueryValidationPolicy implements ValidationPolicy {

    static final QueryValidationPolicy INSTANCE = new QueryValidationPolicy();

    private static final CoralValidationPolicy MESSAGES = new CoralValidationPolicy("ValidationError", "ValidationError");

    private QueryValidationPolicy() {
    }

    @Override
    public AwsException constraintViolations(List<Violation> violations) {
        return MESSAGES.constraintViolations(violations);
    }

    @Override
    public AwsException malformedInput(String message) {
        return MESSAGES.malformedInput(message);
    }

    @Override
    public String memberPath(String structurePath, Member member) {
        String name = member.name().isEmpty() ? ""
                : Character.toLowerCase(member.name().charAt(0)) + member.name().substring(1);
        return structurePath.isEmpty() ? name : structurePath + "." + name;
    }
}
