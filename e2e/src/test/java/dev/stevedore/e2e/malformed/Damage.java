package dev.stevedore.e2e.malformed;

import java.util.List;

/** Values the cases put where a well-formed request has something sensible. */
final class Damage {
    /** Strings that pass a shape check but that handlers must still refuse cleanly. */
    static final List<String> ODD_STRINGS = List.of(
            "", " ", "arn:", "arn:aws:ecs:us-east-1:123456789012:", "arn:aws:iam::123456789012:role/",
            "::::::::", "../../../etc/passwd", "\u0000", "a\u0000b", "\uD83D\uDCA5", "%s%n%x",
            "${jndi:ldap://127.0.0.1/x}", "<script>alert(1)</script>", "-1", "9999999999999999999999",
            "a/b/c/d/e/f", "*", "?", "arn:aws:ecs:us-east-1:123456789012:task/default/", "name with space");

    /** Numbers at and past the ends of the JSON number types handlers read. */
    static final List<String> ODD_NUMBERS = List.of(
            "-1", "0", "2147483648", "-2147483649", "9223372036854775808", "-9223372036854775809",
            "1e400", "-1e400", "1.5", "1e-400", "99999999999999999999999999999999999999");

    /** How many levels of nesting the deep-nesting cases send: far past any parser's sensible bound. */
    static final int DEEP = 20_000;
    /** How many elements the huge-array cases send: many, yet under the edge's 1 MiB body limit. */
    static final int HUGE = 60_000;
    /** The length of an over-long string when the shape gives no maximum: under 1 MiB too. */
    static final int LONG = 300_000;

    private Damage() {
    }
}
