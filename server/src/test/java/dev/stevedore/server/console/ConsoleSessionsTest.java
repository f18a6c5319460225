package dev.stevedore.server.console;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleSessionsTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private final ConsoleSessions here = new ConsoleSessions("this server".getBytes(StandardCharsets.UTF_8),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aSessionThisServerMadeVerifiesWithItsKeyAndRegionButNoSecret() {
        String cookie = here.create("AKIAEXAMPLE", "eu-west-1");

        assertThat(here.verify(cookie)).hasValueSatisfying(s -> {
            assertThat(s.accessKeyId()).isEqualTo("AKIAEXAMPLE");
            assertThat(s.region()).isEqualTo("eu-west-1");
        });
    }

    @Test
    void aCookieOfAnotherServerIsRefused() {
        ConsoleSessions other = new ConsoleSessions("another server".getBytes(StandardCharsets.UTF_8),
                Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(here.verify(other.create("AKIAEXAMPLE", "us-east-1"))).isEmpty();
    }

    @Test
    void aChangedOrExpiredCookieIsRefused() {
        String cookie = here.create("AKIAEXAMPLE", "us-east-1");
        String forged = cookie.substring(0, 5) + (cookie.charAt(5) == 'A' ? 'B' : 'A') + cookie.substring(6);
        ConsoleSessions later = new ConsoleSessions("this server".getBytes(StandardCharsets.UTF_8),
                Clock.fixed(NOW.plus(ConsoleSessions.LIFETIME), ZoneOffset.UTC));

        assertThat(here.verify(forged)).isEmpty();
        assertThat(here.verify("garbage")).isEmpty();
        assertThat(later.verify(cookie)).isEmpty();
    }

    @Test
    void theCsrfTokenBelongsToOneSession() {
        ConsoleSessions.Session one = here.verify(here.create("AKIAEXAMPLE", "us-east-1")).orElseThrow();
        ConsoleSessions.Session two = here.verify(here.create("AKIAEXAMPLE", "us-east-1")).orElseThrow();

        assertThat(here.csrfValid(one, here.csrfToken(one))).isTrue();
        assertThat(here.csrfValid(one, here.csrfToken(two))).isFalse();
        assertThat(here.csrfValid(one, "")).isFalse();
    }

    @Test
    void aSignedOutSessionNoLongerVerifies() {
        String cookie = here.create("AKIAEXAMPLE", "us-east-1");
        ConsoleSessions.Session session = here.verify(cookie).orElseThrow();

        here.signOut(session);

        assertThat(here.verify(cookie)).isEmpty();
        assertThat(here.verify(here.create("AKIAEXAMPLE", "us-east-1"))).isPresent();
    }
}
