package dev.stevedore.awsproto;

import java.util.List;
import java.util.Optional;

/**
 * How EC2 reports requests that do not fit its model. EC2 does not collect violations as the AWS
 * service framework does: it answers the first problem, as 400 {@code MissingParameter} for a required
 * parameter that is absent and 400 {@code InvalidParameterValue} for a value it cannot take, and it
 * names parameters by their request names ({@code Filter.1.Name}), not by member paths.
 *
 * <p>Wording, from EC2's answers: "The request must contain the parameter groupId" (ModifySecurityGroupRules
 * without {@code GroupId}, aws/aws-sdk-java-v2#5437), "Value ( 1 ) for parameter maxResults is invalid.
 * Expecting a value greater than 5." ({@code MaxResults=1}, aws/aws-sdk-ruby#2575), "Invalid value
 * 't3.nano' for InstanceType." (an unknown enum value, getmoto/moto#1695). The first two show EC2
 * writing the parameter with a lower-case first letter, so the missing and out-of-range messages do
 * too; the enum message keeps the name as sent. Messages for violations EC2 was not seen answering
 * (lengths, patterns, an upper bound) follow the range sentence; the EC2 model has almost none.
 */
public final class Ec2ValidationPolicy implements ValidationPolicy {

    static final Ec2ValidationPolicy INSTANCE = new Ec2ValidationPolicy();

    private Ec2ValidationPolicy() {
    }

    @Override
    public AwsException constraintViolations(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("no violations to report");
        }
        Optional<Violation> missing = violations.stream()
                .filter(v -> v.kind() == Violation.Kind.MISSING_REQUIRED).findFirst();
        if (missing.isPresent()) {
            return AwsException.clientError("MissingParameter",
                    "The request must contain the parameter " + lowerFirst(missing.get().path()));
        }
        Violation first = violations.get(0);
        String shown = first.value().map(v -> " " + v + " ").orElse(" ");
        String message = switch (first.kind()) {
            case NOT_IN_ENUM -> "Invalid value" + first.value().map(v -> " '" + v + "'").orElse("") + " for "
                    + first.path() + ".";
            case BELOW_MINIMUM -> "Value (" + shown + ") for parameter " + lowerFirst(first.path())
                    + " is invalid. Expecting a value greater than " + bound(first) + ".";
            case ABOVE_MAXIMUM -> "Value (" + shown + ") for parameter " + lowerFirst(first.path())
                    + " is invalid. Expecting a value less than " + bound(first) + ".";
            default -> "Value (" + shown + ") for parameter " + lowerFirst(first.path()) + " is invalid. "
                    + first.constraint() + ".";
        };
        return AwsException.clientError("InvalidParameterValue", message);
    }

    @Override
    public AwsException malformedInput(String message) {
        return AwsException.clientError("InvalidParameterValue", message);
    }

    @Override
    public String memberPath(String structurePath, Member member) {
        return structurePath.isEmpty() ? member.ec2ParameterName() : structurePath + "." + member.ec2ParameterName();
    }

    @Override
    public String elementPath(String listPath, int position) {
        return listPath + "." + position;
    }

    private static String lowerFirst(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    // The range sentences of InputValidator end with the bound ("... greater than or equal to 5").
    private static String bound(Violation violation) {
        String constraint = violation.constraint();
        return constraint.substring(constraint.lastIndexOf(' ') + 1);
    }
}
