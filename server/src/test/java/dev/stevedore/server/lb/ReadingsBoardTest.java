package dev.stevedore.server.lb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.control.elb.TargetHealthReadings.Reading;
import dev.stevedore.lb.ReadingsReport;
import dev.stevedore.lb.TargetReading;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadingsBoardTest {
    private static final Instant T0 = Instant.parse("2026-12-08T00:00:00Z");
    private static final String GROUP = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/1";

    private static TargetReading at(int port, String verdict, int inFlight, boolean draining) {
        return new TargetReading(GROUP, "127.0.0.1", port, verdict, verdict.equals("healthy") ? "" : "Target.Timeout",
                verdict.equals("healthy") ? "" : "Request timed out", inFlight, draining);
    }

    private static ReadingsReport report(String process, TargetReading... readings) {
        return new ReadingsReport(process, List.of(readings));
    }

    @Test
    void oneProcessReadsAsTheInProcessDataPlaneWould() {
        ReadingsBoard board = new ReadingsBoard();
        board.record(report("a", at(9001, "healthy", 0, false), at(9002, "unhealthy", 0, true)), T0);

        assertThat(board.reading(GROUP, "127.0.0.1", 9001, T0))
                .as("not yet draining in the data plane: held as busy, so a drain cannot end early")
                .hasValue(new Reading("healthy", "", "", 1));
        assertThat(board.reading(GROUP, "127.0.0.1", 9002, T0))
                .hasValue(new Reading("unhealthy", "Target.Timeout", "Request timed out", 0));
        assertThat(board.reading(GROUP, "127.0.0.1", 9003, T0)).isEmpty();
        assertThat(board.reading("arn:other", "127.0.0.1", 9001, T0)).isEmpty();
    }

    @Test
    void severalProcessesGiveTheWorstVerdictAndTheSumOfRequestsInFlight() {
        ReadingsBoard board = new ReadingsBoard();
        board.record(report("a", at(9001, "healthy", 2, true)), T0);
        board.record(report("b", at(9001, "unhealthy", 3, true)), T0.plusMillis(200));
        board.record(report("c", at(9001, "initial", 0, true)), T0.plusMillis(400));

        assertThat(board.reading(GROUP, "127.0.0.1", 9001, T0.plusSeconds(1)))
                .hasValue(new Reading("unhealthy", "Target.Timeout", "Request timed out", 5));
        assertThat(board.processes(T0.plusSeconds(1))).isEqualTo(3);
    }

    @Test
    void aProcessThatHasNotAppliedTheTargetYetDoesNotCount() {
        ReadingsBoard board = new ReadingsBoard();
        board.record(report("a", at(9001, "healthy", 0, false)), T0);
        board.record(report("b"), T0);

        assertThat(board.reading(GROUP, "127.0.0.1", 9001, T0)).hasValue(new Reading("healthy", "", "", 1));
    }

    @Test
    void aProcessThatStoppedReportingIsForgottenAfterAFewSeconds() {
        ReadingsBoard board = new ReadingsBoard();
        board.record(report("gone", at(9001, "unhealthy", 4, true)), T0);
        board.record(report("live", at(9001, "healthy", 0, true)), T0.plusSeconds(4));

        assertThat(board.reading(GROUP, "127.0.0.1", 9001, T0.plus(ReadingsBoard.FRESH)))
                .hasValue(new Reading("unhealthy", "Target.Timeout", "Request timed out", 4));
        assertThat(board.reading(GROUP, "127.0.0.1", 9001, T0.plus(ReadingsBoard.FRESH).plusSeconds(1)))
                .hasValue(new Reading("healthy", "", "", 0));
        assertThat(board.processes(T0.plus(ReadingsBoard.FRESH).plusSeconds(1))).isEqualTo(1);
        assertThat(board.reading(GROUP, "127.0.0.1", 9001, T0.plusSeconds(60))).isEmpty();
    }

    @Test
    void aNewerReportOfAProcessReplacesItsOlderOne() {
        ReadingsBoard board = new ReadingsBoard();
        board.record(report("a", at(9001, "initial", 0, false)), T0);
        board.record(report("a", at(9001, "healthy", 0, true)), T0.plusSeconds(1));

        assertThat(board.reading(GROUP, "127.0.0.1", 9001, T0.plusSeconds(1))).hasValue(new Reading("healthy", "", "", 0));
    }
}
