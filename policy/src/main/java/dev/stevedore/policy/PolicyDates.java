package dev.stevedore.policy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.OptionalLong;

/** Dates as the Date operators read them: ISO 8601 (date, date-time, with or without zone) or epoch seconds. */
final class PolicyDates {
    private PolicyDates() {}

    /** Milliseconds since the epoch, or empty when {@code text} is not a date IAM reads. */
    static OptionalLong epochMillis(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return OptionalLong.empty();
        }
        if (s.chars().allMatch(Character::isDigit)) {
            if (s.length() > 15) {
                return OptionalLong.empty(); // beyond any date java.time or IAM reads
            }
            return OptionalLong.of(Long.parseLong(s) * 1000);
        }
        String iso = s.toUpperCase(Locale.ROOT);
        try {
            return OptionalLong.of(OffsetDateTime.parse(iso).toInstant().toEpochMilli());
        } catch (DateTimeParseException notOffset) {
            try {
                return OptionalLong.of(LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC).toEpochMilli());
            } catch (DateTimeParseException notLocal) {
                try {
                    return OptionalLong.of(LocalDate.parse(iso).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli());
                } catch (DateTimeParseException notDate) {
                    return OptionalLong.empty();
                }
            }
        }
    }
}
