package dev.stevedore.control.logs.pattern;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** A recursive-descent parser of {@code { expression }}: {@code ||} binds looser than {@code &&}. */
final class JsonConditionParser {
    private final String text;
    private int at;

    JsonConditionParser(String text) {
        this.text = text;
    }

    JsonCondition parse() {
        expect("{");
        JsonCondition condition = or();
        expect("}");
        skipSpace();
        if (at != text.length()) {
            throw fail("text after the closing brace");
        }
        return condition;
    }

    private JsonCondition or() {
        List<JsonCondition> parts = new ArrayList<>(List.of(and()));
        while (take("||")) {
            parts.add(and());
        }
        return parts.size() == 1 ? parts.getFirst() : new JsonCondition.Any(List.copyOf(parts));
    }

    private JsonCondition and() {
        List<JsonCondition> parts = new ArrayList<>(List.of(primary()));
        while (take("&&")) {
            parts.add(primary());
        }
        return parts.size() == 1 ? parts.getFirst() : new JsonCondition.All(List.copyOf(parts));
    }

    private JsonCondition primary() {
        if (take("(")) {
            JsonCondition inner = or();
            expect(")");
            return inner;
        }
        Selector selector = selector();
        if (takeWord("IS")) {
            for (String what : List.of("TRUE", "FALSE", "NULL")) {
                if (takeWord(what)) {
                    return new JsonCondition.Check(selector, what);
                }
            }
            throw fail("TRUE, FALSE or NULL after IS");
        }
        if (takeWord("NOT")) {
            if (takeWord("EXISTS")) {
                return new JsonCondition.Check(selector, "NOT EXISTS");
            }
            throw fail("EXISTS after NOT");
        }
        String operator = operator();
        skipSpace();
        if (at < text.length() && text.charAt(at) == '"') {
            StringBuilder value = new StringBuilder();
            at = TermPattern.quoted(text, at, value);
            return textComparison(selector, operator, value.toString());
        }
        String word = bareword();
        try {
            return new JsonCondition.NumberComparison(selector, operator, new BigDecimal(word));
        } catch (NumberFormatException e) {
            return textComparison(selector, operator, word);
        }
    }

    private JsonCondition textComparison(Selector selector, String operator, String value) {
        if (!operator.equals("=") && !operator.equals("!=")) {
            throw fail("'" + operator + "' with a string value");
        }
        return JsonCondition.TextComparison.of(selector, operator.equals("="), value);
    }

    private Selector selector() {
        skipSpace();
        if (at >= text.length() || text.charAt(at) != '$') {
            throw fail("a selector starting with $");
        }
        at++;
        List<Object> steps = new ArrayList<>();
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '.') {
                at++;
                int start = at;
                while (at < text.length() && isNameChar(text.charAt(at))) {
                    at++;
                }
                if (start == at) {
                    throw fail("a member name after '.'");
                }
                steps.add(text.substring(start, at));
            } else if (c == '[') {
                int close = text.indexOf(']', at);
                if (close < 0) {
                    throw fail("']'");
                }
                try {
                    steps.add(Integer.parseInt(text.substring(at + 1, close).strip()));
                } catch (NumberFormatException e) {
                    throw fail("an array index");
                }
                at = close + 1;
            } else {
                break;
            }
        }
        if (steps.isEmpty()) {
            throw fail("a field after $");
        }
        return new Selector(List.copyOf(steps));
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '@' || c == ':';
    }

    private String operator() {
        skipSpace();
        for (String op : List.of("!=", "<=", ">=", "=", "<", ">")) {
            if (text.startsWith(op, at)) {
                at += op.length();
                return op;
            }
        }
        throw fail("a comparison operator");
    }

    private String bareword() {
        int start = at;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (Character.isWhitespace(c) || c == ')' || c == '}' || c == '&' || c == '|' || c == '(' || c == '"') {
                break;
            }
            at++;
        }
        if (start == at) {
            throw fail("a value");
        }
        return text.substring(start, at);
    }

    private boolean takeWord(String word) {
        skipSpace();
        if (text.startsWith(word, at)) {
            int end = at + word.length();
            if (end == text.length() || !Character.isLetterOrDigit(text.charAt(end))) {
                at = end;
                return true;
            }
        }
        return false;
    }

    private boolean take(String token) {
        skipSpace();
        if (text.startsWith(token, at)) {
            at += token.length();
            return true;
        }
        return false;
    }

    private void expect(String token) {
        if (!take(token)) {
            throw fail("'" + token + "'");
        }
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private InvalidFilterPatternException fail(String expected) {
        return new InvalidFilterPatternException("expected " + expected + " at position " + at);
    }
}
