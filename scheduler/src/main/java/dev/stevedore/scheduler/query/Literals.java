package dev.stevedore.scheduler.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Conversions of query literals to the types their subjects compare as. */
final class Literals {

    private Literals() {
    }

    /**
     * Parses the {@code registeredAt} date forms the developer guide lists:
     * {@code 2018-06-18T22:28:28+00:00}, {@code 2018-06-18T22:28:28Z}, {@code 2018-06-18T22:28:28}
     * and {@code 2018-06-18}. Forms without an offset are read as UTC (registration times are UTC
     * in ECS); a bare date means its first instant.
     */
    static Optional<Instant> instant(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException notWithOffset) {
            // fall through to the forms without an offset
        }
        try {
            return Optional.of(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException notDateTime) {
            // fall through to the bare date
        }
        try {
            return Optional.of(LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException notDate) {
            return Optional.empty();
        }
    }

    /** A plain decimal number ({@code -12}, {@code 3.5}); exponents and signs like {@code +} are not numbers here. */
    static Optional<BigDecimal> number(String text) {
        int k = text.startsWith("-") ? 1 : 0;
        int digits = 0;
        boolean dot = false;
        for (; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return Optional.empty();
            }
        }
        if (digits == 0 || text.endsWith(".")) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal(text));
    }
}
