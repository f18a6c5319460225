package dev.stevedore.agent.api;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentCredentialsTest {

    @Test
    void theAwsVariablesComeFirst() {
        AgentCredentials c = AgentCredentials.fromEnvironment(Map.of(
                "AWS_ACCESS_KEY_ID", "AKIAAWS", "AWS_SECRET_ACCESS_KEY", "aws-secret", "AWS_SESSION_TOKEN", "tok",
                "STEVEDORE_ACCESS_KEY_ID", "AKIASTEVEDORE", "STEVEDORE_SECRET_ACCESS_KEY", "s-secret"));

        assertThat(c).isEqualTo(new AgentCredentials("AKIAAWS", "aws-secret", Optional.of("tok")));
    }

    @Test
    void stevedoresVariablesAreTheFallback() {
        assertThat(AgentCredentials.fromEnvironment(Map.of(
                "STEVEDORE_ACCESS_KEY_ID", "AKIASTEVEDORE", "STEVEDORE_SECRET_ACCESS_KEY", "s-secret", "AWS_ACCESS_KEY_ID", "")))
                .isEqualTo(AgentCredentials.of("AKIASTEVEDORE", "s-secret"));
    }

    @Test
    void withoutAnyTheMessageNamesTheVariables() {
        assertThatThrownBy(() -> AgentCredentials.fromEnvironment(Map.of()))
                .hasMessageContaining("AWS_ACCESS_KEY_ID").hasMessageContaining("STEVEDORE_ACCESS_KEY_ID");
    }

    @Test
    void theSecretNeverShowsInLogs() {
        assertThat(AgentCredentials.of("AKIAX", "very-secret").toString()).doesNotContain("very-secret");
    }
}
