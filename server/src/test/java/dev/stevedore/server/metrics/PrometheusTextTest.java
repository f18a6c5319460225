package dev.stevedore.server.metrics;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrometheusTextTest {

    @Test
    void readsSamplesWithEscapedLabelsAndChecksHistograms() {
        PrometheusText text = PrometheusText.parse("""
                # HELP a_seconds Latency.
                # TYPE a_seconds histogram
                a_seconds_bucket{op="x\\"y",le="0.1"} 1.0
                a_seconds_bucket{op="x\\"y",le="+Inf"} 3.0
                a_seconds_count{op="x\\"y"} 3.0
                a_seconds_sum{op="x\\"y"} 0.5
                # TYPE up gauge
                up 1
                """);

        assertThat(text.value("a_seconds_count", Map.of("op", "x\"y"))).contains(3.0);
        assertThat(text.value("up", Map.of())).contains(1.0);
        assertThat(text.type("a_seconds")).contains("histogram");
    }

    @Test
    void refusesWhatTheFormatDoesNotAllow() {
        assertThatThrownBy(() -> PrometheusText.parse("up 1")).hasMessageContaining("line feed");
        assertThatThrownBy(() -> PrometheusText.parse("1up 1\n")).hasMessageContaining("bad name");
        assertThatThrownBy(() -> PrometheusText.parse("up{a=\"b\"} 1\nup{a=\"b\"} 2\n")).hasMessageContaining("repeated");
        assertThatThrownBy(() -> PrometheusText.parse("up one\n")).hasMessageContaining("bad value");
        assertThatThrownBy(() -> PrometheusText.parse("up 1\n# TYPE up gauge\n")).hasMessageContaining("TYPE after");
        assertThatThrownBy(() -> PrometheusText.parse("""
                # TYPE h histogram
                h_bucket{le="1"} 2
                h_bucket{le="+Inf"} 1
                h_count 1
                """)).hasMessageContaining("cumulative");
    }
}
