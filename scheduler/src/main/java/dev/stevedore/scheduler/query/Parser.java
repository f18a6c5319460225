package dev.stevedore.scheduler.query;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser of the cluster query language, scanning characters directly so that
 * every error can name the exact offset it was found at.
 *
 * <pre>
 * query     := or
 * or        := and { ("||" | "or") and }
 * and       := unary { ("&amp;&amp;" | "and") unary }
 * unary     := ("!" | "not") unary | "(" or ")" | condition
 * condition := subject operator [value | list]
 * list      := "[" value { "," value } "]"
 * value     := unquoted | "'" { char | "''" } "'"
 * </pre>
 *
 * <p>Keywords ({@code and}, {@code or}, {@code not}, {@code equals}, {@code in}…) are lower case
 * only, as the developer guide spells them; {@code AND} is not a keyword. Unquoted values end at
 * white space, at any of {@code ( ) [ ] , '} and at {@code &&} or {@code ||}, so a regular
 * expression with parentheses or spaces must be quoted. Inside quotes, {@code ''} stands for one
 * quote; backslashes are kept as they are because regular expressions need them.
 */
final class Parser {

    private static final String DELIMITERS = "()[],'";
    private static final String OPERATOR_CHARS = "=!<>~&|";

    private final String src;
    private int pos;

    private Parser(String src) {
        this.src = src;
    }

    static Expr parse(String src) {
        Parser parser = new Parser(src);
        Expr expr = parser.or();
        parser.skipSpace();
        if (!parser.atEnd()) {
            throw parser.expected("'and', 'or' or the end of the query", parser.pos);
        }
        return expr;
    }

    private Expr or() {
        List<Expr> parts = new ArrayList<>();
        parts.add(and());
        while (acceptConnective("||", "or")) {
            parts.add(and());
        }
        return parts.size() == 1 ? parts.get(0) : new Expr.Or(List.copyOf(parts));
    }

    private Expr and() {
        List<Expr> parts = new ArrayList<>();
        parts.add(unary());
        while (acceptConnective("&&", "and")) {
            parts.add(unary());
        }
        return parts.size() == 1 ? parts.get(0) : new Expr.And(List.copyOf(parts));
    }

    private Expr unary() {
        skipSpace();
        if (peek('(')) {
            pos++;
            Expr inner = or();
            skipSpace();
            if (!peek(')')) {
                throw expected("')', 'and' or 'or'", pos);
            }
            pos++;
            return inner;
        }
        if (peek('!')) {
            pos++;
            return new Expr.Not(unary());
        }
        if (keywordAt("not")) {
            pos += "not".length();
            return new Expr.Not(unary());
        }
        return condition();
    }

    private Expr condition() {
        int subjectAt = pos;
        String word = readSubject();
        if (word.isEmpty()) {
            throw expected("a subject such as attribute:<name>", subjectAt);
        }
        Subject subject = Subject.of(word).orElseThrow(() -> new QuerySyntaxException(
                "Unknown subject '" + word + "' at position " + subjectAt + "; expected agentConnected, "
                        + "agentVersion, ec2InstanceId, registeredAt, runningTasksCount, task:group or "
                        + "attribute:<name>", subjectAt));
        if (subject == Subject.ATTRIBUTE && word.length() == Subject.ATTRIBUTE_PREFIX.length()) {
            throw expected("an attribute name after 'attribute:'", pos);
        }
        skipSpace();
        int operatorAt = pos;
        Operator op = readOperator();
        if (op == null) {
            throw expected("an operator after '" + word + "'", operatorAt);
        }
        if (!subject.operators.contains(op)) {
            throw new QuerySyntaxException("Operator '" + op.display() + "' is not valid for subject '"
                    + subject.spelling + "' at position " + operatorAt + "; valid operators are "
                    + subject.allowedOperators(), operatorAt);
        }
        return Conditions.build(subject, word, op, readArgument(op), this::error);
    }

    private Argument readArgument(Operator op) {
        skipSpace();
        int at = pos;
        return switch (op.argument) {
            case NONE -> new Argument(Set.of(), "", at);
            case LIST -> {
                if (!peek('[')) {
                    throw expected("a list such as [a, b] after '" + op.display() + "'", at);
                }
                yield new Argument(readList(), "", at);
            }
            case SINGLE -> {
                if (peek('[')) {
                    throw new QuerySyntaxException("A list is only allowed after in and not_in, not after '"
                            + op.display() + "' (position " + at + ")", at);
                }
                String value = readValue();
                if (value == null) {
                    throw expected("a value after '" + op.display() + "'", at);
                }
                yield new Argument(Set.of(value), value, at);
            }
        };
    }

    private Set<String> readList() {
        pos++; // '['
        Set<String> values = new LinkedHashSet<>();
        while (true) {
            skipSpace();
            int at = pos;
            String value = readValue();
            if (value == null) {
                throw expected("a value in the list", at);
            }
            values.add(value);
            skipSpace();
            if (peek(',')) {
                pos++;
            } else if (peek(']')) {
                pos++;
                return values;
            } else {
                throw expected("',' or ']'", pos);
            }
        }
    }

    /** Reads a quoted or unquoted value; null when there is none here. */
    private String readValue() {
        if (peek('\'')) {
            return readQuoted();
        }
        int start = pos;
        while (!atEnd() && !endsUnquoted(pos)) {
            pos++;
        }
        return pos == start ? null : src.substring(start, pos);
    }

    private boolean endsUnquoted(int at) {
        char c = src.charAt(at);
        return Character.isWhitespace(c) || DELIMITERS.indexOf(c) >= 0
                || src.startsWith("&&", at) || src.startsWith("||", at);
    }

    private String readQuoted() {
        int start = pos;
        StringBuilder value = new StringBuilder();
        pos++;
        while (!atEnd()) {
            char c = src.charAt(pos++);
            if (c != '\'') {
                value.append(c);
            } else if (peek('\'')) {
                value.append('\'');
                pos++;
            } else {
                return value.toString();
            }
        }
        throw new QuerySyntaxException("Unterminated quoted value starting at position " + start, start);
    }

    private String readSubject() {
        int start = pos;
        while (!atEnd()) {
            char c = src.charAt(pos);
            if (Character.isWhitespace(c) || DELIMITERS.indexOf(c) >= 0 || OPERATOR_CHARS.indexOf(c) >= 0) {
                break;
            }
            pos++;
        }
        return src.substring(start, pos);
    }

    /** Reads an operator spelled as a symbol or a keyword; null (nothing consumed) when there is none. */
    private Operator readOperator() {
        for (Operator op : Operator.BY_SYMBOL_LENGTH) {
            if (src.startsWith(op.symbol, pos)) {
                boolean spelledWithLetters = Character.isLetter(op.symbol.charAt(op.symbol.length() - 1));
                if (!spelledWithLetters || !isWordChar(pos + op.symbol.length())) {
                    pos += op.symbol.length();
                    return op;
                }
            }
        }
        int end = pos;
        while (end < src.length() && isWordChar(end)) {
            end++;
        }
        Operator op = Operator.byKeyword(src.substring(pos, end)).orElse(null);
        if (op != null) {
            pos = end;
        }
        return op;
    }

    private boolean acceptConnective(String symbol, String keyword) {
        skipSpace();
        if (src.startsWith(symbol, pos)) {
            pos += symbol.length();
            return true;
        }
        if (keywordAt(keyword)) {
            pos += keyword.length();
            return true;
        }
        return false;
    }

    /** Whether {@code keyword} is here as a whole word (not the start of a longer name). */
    private boolean keywordAt(String keyword) {
        return src.startsWith(keyword, pos) && !isWordChar(pos + keyword.length());
    }

    private boolean isWordChar(int at) {
        if (at >= src.length()) {
            return false;
        }
        char c = src.charAt(at);
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private void skipSpace() {
        while (!atEnd() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
    }

    private boolean peek(char c) {
        return !atEnd() && src.charAt(pos) == c;
    }

    private boolean atEnd() {
        return pos >= src.length();
    }

    private QuerySyntaxException expected(String what, int at) {
        return error("Expected " + what, at);
    }

    /** An error at {@code at}, with the position and what was found there appended. */
    QuerySyntaxException error(String message, int at) {
        return new QuerySyntaxException(message + " at position " + at + found(at), at);
    }

    private String found(int at) {
        if (at >= src.length()) {
            return ", found the end of the query";
        }
        int end = at;
        while (end < src.length() && end - at < 24 && !Character.isWhitespace(src.charAt(end))) {
            end++;
        }
        return ", found '" + src.substring(at, Math.max(end, at + 1)) + "'";
    }

    /** An operator's argument: the listed values (one for single-value operators) and where it began. */
    record Argument(Set<String> values, String single, int position) {
    }
}
