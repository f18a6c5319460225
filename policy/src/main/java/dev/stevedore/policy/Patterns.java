package dev.stevedore.policy;

import java.util.List;

/**
 * A statement's Action/NotAction or Resource/NotResource: its compiled patterns and whether the
 * element is the negated one (matches what none of the patterns match).
 */
public record Patterns(List<String> written, boolean negated, List<WildcardPattern> compiled) {
    /** A trust policy has no Resource: its statements apply to the role they belong to. */
    static final Patterns ANY = new Patterns(List.of("*"), false, List.of(WildcardPattern.compile("*", WildcardPattern.Mode.LIKE, false)));

    public Patterns {
        written = List.copyOf(written);
        compiled = List.copyOf(compiled);
    }

    static Patterns of(List<String> written, boolean negated, WildcardPattern.Mode mode, boolean variables) {
        return new Patterns(written, negated, written.stream().map(w -> WildcardPattern.compile(w, mode, variables)).toList());
    }

    boolean matches(String value, RequestContext context) {
        for (WildcardPattern p : compiled) {
            if (p.matches(value, context)) {
                return !negated;
            }
        }
        return negated;
    }
}
