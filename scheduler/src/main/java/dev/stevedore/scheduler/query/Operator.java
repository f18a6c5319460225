package dev.stevedore.scheduler.query;

import java.util.Optional;

/** The comparison operators of the cluster query language, each with its symbol and keyword spellings. */
enum Operator {
    EQUALS("==", "equals", Argument.SINGLE),
    NOT_EQUALS("!=", "not_equals", Argument.SINGLE),
    GREATER_THAN(">", "greater_than", Argument.SINGLE),
    GREATER_THAN_EQUAL(">=", "greater_than_equal", Argument.SINGLE),
    LESS_THAN("<", "less_than", Argument.SINGLE),
    LESS_THAN_EQUAL("<=", "less_than_equal", Argument.SINGLE),
    EXISTS("", "exists", Argument.NONE),
    NOT_EXISTS("!exists", "not_exists", Argument.NONE),
    IN("", "in", Argument.LIST),
    NOT_IN("!in", "not_in", Argument.LIST),
    MATCHES("=~", "matches", Argument.SINGLE),
    NOT_MATCHES("!~", "not_matches", Argument.SINGLE);

    /** What follows the operator. */
    enum Argument { NONE, SINGLE, LIST }

    /** Symbols in the order a scanner must try them: longer spellings before their prefixes. */
    static final Operator[] BY_SYMBOL_LENGTH = {
        NOT_EXISTS, NOT_IN, EQUALS, NOT_EQUALS, GREATER_THAN_EQUAL, LESS_THAN_EQUAL, MATCHES,
        NOT_MATCHES, GREATER_THAN, LESS_THAN
    };

    final String symbol;
    final String keyword;
    final Argument argument;

    Operator(String symbol, String keyword, Argument argument) {
        this.symbol = symbol;
        this.keyword = keyword;
        this.argument = argument;
    }

    static Optional<Operator> byKeyword(String word) {
        for (Operator op : values()) {
            if (op.keyword.equals(word)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }

    /** The spelling used in messages: the symbol where there is one. */
    String display() {
        return symbol.isEmpty() ? keyword : symbol;
    }
}
