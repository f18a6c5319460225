package dev.stevedore.awsproto;

import java.util.Objects;
import java.util.Optional;

/**
 * One way in which a request value fails a constraint of the service model.
 *
 * @param kind       the class of constraint that failed
 * @param path       where the value sits, in the AWS notation: member names joined by dots, list
 *                   elements as {@code name.N.member} counting from 1 (e.g. {@code tags.1.member.key})
 * @param value      the offending value as AWS renders it; absent for missing values and for values of
 *                   sensitive shapes, which are never echoed
 * @param constraint the constraint sentence, e.g. {@code Member must have length less than or equal to 128}
 */
public record Violation(Kind kind, String path, Optional<String> value, String constraint) {

    /** The classes of model constraints. */
    public enum Kind {
        MISSING_REQUIRED, TOO_SHORT, TOO_LONG, BELOW_MINIMUM, ABOVE_MAXIMUM, NOT_IN_ENUM, PATTERN_MISMATCH
    }

    public Violation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(constraint, "constraint");
    }

    static Violation missing(String path) {
        return new Violation(Kind.MISSING_REQUIRED, path, Optional.empty(), "Member must not be null");
    }

    /**
     * The sentence AWS's request validation writes for this violation, e.g.
     * {@code Value null at 'taskDefinition' failed to satisfy constraint: Member must not be null}.
     */
    public String message() {
        String shown = kind == Kind.MISSING_REQUIRED ? "null " : value.map(v -> "'" + v + "' ").orElse("");
        return "Value " + shown + "at '" + path + "' failed to satisfy constraint: " + constraint;
    }
}
