package dev.stevedore.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A policy string compiled once: literal characters, the wildcards {@code *} and {@code ?} (when the
 * element treats them as wildcards), and policy variables resolved per request.
 *
 * <p>A pattern is held as an {@code int[]}: characters are themselves, wildcards are negative codes.
 * A pattern without variables is compiled once and matched without allocating; one with variables is
 * resolved into a fresh array per match (the variable's value is literal text: its {@code *} matches
 * only {@code *}).
 */
final class WildcardPattern {
    /** A star that may match any run of characters. */
    static final int STAR = -1;
    /** A star inside an ARN segment: it does not match across a colon. */
    static final int STAR_IN_SEGMENT = -2;
    /** One character (any, or any but a colon in an ARN). */
    static final int ONE = -3;
    /** The resolved form of a pattern whose variable the request does not have. */
    private static final int[] UNRESOLVED = new int[0];

    /** How an element reads its strings. */
    enum Mode {
        /** Actions: wildcards, case-insensitive. */
        ACTION(true, true, false),
        /** Resource ARNs: wildcards within segments, a star ending a segment spans colons; case-sensitive. */
        RESOURCE(true, false, true),
        /** StringLike and ArnLike's segments: wildcards anywhere, case-sensitive. */
        LIKE(true, false, false),
        /** StringEquals and friends: no wildcards, case-sensitive. */
        EXACT(false, false, false),
        /** StringEqualsIgnoreCase: no wildcards, case-insensitive. */
        EXACT_IGNORE_CASE(false, true, false);

        final boolean wildcards;
        final boolean ignoreCase;
        final boolean segmented;

        Mode(boolean wildcards, boolean ignoreCase, boolean segmented) {
            this.wildcards = wildcards;
            this.ignoreCase = ignoreCase;
            this.segmented = segmented;
        }
    }

    private sealed interface Piece {}

    /** Text read with the mode's wildcard rules. */
    private record Text(String text) implements Piece {}

    /** One character that is never a wildcard ({@code ${*}}, {@code ${?}}, {@code ${$}}). */
    private record Escaped(char c) implements Piece {}

    /** {@code ${key}} or {@code ${key, 'default'}}. */
    private record Variable(String key, Optional<String> fallback) implements Piece {}

    private final String source;
    private final Mode mode;
    private final List<Piece> pieces;
    private final int[] compiled;
    private final boolean restricted;

    private WildcardPattern(String source, Mode mode, List<Piece> pieces) {
        this.source = source;
        this.mode = mode;
        this.pieces = List.copyOf(pieces);
        boolean variables = pieces.stream().anyMatch(p -> p instanceof Variable);
        this.compiled = variables ? UNRESOLVED : tokens(pieces, RequestContext.empty());
        this.restricted = !variables && hasRestrictedStar(compiled);
    }

