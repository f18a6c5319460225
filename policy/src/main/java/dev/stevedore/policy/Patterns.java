package dev.stevedore.policy;

import java.util.List;

/**
 * A statement's Action/NotAction or Resource/NotResource: the patterns as written, compiled once, and
 * whether the element is the negated one (it then matches what none of the patterns match).
 */
public final class Patterns {
    /** A trust policy has no Resource: its statements apply to the role they belong to. */
    static final Patterns ANY = new Patterns(List.of("*"), false, WildcardPattern.Mode.LIKE, false);

    private final List<String> written;
    private final boolean negated;
    private final List<WildcardPattern> compiled;

    Patterns(List<String> written, boolean negated, WildcardPattern.Mode mode, boolean variables) {
        this.written = List.copyOf(written);
        this.negated = negated;
        this.compiled = this.written.stream().map(w -> WildcardPattern.compile(w, mode, variables)).toList();
    }

    public List<String> written() {
        return written;
    }

    public boolean negated() {
        return negated;
    }

    boolean matches(String value, RequestContext context) {
        for (WildcardPattern p : compiled) {
            if (p.matches(value, context)) {
                return !negated;
            }
        }
        return negated;
    }

    @Override
    public String toString() {
        return (negated ? "Not" : "") + written;
    }
}
