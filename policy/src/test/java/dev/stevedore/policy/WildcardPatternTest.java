package dev.stevedore.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The matcher against a plain statement of the rules, written as a regular expression, over many
 * generated patterns and values: {@code *} is any run, {@code ?} one character; in an ARN a star
 * that does not end its segment and a {@code ?} do not take a colon.
 */
class WildcardPatternTest {
    private static final String ALPHABET = "ab:/*?";

    private static String reference(String pattern, boolean arn) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            boolean endsSegment = i + 1 == pattern.length() || pattern.charAt(i + 1) == ':';
            if (c == '*') {
                re.append(arn && !endsSegment ? "[^:]*" : ".*");
            } else if (c == '?') {
                re.append(arn ? "[^:]" : ".");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    private static String random(Random r, String alphabet, int max) {
        int n = r.nextInt(max + 1);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    @Test
    void agreesWithTheRulesOnGeneratedCases() {
        Random r = new Random(20261207);
        for (int i = 0; i < 20_000; i++) {
            String pattern = random(r, ALPHABET, 8);
            String value = random(r, "ab:/", 10);
            for (boolean arn : new boolean[] {false, true}) {
                WildcardPattern p = WildcardPattern.compile(pattern, arn ? WildcardPattern.Mode.RESOURCE : WildcardPattern.Mode.LIKE, false);
                boolean expected = Pattern.compile(reference(pattern, arn), Pattern.DOTALL).matcher(value).matches();
                assertThat(p.matches(value, RequestContext.empty()))
                        .as("%s %s ~ %s", arn ? "arn" : "like", pattern, value)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void actionsIgnoreCaseAndExactValuesTakeWildcardsLiterally() {
        assertThat(WildcardPattern.compile("ECS:Describe*", WildcardPattern.Mode.ACTION, false).matches("ecs:describeclusters", RequestContext.empty())).isTrue();
        assertThat(WildcardPattern.compile("a*", WildcardPattern.Mode.EXACT, false).matches("abc", RequestContext.empty())).isFalse();
        assertThat(WildcardPattern.compile("a*", WildcardPattern.Mode.EXACT, false).matches("a*", RequestContext.empty())).isTrue();
        assertThat(WildcardPattern.compile("ABC", WildcardPattern.Mode.EXACT_IGNORE_CASE, false).matches("abc", RequestContext.empty())).isTrue();
    }
}
