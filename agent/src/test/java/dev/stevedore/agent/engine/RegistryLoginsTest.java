package dev.stevedore.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.agent.runtime.RegistryAuth;
import dev.stevedore.model.agent.TaskCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryLoginsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final TaskCredentials EXECUTION = new TaskCredentials("id", TaskCredentials.Role.EXECUTION,
            "arn:aws:iam::123456789012:role/exec", "ASIA1", "secret", "token", NOW.plusSeconds(3600));

    /** Counts the tokens asked for, each valid 12 hours from the clock's time, numbered. */
    private static final class CountingTokens implements RegistryTokens {
        final List<String> asked = new ArrayList<>();
        Instant now = NOW;

        @Override
        public Optional<String> registry() {
            return Optional.of("127.0.0.1:5000");
        }

        @Override
        public Token token(Optional<TaskCredentials> executionRole, String region) {
            asked.add(executionRole.map(TaskCredentials::roleArn).orElse("instance") + " " + region);
            return new Token("AWS", "password-" + asked.size(), now.plus(Duration.ofHours(12)));
        }
    }

    @Test
    void onlyImagesOfTheRegistryItselfNeedAToken() {
        RegistryLogins logins = new RegistryLogins(new CountingTokens(), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(logins.holds("127.0.0.1:5000/team/app:1")).isTrue();
        assertThat(logins.holds("127.0.0.1:5001/team/app:1")).isFalse();
        assertThat(logins.holds("127.0.0.1:5000")).isFalse();
        assertThat(logins.holds("busybox")).isFalse();
        assertThat(new RegistryLogins(RegistryTokens.NONE, Clock.systemUTC()).holds("127.0.0.1:5000/app")).isFalse();
    }

    @Test
    void aTokenIsKeptPerRoleAndRegionUntilHalfAnHourToAnHourBeforeItExpires() {
        CountingTokens tokens = new CountingTokens();
        Instant[] now = {NOW};
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now[0]; }
        };
        RegistryLogins logins = new RegistryLogins(tokens, clock);

        RegistryAuth first = logins.login(Optional.of(EXECUTION), "us-east-1");
        assertThat(logins.login(Optional.of(EXECUTION), "us-east-1")).isEqualTo(first);
        assertThat(logins.login(Optional.empty(), "us-east-1").password()).isEqualTo("password-2");
        assertThat(logins.login(Optional.of(EXECUTION), "eu-west-1").password()).isEqualTo("password-3");
        assertThat(tokens.asked).containsExactly("arn:aws:iam::123456789012:role/exec us-east-1", "instance us-east-1",
                "arn:aws:iam::123456789012:role/exec eu-west-1");

        now[0] = NOW.plus(Duration.ofHours(11));
        assertThat(logins.login(Optional.of(EXECUTION), "us-east-1")).isEqualTo(first);
        now[0] = NOW.plus(Duration.ofHours(11)).plus(Duration.ofMinutes(30));
        tokens.now = now[0];
        assertThat(logins.login(Optional.of(EXECUTION), "us-east-1").password()).isEqualTo("password-4");
    }

    @Test
    void aRefusalIsNotKept() {
        RegistryLogins logins = new RegistryLogins(RegistryTokens.NONE, Clock.systemUTC());

        assertThatThrownBy(() -> logins.login(Optional.empty(), "us-east-1")).isInstanceOf(RegistryTokens.TokenRefusedException.class);
        assertThatThrownBy(() -> logins.login(Optional.empty(), "us-east-1")).isInstanceOf(RegistryTokens.TokenRefusedException.class);
    }
}
