package dev.stevedore.control.logs.pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The filter-pattern language: each row a pattern, a message, and whether it matches. */
class FilterPatternTest {
    private static final String ACCESS = "{\"eventType\":\"UpdateTrail\",\"user\":{\"id\":42,\"name\":\"ana\","
            + "\"admin\":true,\"manager\":null},\"latency\":812.5,\"tags\":[\"blue\",\"green\"],\"code\":\"200\"}";

    static Stream<Arguments> rows() {
        return Stream.of(
                // the empty pattern
                arguments("", "anything", true),
                arguments("   ", "", true),
                // terms: all must occur, case-sensitive, anywhere in the message
                arguments("ERROR", "2026 ERROR disk full", true),
                arguments("ERROR", "2026 error disk full", false),
                arguments("ERROR disk", "disk: ERROR", true),
                arguments("ERROR disk", "ERROR only", false),
                arguments("ERR", "ERROR", true),
                arguments("GET /health", "GET /health 200", true),
                // quoted phrases: the words together, in order
                arguments("\"reset by peer\"", "connection reset by peer", true),
                arguments("\"reset by peer\"", "peer reset by", false),
                arguments("\"a \\\"quoted\\\" word\"", "a \"quoted\" word", true),
                arguments("ERROR \"disk full\"", "ERROR: disk full", true),
                // ?alternatives: at least one
                arguments("?ERROR ?WARN", "WARN low memory", true),
                arguments("?ERROR ?WARN", "INFO fine", false),
                arguments("?ERROR ?\"out of memory\"", "killed: out of memory", true),
                arguments("disk ?ERROR ?WARN", "WARN disk", true),
                arguments("disk ?ERROR ?WARN", "WARN memory", false),
                // -exclusion
                arguments("ERROR -timeout", "ERROR disk", true),
                arguments("ERROR -timeout", "ERROR timeout talking to db", false),
                arguments("ERROR -\"retry later\"", "ERROR please retry later", false),
                // JSON: strings
                arguments("{ $.eventType = \"UpdateTrail\" }", ACCESS, true),
                arguments("{ $.eventType = UpdateTrail }", ACCESS, true),
                arguments("{ $.eventType = \"updatetrail\" }", ACCESS, false),
                arguments("{ $.eventType = \"Update*\" }", ACCESS, true),
                arguments("{ $.eventType = \"*Trail\" }", ACCESS, true),
                arguments("{ $.eventType = \"*\" }", ACCESS, true),
                arguments("{ $.eventType != \"DeleteTrail\" }", ACCESS, true),
                arguments("{ $.eventType != \"UpdateTrail\" }", ACCESS, false),
                arguments("{ $.user.name = \"ana\" }", ACCESS, true),
                arguments("{ $.user.name != \"bob\" }", ACCESS, true),
                arguments("{ $.tags[1] = \"green\" }", ACCESS, true),
                arguments("{ $.tags[0] = \"green\" }", ACCESS, false),
                arguments("{ $.code = \"200\" }", ACCESS, true),
                // JSON: numbers
                arguments("{ $.user.id = 42 }", ACCESS, true),
                arguments("{ $.user.id = 42.0 }", ACCESS, true),
                arguments("{ $.user.id != 41 }", ACCESS, true),
                arguments("{ $.latency > 500 }", ACCESS, true),
                arguments("{ $.latency >= 812.5 }", ACCESS, true),
                arguments("{ $.latency < 812.5 }", ACCESS, false),
                arguments("{ $.latency <= 812.5 }", ACCESS, true),
                arguments("{ $.code > 100 }", ACCESS, false),
                arguments("{ $.missing > 1 }", ACCESS, false),
                // JSON: IS and NOT EXISTS
                arguments("{ $.user.admin IS TRUE }", ACCESS, true),
                arguments("{ $.user.admin IS FALSE }", ACCESS, false),
                arguments("{ $.user.manager IS NULL }", ACCESS, true),
                arguments("{ $.user.email NOT EXISTS }", ACCESS, true),
                arguments("{ $.user.name NOT EXISTS }", ACCESS, false),
                // JSON: && binds tighter than ||, parentheses group
                arguments("{ $.user.id = 42 && $.latency > 1000 }", ACCESS, false),
                arguments("{ $.user.id = 1 || $.latency > 800 }", ACCESS, true),
                arguments("{ $.user.id = 1 && $.latency > 1 || $.eventType = \"UpdateTrail\" }", ACCESS, true),
                arguments("{ $.user.id = 1 && ($.latency > 1 || $.eventType = \"UpdateTrail\") }", ACCESS, false),
                arguments("{ ($.user.id = 42) && ($.tags[0] = \"blue\" || $.tags[0] = \"red\") }", ACCESS, true),
                // JSON patterns never match what is not a JSON object
                arguments("{ $.level = \"error\" }", "level=error", false),
                arguments("{ $.level = \"error\" }", "[{\"level\":\"error\"}]", false),
                arguments("{ $.level = \"error\" }", "{\"level\":\"error\"", false),
                arguments("{ $.level = \"error\" }", "  {\"level\":\"error\"}", true));
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @MethodSource("rows")
    void matches(String pattern, String message, boolean expected) {
        assertThat(FilterPattern.parse(pattern).matches(message)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"unterminated", "? ERROR", "ERROR -", "-timeout", "a\"b\"", "x{y", "[ip, user]",
            "{ $.a = 1", "{ $.a = }", "{ a = 1 }", "{ $. = 1 }", "{ $.a ~ 1 }", "{ $.a > \"text\" }",
            "{ $.a = 1 && }", "{ ($.a = 1 }", "{ $.a = 1 } trailing", "{ $.a IS MAYBE }", "{ $.a NOT THERE }",
            "{ $.a[x] = 1 }", "{ $ = 1 }"})
    void refusesWhatIsNotAPattern(String pattern) {
        assertThatThrownBy(() -> FilterPattern.parse(pattern)).isInstanceOf(InvalidFilterPatternException.class);
    }
}
