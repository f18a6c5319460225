package dev.stevedore.server.console;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SignInDelaysTest {

    @Test
    void eachFailureFromOneAddressDoublesThePauseUpToTheLongestAndASuccessForgetsThem() {
        SignInDelays delays = new SignInDelays();

        assertThat(delays.failed("10.0.0.1")).isEqualTo(Duration.ofMillis(500));
        assertThat(delays.failed("10.0.0.1")).isEqualTo(Duration.ofSeconds(1));
        assertThat(delays.failed("10.0.0.1")).isEqualTo(Duration.ofSeconds(2));
        assertThat(delays.failed("10.0.0.2")).isEqualTo(Duration.ofMillis(500));
        for (int i = 0; i < 20; i++) {
            delays.failed("10.0.0.1");
        }
        assertThat(delays.failed("10.0.0.1")).isEqualTo(SignInDelays.LONGEST);

        delays.succeeded("10.0.0.1");

        assertThat(delays.failed("10.0.0.1")).isEqualTo(Duration.ofMillis(500));
    }
}
