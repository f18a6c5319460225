package dev.stevedore.lb.route;

import java.util.Locale;

/** An ALB pattern: {@code *} matches any run of characters (also none), {@code ?} exactly one. */
record Wildcard(String pattern, boolean ignoreCase) {

    Wildcard {
        if (ignoreCase) {
            pattern = pattern.toLowerCase(Locale.ROOT);
        }
    }

    boolean matches(String text) {
        String s = ignoreCase ? text.toLowerCase(Locale.ROOT) : text;
        // The classic linear glob walk: remember the last star and where it started matching, retry from there.
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < s.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == s.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
