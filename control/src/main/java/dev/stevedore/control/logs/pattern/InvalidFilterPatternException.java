package dev.stevedore.control.logs.pattern;

/** A filter pattern that is not in the language: what it is and where parsing stopped. */
public final class InvalidFilterPatternException extends RuntimeException {
    InvalidFilterPatternException(String detail) {
        super(detail);
    }
}
