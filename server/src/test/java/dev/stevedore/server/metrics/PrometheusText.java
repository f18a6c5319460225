package dev.stevedore.server.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: every line must be a
 * {@code # HELP}, a {@code # TYPE}, another comment, or a sample; names, label names and escapes must
 * be as the format defines them; a family's TYPE comes once and before its samples; no sample repeats;
 * a histogram's buckets are cumulative and its {@code +Inf} bucket equals its count. Anything else
 * throws. (Prometheus' Java client writes this format but has no reader of it.)
 */
final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;
    private final Map<String, String> types;

    private PrometheusText(List<Sample> samples, Map<String, String> types) {
        this.samples = samples;
        this.types = types;
    }

    static PrometheusText parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition does not end with a line feed");
        }
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        Set<String> familiesWithSamples = new HashSet<>();
        Set<String> seen = new HashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            try {
                if (line.startsWith("#")) {
                    comment(line, types, familiesWithSamples);
                } else if (!line.isBlank()) {
                    Sample sample = new SampleReader(line).read();
                    String family = familyOf(sample.name(), types);
                    familiesWithSamples.add(family);
                    if (!seen.add(sample.name() + new TreeMap<>(sample.labels()))) {
                        throw new IllegalArgumentException("repeated sample");
                    }
                    samples.add(sample);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " '" + line + "': " + e.getMessage(), e);
            }
        }
        PrometheusText parsed = new PrometheusText(List.copyOf(samples), Map.copyOf(types));
        parsed.checkHistograms();
        return parsed;
    }

    private static void comment(String line, Map<String, String> types, Set<String> familiesWithSamples) {
        String[] parts = line.split(" ", 4);
        if (parts.length < 3 || !parts[0].equals("#") || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
            return;  // an ordinary comment
        }
        requireName(METRIC_NAME, parts[2]);
        if (parts[1].equals("TYPE")) {
            if (parts.length != 4 || !TYPES.contains(parts[3])) {
                throw new IllegalArgumentException("bad TYPE");
            }
            if (types.put(parts[2], parts[3]) != null) {
                throw new IllegalArgumentException("second TYPE for " + parts[2]);
            }
            if (familiesWithSamples.contains(parts[2])) {
                throw new IllegalArgumentException("TYPE after samples of " + parts[2]);
            }
        }
    }

    private static String familyOf(String sampleName, Map<String, String> types) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || "summary".equals(type) && !suffix.equals("_bucket")) {
                    return base;
                }
            }
        }
        return sampleName;
    }

    private static void requireName(Pattern pattern, String name) {
        if (!pattern.matcher(name).matches()) {
            throw new IllegalArgumentException("bad name '" + name + "'");
        }
    }

    private void checkHistograms() {
        types.forEach((family, type) -> {
            if (!type.equals("histogram")) {
                return;
            }
            Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
            for (Sample s : samples) {
                if (s.name().equals(family + "_bucket")) {
                    Map<String, String> series = new TreeMap<>(s.labels());
                    if (series.remove("le") == null) {
                        throw new IllegalArgumentException(family + ": a bucket without le");
                    }
                    buckets.computeIfAbsent(series, k -> new ArrayList<>()).add(s);
                }
            }
            buckets.forEach((series, list) -> {
                double previous = 0;
                double previousBound = Double.NEGATIVE_INFINITY;
                for (Sample b : list) {
                    double bound = parseValue(b.labels().get("le"));
                    if (bound <= previousBound || b.value() < previous) {
                        throw new IllegalArgumentException(family + series + ": buckets not cumulative");
                    }
                    previous = b.value();
                    previousBound = bound;
                }
                if (previousBound != Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException(family + series + ": no +Inf bucket");
                }
                double count = value(family + "_count", series).orElseThrow(
                        () -> new IllegalArgumentException(family + series + ": no _count"));
                if (count != previous) {
                    throw new IllegalArgumentException(family + series + ": +Inf bucket " + previous + " != count " + count);
                }
            });
        });
    }

    /** The TYPE of a family, if declared. */
    Optional<String> type(String family) {
        return Optional.ofNullable(types.get(family));
    }

    /** The names of every sample. */
    Set<String> names() {
        Set<String> names = new HashSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The value of the sample with exactly these labels. */
    Optional<Double> value(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels))
                .map(Sample::value).findFirst();
    }

    /** The sum over the samples of {@code name} whose labels include {@code labels}. */
    double sum(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    static double parseValue(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                if (!text.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                    throw new IllegalArgumentException("bad value '" + text + "'");
                }
                yield Double.parseDouble(text);
            }
        };
    }

    /** Reads one sample line: {@code name{label="value",...} value [timestamp]}. */
    private static final class SampleReader {
        private final String line;
        private int at;

        SampleReader(String line) {
            this.line = line;
        }

        Sample read() {
            String name = token("{ ");
            requireName(METRIC_NAME, name);
            Map<String, String> labels = new LinkedHashMap<>();
            if (at < line.length() && line.charAt(at) == '{') {
                at++;
                while (line.charAt(at) != '}') {
                    String label = token("=");
                    requireName(LABEL_NAME, label);
                    expect('=');
                    expect('"');
                    if (labels.put(label, quoted()) != null) {
                        throw new IllegalArgumentException("repeated label " + label);
                    }
                    if (line.charAt(at) == ',') {
                        at++;
                    } else if (line.charAt(at) != '}') {
                        throw new IllegalArgumentException("expected , or } at " + at);
                    }
                }
                at++;
            }
            expect(' ');
            String[] rest = line.substring(at).split(" ", -1);
            if (rest.length > 2) {
                throw new IllegalArgumentException("trailing text");
            }
            double value = parseValue(rest[0]);
            if (rest.length == 2 && !rest[1].matches("-?\\d+")) {
                throw new IllegalArgumentException("bad timestamp");
            }
            return new Sample(name, Map.copyOf(labels), value);
        }

        private String token(String stops) {
            int start = at;
            while (at < line.length() && stops.indexOf(line.charAt(at)) < 0) {
                at++;
            }
            return line.substring(start, at);
        }

        private void expect(char c) {
            if (at >= line.length() || line.charAt(at) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + at);
            }
            at++;
        }

        private String quoted() {
            StringBuilder value = new StringBuilder();
            while (true) {
                char c = line.charAt(at++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\') {
                    char e = line.charAt(at++);
                    value.append(switch (e) {
                        case '\\' -> '\\';
                        case '"' -> '"';
                        case 'n' -> '\n';
                        default -> throw new IllegalArgumentException("bad escape \\" + e);
                    });
                } else {
                    value.append(c);
                }
            }
        }
    }
}
