package dev.stevedore.server.console;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A time series as inline SVG, drawn on the server: the pages' content security policy allows no
 * script of the page's own and no inline style, so a chart is markup whose look comes from the
 * console's stylesheet (classes only). Every text in it goes through {@link Html#text}.
 */
final class Charts {
    static final int WIDTH = 640;
    static final int HEIGHT = 180;
    static final int LEFT = 84;
    static final int RIGHT = WIDTH - 12;
    static final int TOP = 14;
    static final int BOTTOM = HEIGHT - 26;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Charts() {
    }

    /** A value at a time. */
    record Point(Instant at, double value) {
    }

    /** How values read: the axis is drawn in {@code display} units (a vCPU, a MiB). */
    enum Unit {
        VCPU(1, "vCPU"),
        BYTES(1024 * 1024, "MiB");

        final double display;
        final String symbol;

        Unit(double display, String symbol) {
            this.display = display;
            this.symbol = symbol;
        }

        String format(double value) {
            return number(value / display) + " " + symbol;
        }
    }

    /** A horizontal line across the chart: a reservation or a limit, with what it is. */
    record Line(double value, String label) {
    }

    /**
     * The chart of {@code points} over the {@code window} that ends {@code now}, with {@code limit}
     * drawn across when known; a sentence instead when there are no points. {@code id} names the
     * element (tests and the stylesheet find it by it).
     */
    static String render(String id, String title, Unit unit, List<Point> points, Optional<Line> limit,
                         Instant now, Duration window, String empty) {
        if (points.isEmpty()) {
            return "<figure class=\"chart\"><figcaption>" + Html.text(title) + "</figcaption><p class=\"chart-empty\" id=\""
                    + Html.text(id) + "\">" + Html.text(empty) + "</p></figure>";
        }
        double highest = points.stream().mapToDouble(Point::value).max().orElse(0);
        double top = niceCeiling(Math.max(highest, limit.map(Line::value).orElse(0.0)) * 1.05 / unit.display)
                * unit.display;
        Instant from = now.minus(window);
        StringBuilder svg = new StringBuilder("<figure class=\"chart\"><figcaption>").append(Html.text(title))
                .append(" · now ").append(Html.text(unit.format(points.getLast().value())))
                .append(limit.map(l -> " · " + Html.text(l.label()) + " " + Html.text(unit.format(l.value()))).orElse(""))
                .append("</figcaption><svg id=\"").append(Html.text(id)).append("\" class=\"chart\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\" data-samples=\"").append(points.size())
                .append("\" data-top=\"").append(number(top / unit.display)).append("\"><title>").append(Html.text(title))
                .append("</title>");
        for (double fraction : new double[] {0, 0.5, 1}) {
            double y = y(fraction * top, top);
            svg.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(RIGHT).append("\" y1=\"")
                    .append(number(y)).append("\" y2=\"").append(number(y)).append("\"/><text class=\"tick\" x=\"")
                    .append(LEFT - 6).append("\" y=\"").append(number(y + 4)).append("\" text-anchor=\"end\">")
                    .append(Html.text(unit.format(fraction * top))).append("</text>");
        }
        long minutes = window.toMinutes();
        svg.append(xLabel(LEFT, "start", minutes + " min ago")).append(xLabel((LEFT + RIGHT) / 2.0, "middle",
                minutes / 2 + " min ago")).append(xLabel(RIGHT, "end", "now"));
        limit.ifPresent(l -> {
            double y = y(l.value(), top);
            svg.append("<line class=\"limit\" x1=\"").append(LEFT).append("\" x2=\"").append(RIGHT).append("\" y1=\"")
                    .append(number(y)).append("\" y2=\"").append(number(y)).append("\"><title>")
                    .append(Html.text(l.label() + " " + unit.format(l.value()))).append("</title></line>");
        });
        svg.append("<polyline class=\"series\" points=\"");
        for (Point p : points) {
            svg.append(number(x(p.at(), from, window))).append(',').append(number(y(p.value(), top))).append(' ');
        }
        svg.append("\"/>");
        for (Point p : points) {
            svg.append("<circle class=\"sample\" r=\"2.5\" cx=\"").append(number(x(p.at(), from, window)))
                    .append("\" cy=\"").append(number(y(p.value(), top))).append("\"><title>")
                    .append(Html.text(CLOCK.format(p.at()) + " UTC: " + unit.format(p.value()))).append("</title></circle>");
        }
        return svg.append("</svg></figure>").toString();
    }

    private static String xLabel(double x, String anchor, String label) {
        return "<text class=\"tick\" x=\"" + number(x) + "\" y=\"" + (HEIGHT - 8) + "\" text-anchor=\"" + anchor + "\">"
                + Html.text(label) + "</text>";
    }

    /** Where {@code at} falls between the left (the window's start) and right (now) edges; clamped. */
    static double x(Instant at, Instant from, Duration window) {
        double fraction = (double) Duration.between(from, at).toMillis() / window.toMillis();
        return LEFT + Math.max(0, Math.min(1, fraction)) * (RIGHT - LEFT);
    }

    /** Zero at the bottom, {@code top} at the top. */
    static double y(double value, double top) {
        return BOTTOM - Math.max(0, Math.min(1, value / top)) * (BOTTOM - TOP);
    }

    /**
     * The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least {@code value}: an axis top
     * that reads well. One for nothing at all, so a chart of zeros has an axis.
     */
    static double niceCeiling(double value) {
        if (!(value > 0)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * power >= value * (1 - 1e-9)) {
                return step * power;
            }
        }
        return 10 * power;
    }

    /** Up to three significant digits, no exponent, no trailing zeros. */
    static String number(double value) {
        if (value == 0) {
            return "0";
        }
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
