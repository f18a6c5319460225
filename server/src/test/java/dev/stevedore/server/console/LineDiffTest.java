package dev.stevedore.server.console;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineDiffTest {

    @Test
    void keepsCommonLinesAndMarksTheRest() {
        List<LineDiff.Line> diff = LineDiff.of(List.of("{", "\"cpu\": 256", "\"memory\": 512", "}"),
                List.of("{", "\"cpu\": 512", "\"memory\": 512", "\"x\": 1", "}"));

        assertThat(diff).containsExactly(
                new LineDiff.Line(LineDiff.Kind.SAME, "{"),
                new LineDiff.Line(LineDiff.Kind.REMOVED, "\"cpu\": 256"),
                new LineDiff.Line(LineDiff.Kind.ADDED, "\"cpu\": 512"),
                new LineDiff.Line(LineDiff.Kind.SAME, "\"memory\": 512"),
                new LineDiff.Line(LineDiff.Kind.ADDED, "\"x\": 1"),
                new LineDiff.Line(LineDiff.Kind.SAME, "}"));
    }
}
