package dev.stevedore.awsproto;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A {@link ValidationPolicy} with the message format of the AWS service framework ("Coral"): all
 * constraint violations in one 400 error whose message is {@code N validation error(s) detected: }
 * followed by each violation's sentence, separated by {@code "; "}.
 *
 * @param constraintCode the error code for constraint violations
 * @param malformedCode  the error code for unreadable or mistyped input
 */
public record CoralValidationPolicy(String constraintCode, String malformedCode) implements ValidationPolicy {

    public CoralValidationPolicy {
        Objects.requireNonNull(constraintCode, "constraintCode");
        Objects.requireNonNull(malformedCode, "malformedCode");
    }

    @Override
    public AwsException constraintViolations(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("no violations to report");
        }
        String count = violations.size() == 1 ? "1 validation error detected: "
                : violations.size() + " validation errors detected: ";
        return AwsException.clientError(constraintCode,
                count + violations.stream().map(Violation::message).collect(Collectors.joining("; ")));
    }

    @Override
    public AwsException malformedInput(String message) {
        return AwsException.clientError(malformedCode, message);
    }
}