    /**
     * Compiles {@code text}. Policy variables are read only when {@code variables} is true (documents
     * of version 2012-10-17); otherwise {@code ${...}} is plain text, as in IAM.
     */
    static WildcardPattern compile(String text, Mode mode, boolean variables) {
        List<Piece> pieces = new ArrayList<>();
        if (!variables) {
            pieces.add(new Text(text));
            return new WildcardPattern(text, mode, pieces);
        }
        int plainFrom = 0;
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("${", i);
            if (open < 0) {
                break;
            }
            int close = text.indexOf('}', open + 2);
            if (close < 0) {
                break;
            }
            if (open > plainFrom) {
                pieces.add(new Text(text.substring(plainFrom, open)));
            }
            pieces.add(variable(text.substring(open + 2, close)));
            plainFrom = close + 1;
            i = close + 1;
        }
        if (plainFrom < text.length()) {
            pieces.add(new Text(text.substring(plainFrom)));
        }
        return new WildcardPattern(text, mode, pieces);
    }

    private static Piece variable(String inside) {
        String body = inside.trim();
        if (body.equals("*") || body.equals("?") || body.equals("$")) {
            return new Escaped(body.charAt(0));
        }
        int comma = body.indexOf(',');
        if (comma > 0) {
            String fallback = body.substring(comma + 1).trim();
            if (fallback.length() >= 2 && fallback.startsWith("'") && fallback.endsWith("'")) {
                return new Variable(body.substring(0, comma).trim(), Optional.of(fallback.substring(1, fallback.length() - 1)));
            }
        }
        return new Variable(body, Optional.empty());
    }

    String source() {
        return source;
    }

    boolean hasVariables() {
        return compiled == UNRESOLVED;
    }

    /** Whether {@code value} matches, resolving variables from {@code context}. */
    boolean matches(String value, RequestContext context) {
        int[] tokens = compiled;
        boolean restrictedStars = restricted;
        if (tokens == UNRESOLVED) {
            tokens = tokens(pieces, context);
            if (tokens == UNRESOLVED) {
                return false;
            }
            restrictedStars = hasRestrictedStar(tokens);
        }
        if (!mode.wildcards) {
            return equalsLiteral(tokens, value, mode.ignoreCase);
        }
        if (tokens.length == 1 && tokens[0] == STAR) {
            return true; // "*": the commonest pattern of all
        }
        return restrictedStars
                ? matchTable(tokens, value, mode.segmented)
                : matchGreedy(tokens, 0, tokens.length, value, 0, value.length(), mode.ignoreCase, mode.segmented);
    }

    /**
     * ArnEquals / ArnLike: the six colon-separated parts of the ARN are compared one by one, each part
     * with wildcards of its own (the last part keeps any further colons).
     */
    boolean matchesArn(String value, RequestContext context) {
        int[] tokens = compiled;
        if (tokens == UNRESOLVED) {
            tokens = tokens(pieces, context);
            if (tokens == UNRESOLVED) {
                return false;
            }
        }
        int p = 0;
        int s = 0;
        for (int part = 0; part < 6; part++) {
            int pEnd = part == 5 ? tokens.length : indexOf(tokens, ':', p);
            int sEnd = part == 5 ? value.length() : value.indexOf(':', s);
            if (pEnd < 0 || sEnd < 0) {
                return false;
            }
            if (!matchGreedy(tokens, p, pEnd, value, s, sEnd, false, false)) {
                return false;
            }
            p = pEnd + 1;
            s = sEnd + 1;
        }
        return true;
    }

    private static int indexOf(int[] tokens, char c, int from) {
        for (int i = from; i < tokens.length; i++) {
            if (tokens[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private int[] tokens(List<Piece> pieces, RequestContext context) {
        int[] out = new int[source.length() + 16];
        int n = 0;
        for (Piece piece : pieces) {
            String text;
            boolean literal;
            switch (piece) {
                case Text t -> {
                    text = t.text();
                    literal = !mode.wildcards;
                }
                case Escaped e -> {
                    text = String.valueOf(e.c());
                    literal = true;
                }
                case Variable v -> {
                    Optional<String> resolved = context.single(v.key()).or(v::fallback);
                    if (resolved.isEmpty()) {
                        return UNRESOLVED;
                    }
                    text = resolved.get();
                    literal = true; // a variable's value is text: its * matches only *
                }
            }
            if (n + text.length() > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, n + text.length()));
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                out[n++] = literal ? c : c == '*' ? STAR : c == '?' ? ONE : c;
            }
        }
        int[] tokens = Arrays.copyOf(out, n);
        if (mode.segmented) {
            // A star is confined to its ARN segment unless it is the segment's last character.
            for (int i = 0; i < tokens.length; i++) {
                if (tokens[i] == STAR && i + 1 < tokens.length && tokens[i + 1] != ':') {
                    tokens[i] = STAR_IN_SEGMENT;
                }
            }
        }
        return tokens;
    }

    private static boolean hasRestrictedStar(int[] tokens) {
        for (int t : tokens) {
            if (t == STAR_IN_SEGMENT) {
                return true;
            }
        }
        return false;
    }

    private static boolean equalsLiteral(int[] tokens, String value, boolean ignoreCase) {
        if (tokens.length != value.length()) {
            return false;
        }
        for (int i = 0; i < tokens.length; i++) {
            if (!sameChar(tokens[i], value.charAt(i), ignoreCase)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameChar(int token, char c, boolean ignoreCase) {
        if (token == c) {
            return true;
        }
        return ignoreCase && Character.toLowerCase((char) token) == Character.toLowerCase(c);
    }

    private static boolean oneMatches(int token, char c, boolean ignoreCase, boolean segmented) {
        if (token == ONE) {
            return !segmented || c != ':';
        }
        return token >= 0 && sameChar(token, c, ignoreCase);
    }

    /**
     * Glob match where every star may match anything: the classic scan that, on a mismatch, lets the
     * last star seen take one more character. Linear in practice, O(n·m) at worst, no recursion.
     */
    static boolean matchGreedy(int[] p, int pFrom, int pTo, String s, int sFrom, int sTo, boolean ignoreCase, boolean segmented) {
        int pi = pFrom;
        int si = sFrom;
        int starP = -1;
        int starS = -1;
        while (si < sTo) {
            if (pi < pTo && p[pi] != STAR && oneMatches(p[pi], s.charAt(si), ignoreCase, segmented)) {
                pi++;
                si++;
            } else if (pi < pTo && p[pi] == STAR) {
                starP = pi++;
                starS = si;
            } else if (starP >= 0) {
                pi = starP + 1;
                si = ++starS;
            } else {
                return false;
            }
        }
        while (pi < pTo && p[pi] == STAR) {
            pi++;
        }
        return pi == pTo;
    }

    /**
     * Glob match for a resource pattern with a star inside a segment (it may not take a colon): a
     * table over pattern positions, one row per character of the value.
     */
    private static boolean matchTable(int[] p, String s, boolean segmented) {
        boolean[] row = new boolean[p.length + 1];
        row[0] = true;
        for (int j = 0; j < p.length && (p[j] == STAR || p[j] == STAR_IN_SEGMENT); j++) {
            row[j + 1] = true;
        }
        boolean[] next = new boolean[p.length + 1];
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            next[0] = false;
            for (int j = 0; j < p.length; j++) {
                int t = p[j];
                boolean v;
                if (t == STAR) {
                    v = next[j] || row[j + 1];
                } else if (t == STAR_IN_SEGMENT) {
                    v = next[j] || (row[j + 1] && c != ':');
                } else {
                    v = row[j] && oneMatches(t, c, false, segmented);
                }
                next[j + 1] = v;
            }
            boolean[] swap = row;
            row = next;
            next = swap;
        }
        return row[p.length];
    }

    @Override
    public String toString() {
        return source;
    }
}
