package dev.stevedore.scheduler.query;

import java.time.Instant;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Builds the condition for one {@code subject operator argument}, checking the argument fits the subject. */
final class Conditions {

    /** Makes a syntax error that points at a position. */
    interface Errors {
        QuerySyntaxException error(String message, int position);
    }

    private Conditions() {
    }

    static Expr build(Subject subject, String word, Operator op, Parser.Argument arg, Errors errors) {
        return switch (subject) {
            case ATTRIBUTE -> new Expr.AttributeCondition(
                    word.substring(Subject.ATTRIBUTE_PREFIX.length()), op, valueTest(op, arg, errors));
            case AGENT_CONNECTED -> new Expr.TextCondition(
                    t -> t.agentConnected() ? "true" : "false", valueTest(op, arg, errors));
            case EC2_INSTANCE_ID -> new Expr.TextCondition(QueryTarget::ec2InstanceId, valueTest(op, arg, errors));
            case AGENT_VERSION -> {
                if (!Versions.isVersion(arg.single())) {
                    throw errors.error("Expected a version such as 1.14.5 after '" + op.display() + "'",
                            arg.position());
                }
                yield new Expr.VersionCondition(op, arg.single());
            }
            case REGISTERED_AT -> {
                Instant instant = Literals.instant(arg.single()).orElseThrow(() -> errors.error(
                        "Expected a date such as 2018-06-18 or 2018-06-18T22:28:28Z after '" + op.display() + "'",
                        arg.position()));
                yield new Expr.InstantCondition(op, instant);
            }
            case RUNNING_TASKS_COUNT -> new Expr.CountCondition(op, wholeNumber(op, arg, errors));
            case TASK_GROUP -> new Expr.TaskGroupCondition(op, arg.values(), groupTest(op, arg, errors));
        };
    }

    private static Expr.ValueTest valueTest(Operator op, Parser.Argument arg, Errors errors) {
        return switch (op) {
            case EQUALS -> new Expr.Equal(arg.single(), false);
            case NOT_EQUALS -> new Expr.Equal(arg.single(), true);
            case IN -> new Expr.InList(Set.copyOf(arg.values()), false);
            case NOT_IN -> new Expr.InList(Set.copyOf(arg.values()), true);
            case MATCHES -> new Expr.Matches(pattern(arg, errors), false);
            case NOT_MATCHES -> new Expr.Matches(pattern(arg, errors), true);
            case GREATER_THAN, GREATER_THAN_EQUAL, LESS_THAN, LESS_THAN_EQUAL ->
                    new Expr.Ordered(op, arg.single(), Literals.number(arg.single()));
            case EXISTS, NOT_EXISTS -> new Expr.NoValue();
        };
    }

    private static Predicate<String> groupTest(Operator op, Parser.Argument arg, Errors errors) {
        return switch (op) {
            case MATCHES, NOT_MATCHES -> {
                Pattern pattern = pattern(arg, errors);
                yield group -> pattern.matcher(group).matches();
            }
            case EXISTS, NOT_EXISTS -> group -> true;
            default -> arg.values()::contains;
        };
    }

    private static Pattern pattern(Parser.Argument arg, Errors errors) {
        try {
            return Pattern.compile(arg.single());
        } catch (PatternSyntaxException e) {
            throw errors.error("Invalid regular expression (" + e.getDescription() + ")", arg.position());
        }
    }

    private static long wholeNumber(Operator op, Parser.Argument arg, Errors errors) {
        String text = arg.single();
        boolean digitsOnly = !text.isEmpty() && text.length() <= 18 && text.chars().allMatch(Character::isDigit);
        if (!digitsOnly) {
            throw errors.error("Expected a whole number after '" + op.display() + "'", arg.position());
        }
        return Long.parseLong(text);
    }
}
