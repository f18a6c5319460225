package dev.stevedore.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadingsReportTest {

    @Test
    void aReportComesBackEqual() {
        ReadingsReport report = new ReadingsReport("lb-1", List.of(
                new TargetReading("arn:tg/web", "127.0.0.1", 9001, "healthy", "", "", 3, false),
                new TargetReading("arn:tg/web", "10.0.0.7", 80, "unhealthy", "Target.ResponseCodeMismatch",
                        "Health checks failed with these codes: [502]", 0, true)));

        assertThat(ReadingsReport.fromJson(report.toJson().getBytes(StandardCharsets.UTF_8))).isEqualTo(report);
    }

    @Test
    void anIncompleteReportIsRefused() {
        assertThatThrownBy(() -> ReadingsReport.fromJson("{\"readings\":[]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReadingsReport.fromJson(("{\"processId\":\"p\",\"readings\":[{\"targetGroupId\":\"g\","
                + "\"host\":\"h\",\"port\":1}]}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReadingsReport.fromJson("nope".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
