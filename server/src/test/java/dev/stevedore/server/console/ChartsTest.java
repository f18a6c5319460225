package dev.stevedore.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.AwsJson;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ChartsTest {
    private static final Instant NOW = Instant.parse("2026-12-07T16:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    /** The chart as a DOM: the markup must be well-formed, and its numbers are read back from it. */
    private static Document parse(String markup) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(markup.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> all(Document doc, String tag) {
        NodeList nodes = doc.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    private static double number(Element e, String attribute) {
        return Double.parseDouble(e.getAttribute(attribute));
    }

    @Test
    void samplesArePlacedOnTheHourAndTheAxisTopIsARoundFigureAboveTheHighestValueOrTheLimit() throws Exception {
        List<Charts.Point> points = List.of(new Charts.Point(NOW.minus(HOUR), 0.1),
                new Charts.Point(NOW.minus(Duration.ofMinutes(30)), 0.2), new Charts.Point(NOW, 0.05));

        Document doc = parse(Charts.render("cpu-chart", "CPU", Charts.Unit.VCPU, points,
                Optional.of(new Charts.Line(0.25, "reserved")), NOW, HOUR, "none"));

        Element svg = all(doc, "svg").getFirst();
        assertThat(svg.getAttribute("id")).isEqualTo("cpu-chart");
        assertThat(svg.getAttribute("data-samples")).isEqualTo("3");
        // 0.25 reserved, times 5 % headroom, rounds up to 0.5.
        assertThat(svg.getAttribute("data-top")).isEqualTo("0.5");
        List<Element> samples = all(doc, "circle");
        assertThat(samples).hasSize(3);
        assertThat(number(samples.get(0), "cx")).isEqualTo(Charts.LEFT);
        assertThat(number(samples.get(1), "cx")).isCloseTo((Charts.LEFT + Charts.RIGHT) / 2.0, within(1.0));
        assertThat(number(samples.get(2), "cx")).isEqualTo(Charts.RIGHT);
        double plot = Charts.BOTTOM - Charts.TOP;
        assertThat(number(samples.get(1), "cy")).isCloseTo(Charts.BOTTOM - plot * 0.2 / 0.5, within(1.0));
        Element limit = all(doc, "line").stream().filter(l -> l.getAttribute("class").equals("limit")).findFirst()
                .orElseThrow();
        assertThat(number(limit, "y1")).isCloseTo(Charts.BOTTOM - plot * 0.25 / 0.5, within(1.0));
        assertThat(doc.getDocumentElement().getTextContent()).contains("now 0.05 vCPU", "reserved 0.25 vCPU",
                "0.5 vCPU", "60 min ago", "now");
    }

    @Test
    void memoryReadsInMebibytesAndASampleOlderThanTheWindowStaysOnItsEdge() throws Exception {
        long mib = 1024 * 1024;
        List<Charts.Point> points = List.of(new Charts.Point(NOW.minus(Duration.ofHours(2)), 30 * mib),
                new Charts.Point(NOW.minusSeconds(10), 70 * mib));

        Document doc = parse(Charts.render("memory-chart", "Memory", Charts.Unit.BYTES, points, Optional.empty(),
                NOW, HOUR, "none"));

        assertThat(all(doc, "svg").getFirst().getAttribute("data-top")).isEqualTo("100");
        assertThat(number(all(doc, "circle").getFirst(), "cx")).isEqualTo(Charts.LEFT);
        assertThat(doc.getDocumentElement().getTextContent()).contains("now 70 MiB", "100 MiB", "50 MiB");
        assertThat(all(doc, "line")).noneMatch(l -> l.getAttribute("class").equals("limit"));
    }

    @Test
    void roundFiguresForTheAxisTop() {
        assertThat(Charts.niceCeiling(0.0123)).isCloseTo(0.02, within(1e-12));
        assertThat(Charts.niceCeiling(2.2)).isEqualTo(2.5);
        assertThat(Charts.niceCeiling(300)).isEqualTo(500);
        assertThat(Charts.niceCeiling(1000)).isEqualTo(1000);
        assertThat(Charts.niceCeiling(0)).isEqualTo(1);
        assertThat(Charts.number(0.000123456)).isEqualTo("0.000123");
        assertThat(Charts.number(1234567)).isEqualTo("1230000");
    }

    @Test
    void withoutSamplesASentenceIsShownInsteadOfAnEmptyChart() throws Exception {
        Document doc = parse(Charts.render("cpu-chart", "CPU", Charts.Unit.VCPU, List.of(),
                Optional.of(new Charts.Line(1, "reserved")), NOW, HOUR, "No samples yet."));

        assertThat(all(doc, "svg")).isEmpty();
        Element empty = all(doc, "p").getFirst();
        assertThat(empty.getAttribute("id")).isEqualTo("cpu-chart");
        assertThat(empty.getTextContent()).isEqualTo("No samples yet.");
    }

    @Test
    void textInAChartIsEscaped() throws Exception {
        String markup = Charts.render("a\"b", "<script>x()</script>", Charts.Unit.VCPU,
                List.of(new Charts.Point(NOW, 1)), Optional.of(new Charts.Line(2, "<b>limit</b>")), NOW, HOUR, "");

        assertThat(markup).doesNotContain("<script>", "<b>").contains("&lt;script&gt;", "&lt;b&gt;limit");
        Document doc = parse(markup);
        assertThat(all(doc, "script")).isEmpty();
        assertThat(all(doc, "svg").getFirst().getAttribute("id")).isEqualTo("a\"b");
        assertThat(Charts.render("x", "<i>", Charts.Unit.VCPU, List.of(), Optional.empty(), NOW, HOUR, "<u>"))
                .doesNotContain("<i>", "<u>");
    }

    @Test
    void aTasksReservationIsItsTaskLevelSizeElseItsContainersSummed() throws Exception {
        JsonNode sized = AwsJson.mapper().readTree("""
                {"cpu": "512", "memory": "1024", "containers": [{"cpu": "0", "memory": "16"}]}""");
        JsonNode containers = AwsJson.mapper().readTree("""
                {"containers": [{"cpu": "256", "memory": "16"}, {"cpu": "0", "memory": "32"}]}""");
        JsonNode unlimited = AwsJson.mapper().readTree("""
                {"containerDefinitions": [{"cpu": 0, "memory": 16}, {"memoryReservation": 64}]}""");

        assertThat(StatsCharts.cpuReserved(sized, "containers")).contains(new Charts.Line(0.5, "reserved"));
        assertThat(StatsCharts.memoryLimit(sized, "containers")).contains(new Charts.Line(1024.0 * 1024 * 1024, "limit"));
        assertThat(StatsCharts.cpuReserved(containers, "containers")).contains(new Charts.Line(0.25, "reserved"));
        assertThat(StatsCharts.memoryLimit(containers, "containers")).contains(new Charts.Line(48.0 * 1024 * 1024, "limit"));
        assertThat(StatsCharts.cpuReserved(unlimited, "containerDefinitions")).isEmpty();
        assertThat(StatsCharts.memoryLimit(unlimited, "containerDefinitions")).isEmpty();
    }
}
