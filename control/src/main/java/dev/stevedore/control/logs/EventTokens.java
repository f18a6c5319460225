package dev.stevedore.control.logs;

/**
 * GetLogEvents' nextForwardToken and nextBackwardToken: {@code f/} or {@code b/}, then the position (an
 * event's timestamp and number, each as 20 digits), then {@code /s}, the form AWS's tokens have.
 */
record EventTokens(boolean forward, EventPosition position) {

    static String forward(EventPosition position) {
        return "f/" + digits(position.timestamp()) + digits(position.id()) + "/s";
    }

    static String backward(EventPosition position) {
        return "b/" + digits(position.timestamp()) + digits(position.id()) + "/s";
    }

    static EventTokens parse(String token) {
        if (token.length() == 44 && (token.startsWith("f/") || token.startsWith("b/")) && token.endsWith("/s")) {
            try {
                long timestamp = number(token.substring(2, 22));
                long id = number(token.substring(22, 42));
                return new EventTokens(token.charAt(0) == 'f', new EventPosition(timestamp, id));
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw LogsErrors.invalidNextToken();
    }

    // Shifted by 2^63 so that every long, START's included, is 20 digits of an unsigned number.
    private static String digits(long value) {
        String text = Long.toUnsignedString(value ^ Long.MIN_VALUE);
        return "0".repeat(20 - text.length()) + text;
    }

    private static long number(String digits) {
        return Long.parseUnsignedLong(digits) ^ Long.MIN_VALUE;
    }
}
