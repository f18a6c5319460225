package dev.stevedore.control.logs.pattern;

import java.util.ArrayList;
import java.util.List;

/**
 * The terms form: every required term occurs, at least one optional ({@code ?}) term occurs when there
 * are any, and no excluded ({@code -}) term occurs. Matching is a case-sensitive substring search.
 */
record TermPattern(List<String> required, List<String> optional, List<String> excluded) implements FilterPattern {

    @Override
    public boolean matches(String message) {
        for (String term : required) {
            if (!message.contains(term)) {
                return false;
            }
        }
        for (String term : excluded) {
            if (message.contains(term)) {
                return false;
            }
        }
        if (optional.isEmpty()) {
            return true;
        }
        for (String term : optional) {
            if (message.contains(term)) {
                return true;
            }
        }
        return false;
    }

    static TermPattern parse(String text) {
        List<String> required = new ArrayList<>();
        List<String> optional = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            List<String> into = required;
            if (c == '?' || c == '-') {
                into = c == '?' ? optional : excluded;
                i++;
                if (i == text.length() || Character.isWhitespace(text.charAt(i))) {
                    throw new InvalidFilterPatternException("'" + c + "' without a term");
                }
            }
            StringBuilder term = new StringBuilder();
            if (text.charAt(i) == '"') {
                i = quoted(text, i, term);
                if (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                    throw new InvalidFilterPatternException("text right after a quoted phrase");
                }
            } else {
                while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                    char t = text.charAt(i);
                    if (t == '"' || t == '{' || t == '}' || t == '[' || t == ']' || t == '%') {
                        throw new InvalidFilterPatternException("'" + t + "' in an unquoted term");
                    }
                    term.append(t);
                    i++;
                }
            }
            if (term.isEmpty()) {
                throw new InvalidFilterPatternException("an empty term");
            }
            into.add(term.toString());
        }
        if (required.isEmpty() && optional.isEmpty() && !excluded.isEmpty()) {
            // A pattern of exclusions alone says nothing to look for.
            throw new InvalidFilterPatternException("only excluded terms");
        }
        return new TermPattern(List.copyOf(required), List.copyOf(optional), List.copyOf(excluded));
    }

    /** Reads a quoted phrase starting at {@code start} (the quote) into {@code out}; the index after its closing quote. */
    static int quoted(String text, int start, StringBuilder out) {
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                out.append(text.charAt(i + 1));
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        throw new InvalidFilterPatternException("an unterminated quoted phrase");
    }
}
