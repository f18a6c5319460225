package dev.stevedore.scheduler.query;

/**
 * Orders agent versions such as {@code 1.14.5}.
 *
 * <p>Versions are dot-separated segments. Each segment compares by its leading number, then by
 * what follows the number; a segment with nothing after its number sorts after one with a suffix,
 * so {@code 1.2.0 > 1.2.0-rc1}, as in semantic versioning. Missing trailing segments count as
 * {@code 0}, so {@code 1.14 == 1.14.0}. Comparison walks the strings without allocating because
 * it runs once per instance per query evaluation.
 */
final class Versions {

    private Versions() {
    }

    /** Whether {@code text} looks like a version: it must start with a digit. */
    static boolean isVersion(String text) {
        return !text.isEmpty() && isDigit(text.charAt(0));
    }

    static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            // A version that has run out of segments continues with empty ones, which read as 0.
            i = Math.min(i, a.length());
            j = Math.min(j, b.length());
            int endA = segmentEnd(a, i);
            int endB = segmentEnd(b, j);
            int c = compareSegment(a, i, endA, b, j, endB);
            if (c != 0) {
                return c;
            }
            i = endA + 1;
            j = endB + 1;
        }
        return 0;
    }

    private static int segmentEnd(String s, int from) {
        if (from >= s.length()) {
            return s.length();
        }
        int dot = s.indexOf('.', from);
        return dot < 0 ? s.length() : dot;
    }

    private static int compareSegment(String a, int fromA, int endA, String b, int fromB, int endB) {
        int digitsA = digitsEnd(a, fromA, endA);
        int digitsB = digitsEnd(b, fromB, endB);
        int c = compareNumbers(a, fromA, digitsA, b, fromB, digitsB);
        if (c != 0) {
            return c;
        }
        boolean noSuffixA = digitsA == endA;
        boolean noSuffixB = digitsB == endB;
        if (noSuffixA || noSuffixB) {
            return Boolean.compare(noSuffixA, noSuffixB);
        }
        return compareRegions(a, digitsA, endA, b, digitsB, endB);
    }

    private static int digitsEnd(String s, int from, int end) {
        int k = from;
        while (k < end && isDigit(s.charAt(k))) {
            k++;
        }
        return k;
    }

    /** Compares two runs of digits as numbers of any length (an empty run is zero). */
    private static int compareNumbers(String a, int fromA, int endA, String b, int fromB, int endB) {
        while (fromA < endA && a.charAt(fromA) == '0') {
            fromA++;
        }
        while (fromB < endB && b.charAt(fromB) == '0') {
            fromB++;
        }
        int lengths = Integer.compare(endA - fromA, endB - fromB);
        return lengths != 0 ? lengths : compareRegions(a, fromA, endA, b, fromB, endB);
    }

    private static int compareRegions(String a, int fromA, int endA, String b, int fromB, int endB) {
        int n = Math.min(endA - fromA, endB - fromB);
        for (int k = 0; k < n; k++) {
            int c = Character.compare(a.charAt(fromA + k), b.charAt(fromB + k));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(endA - fromA, endB - fromB);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
