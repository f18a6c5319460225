package dev.stevedore.bench.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The benchmark's results as markdown: sections, rows and the tables several phases share. */
final class MarkdownReport {
    private final StringBuilder out = new StringBuilder();

    void burstRow(String name, List<Long> nanos, double cliMedian, double apiMedian) {
        burstRow(name, nanos, cliMedian, apiMedian, true);
    }

    void burstRow(String name, List<Long> nanos, double cliMedian, double apiMedian, boolean ratios) {
        StringBuilder b = new StringBuilder("| " + name + " |");
        for (long n : nanos) {
            b.append(' ').append(n == 0 ? "—" : Distribution.ms(n / 1e6)).append(" |");
        }
        Distribution d = Distribution.of(nanos.stream().filter(n -> n != 0).toList());
        b.append(' ').append(Distribution.ms(d.medianMillis())).append(" | ").append(Distribution.ms(d.maxMillis()))
                .append(" | ").append(ratios ? ratio(d.medianMillis(), cliMedian) : "")
                .append(" | ").append(ratios ? ratio(d.medianMillis(), apiMedian) : "").append(" |");
        row(b.toString());
    }

    /** The header of a table of {@link #line} rows. */
    void startsHeader() {
        row("| from the call to a running container | n | median ms | p90 ms | p99 ms | min ms | median ÷ docker run | "
                + "p99 ÷ docker run | median ÷ docker-java | p99 ÷ docker-java |");
        row("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    }

    String line(String name, Distribution d, Distribution cli, Distribution api) {
        return String.format("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |", name, d.count(),
                Distribution.ms(d.medianMillis()), Distribution.ms(d.percentileMillis(90)),
                Distribution.ms(d.percentileMillis(99)), Distribution.ms(d.minMillis()),
                ratio(d.medianMillis(), cli.medianMillis()), ratio(d.percentileMillis(99), cli.percentileMillis(99)),
                ratio(d.medianMillis(), api.medianMillis()), ratio(d.percentileMillis(99), api.percentileMillis(99)));
    }

    static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "—" : String.format("%.2f×", a / b);
    }

    void stages(String title, Sample.Series s, List<String> marks, List<String> meaning) {
        row("");
        row(title + ":");
        row("");
        row("| stage | what happens there | median ms | p90 ms | median from the call ms |");
        row("|---|---|---:|---:|---:|");
        String previous = "";
        for (int i = 0; i < marks.size(); i++) {
            String m = marks.get(i);
            int at = i;
            Distribution d = m.equals(TasksBenchmark.M_END) ? s.totals() : s.offset(m);
            Distribution step = m.equals(TasksBenchmark.M_END) ? Distribution.of(s.samples.stream()
                    .filter(x -> previousMark(x, marks, at) != 0).map(x -> x.end() - previousMark(x, marks, at)).toList())
                    : s.between(previous, m);
            row(String.format("| %s → %s | %s | %s | %s | %s |", previous.isEmpty() ? "call" : previous, m, meaning.get(i),
                    Distribution.ms(step.medianMillis()), Distribution.ms(step.percentileMillis(90)),
                    Distribution.ms(d.medianMillis())));
            previous = m;
        }
    }

    void cpuTable(String title, List<Sample.Series> kinds) {
        row("");
        row(title + ", mean CPU milliseconds:");
        row("");
        List<String> parties = new ArrayList<>(kinds.get(0).meanCpu().keySet());
        StringBuilder header = new StringBuilder("| kind | wall ms |");
        StringBuilder rule = new StringBuilder("|---|---:|");
        for (String p : parties) {
            header.append(' ').append(p).append(" |");
            rule.append("---:|");
        }
        row(header.toString());
        row(rule.toString());
        for (Sample.Series k : kinds) {
            Map<String, Double> mean = k.meanCpu();
            StringBuilder b = new StringBuilder("| " + k.name + " | " + Distribution.ms(k.meanSeconds() * 1e3) + " |");
            for (String p : parties) {
                b.append(' ').append(Distribution.ms(mean.getOrDefault(p, 0.0) * 1e3)).append(" |");
            }
            row(b.toString());
        }
        row("");
        row("Two cores give at most 2 CPU-ms per wall-ms. The machine column includes everything else that ran "
                + "(other builds on this shared machine, the containers' shims and runc).");
    }

    private static long previousMark(Sample x, List<String> marks, int i) {
        return i == 0 ? x.t0() : x.marks().getOrDefault(marks.get(i - 1), 0L);
    }

    /** The header of a table with one column per round of a burst, then the median, the maximum and ratios. */
    void burstHeader(int burst, int rounds) {
        StringBuilder header = new StringBuilder("| until the last of " + burst + " runs |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int r = 1; r <= rounds; r++) {
            header.append(" round ").append(r).append(" ms |");
            rule.append("---:|");
        }
        header.append(" median ms | max ms | median ÷ docker run | median ÷ docker-java |");
        rule.append("---:|---:|---:|---:|");
        row(header.toString());
        row(rule.toString());
    }

    /**
     * Medians of the first and the second half of the samples, side by side: a drift in both kinds
     * is load from elsewhere, one in Stevedore alone is state that grows with every task (stopped
     * tasks stay listed for an hour).
     */
    void halves(Sample.Series stevedore, Sample.Series reference) {
        int half = stevedore.samples.size() / 2;
        int all = stevedore.samples.size();
        row(String.format("Medians over the first %d samples and the last %d: %s %s → %s ms, %s %s → %s ms.", half, all - half,
                stevedore.name, Distribution.ms(stevedore.totals(0, half).medianMillis()),
                Distribution.ms(stevedore.totals(half, all).medianMillis()), reference.name,
                Distribution.ms(reference.totals(0, half).medianMillis()),
                Distribution.ms(reference.totals(half, reference.samples.size()).medianMillis())));
    }

    /** The section on the machine, with its first two lines: CPU and load, kernel, engine and JDK. */
    void machine(String engineVersion) throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        section("Machine and set-up");
        row("- CPU: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "); load average at start "
                + Files.readString(Path.of("/proc/loadavg")).trim());
        row("- kernel " + Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim() + "; Docker Engine "
                + engineVersion + "; JDK " + System.getProperty("java.vm.version") + " ("
                + System.getProperty("java.vm.vendor") + ") for the harness, the control plane and the agent");
    }

    void section(String title) {
        out.append("\n### ").append(title).append("\n\n");
    }

    void row(String line) {
        out.append(line).append('\n');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
