package dev.stevedore.agent.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentDataDirTest {
    @TempDir
    Path dir;

    @Test
    void anInstanceIdIsMadeOnceAndKept() {
        String first = AgentDataDir.open(dir).instanceId(Optional.empty());

        assertThat(first).matches("i-[0-9a-f]{17}");
        assertThat(AgentDataDir.open(dir).instanceId(Optional.empty())).isEqualTo(first);
    }

    @Test
    void aRequestedInstanceIdWinsAndIsKeptFromThenOn() {
        AgentDataDir data = AgentDataDir.open(dir);
        data.instanceId(Optional.empty());

        assertThat(data.instanceId(Optional.of("i-host7"))).isEqualTo("i-host7");
        assertThat(AgentDataDir.open(dir).instanceId(Optional.empty())).isEqualTo("i-host7");
        assertThatThrownBy(() -> data.instanceId(Optional.of("no spaces"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRegistrationIsRememberedForItsClusterAndInstanceIdOnly() {
        AgentDataDir data = AgentDataDir.open(dir);
        data.saveRegistration("default", "i-1", "arn:ci/default/1");

        assertThat(AgentDataDir.open(dir).registeredInstance("default", "i-1")).contains("arn:ci/default/1");
        assertThat(data.registeredInstance("other", "i-1")).isEmpty();
        assertThat(data.registeredInstance("default", "i-2")).isEmpty();
    }

    @Test
    void twoAgentsWithTheirOwnDirectoriesAreTwoHosts(@TempDir Path other) {
        assertThat(AgentDataDir.open(dir).instanceId(Optional.empty()))
                .isNotEqualTo(AgentDataDir.open(other).instanceId(Optional.empty()));
    }
}
