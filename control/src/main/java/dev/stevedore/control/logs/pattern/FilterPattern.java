package dev.stevedore.control.logs.pattern;

/**
 * A CloudWatch Logs filter pattern, parsed once and then matched against many messages. Two forms are
 * understood:
 * <ul>
 *   <li>terms: words or quoted phrases, all of which must occur in the message (case-sensitive);
 *       {@code ?term} terms are alternatives, at least one of which must occur; {@code -term} terms must not;</li>
 *   <li>JSON: {@code { $.a.b = "x*" && ($.n > 3 || $.c[0] != 1) }}: comparisons of the message's JSON
 *       fields with strings ({@code =}, {@code !=}, {@code *} a wildcard) or numbers
 *       ({@code = != < <= > >=}), {@code IS TRUE|FALSE|NULL}, {@code NOT EXISTS}, combined with
 *       {@code &&}, {@code ||} and parentheses. A message that is not a JSON object never matches.</li>
 * </ul>
 * The empty pattern matches everything.
 */
public sealed interface FilterPattern permits TermPattern, JsonPattern {

    boolean matches(String message);

    /** @throws InvalidFilterPatternException when the text is not a pattern of the language */
    static FilterPattern parse(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) {
            return JsonPattern.parse(trimmed);
        }
        return TermPattern.parse(trimmed);
    }
}
