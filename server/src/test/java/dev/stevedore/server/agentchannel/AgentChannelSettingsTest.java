package dev.stevedore.server.agentchannel;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentChannelSettingsTest {

    @Test
    void defaultsPingEveryFiveSecondsAndGiveAgentsThirtySecondsAfterAStart() {
        AgentChannelSettings d = AgentChannelSettings.defaults();

        assertThat(d.pingInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.unresponsiveAfter()).isEqualTo(Duration.ofSeconds(15));
        assertThat(d.presenceGrace()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void silenceMustOutlastAPingInterval() {
        assertThatThrownBy(() -> AgentChannelSettings.defaults().withPings(Duration.ofSeconds(5), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgentChannelSettings.defaults().withPresenceGrace(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
