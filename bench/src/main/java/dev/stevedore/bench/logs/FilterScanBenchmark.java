package dev.stevedore.bench.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.control.logs.LogGroupRow;
import dev.stevedore.control.logs.LogStreamRow;
import dev.stevedore.control.logs.LogsApi;
import dev.stevedore.control.logs.LogsScope;
import dev.stevedore.control.logs.NewLogEvent;
import dev.stevedore.control.logs.sqlite.SqliteLogStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * FilterLogEvents' scan rate over many stored events. The events are generated straight into the
 * {@link SqliteLogStore} (through its group-commit writer, in batches of 10,000, not through HTTP: that
 * path is the ingest benchmark's), then the FilterLogEvents handler is called in-process, following
 * nextToken to the end, once with a term pattern and once with a JSON pattern; each matches one event
 * in a hundred. Every event is a 100-byte-ish JSON line, so both patterns read the same data.
 *
 * <p>Usage: {@code FilterScanBenchmark [events]} (default 10,000,000)
 */
public final class FilterScanBenchmark {
    private static final LogsScope SCOPE = new LogsScope("000000000000", "us-east-1");
    private static final int STREAMS = 10;
    private static final int BATCH = 10_000;

    public static void main(String[] args) throws Exception {
        long total = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        Path dir = Files.createTempDirectory("stevedore-filter-bench");
        long base = System.currentTimeMillis() - 4 * 3_600_000L;
        try (SqliteLogStore store = SqliteLogStore.open(dir.resolve("logs.db"))) {
            LogGroupRow group = store.createGroup(SCOPE, "/bench/filter", base, Map.of()).orElseThrow();
            List<LogStreamRow> streams = new ArrayList<>();
            for (int s = 0; s < STREAMS; s++) {
                streams.add(store.createStream(group.id(), "stream-" + s, base).orElseThrow());
            }
            long began = System.nanoTime();
            long written = 0;
            while (written < total) {
                int count = (int) Math.min(BATCH, total - written);
                List<NewLogEvent> events = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    long n = written + i;
                    events.add(new NewLogEvent(base + n / 1_000, message(n)));
                }
                store.append(streams.get((int) (written / BATCH % STREAMS)).id(), events, base);
                written += count;
            }
            double generation = (System.nanoTime() - began) / 1e9;
            System.out.printf("generated %,d events straight into the log store in %.1f s (%,.0f events/s, "
                    + "file %,d MB)%n", total, generation, total / generation, Files.size(dir.resolve("logs.db")) / 1_000_000);

            LogsApi api = new LogsApi(store, Clock.fixed(Instant.ofEpochMilli(base + total / 1_000 + 60_000), ZoneOffset.UTC));
            JsonOperation filter = api.operations().get("FilterLogEvents");
            for (String pattern : List.of("timeout", "{ $.status >= 500 && $.latency > 100 }")) {
                scan(filter, pattern, total);
            }
        } finally {
            LogsBenchmark.deleteTree(dir);
        }
        System.exit(0);
    }

    /** One event in a hundred is a slow failure: "status":503, a long latency, "upstream timeout". */
    static String message(long n) {
        boolean failed = n % 100 == 37;
        return "{\"level\":\"" + (failed ? "error" : "info") + "\",\"path\":\"/api/items/" + (n % 100_000)
                + "\",\"status\":" + (failed ? 503 : 200) + ",\"latency\":" + (failed ? 250 + n % 50 : n % 40)
                + ",\"msg\":\"" + (failed ? "upstream timeout" : "served ok") + "\"}";
    }

    private static void scan(JsonOperation filter, String pattern, long total) {
        long began = System.nanoTime();
        long matched = 0;
        int calls = 0;
        String token = null;
        do {
            ObjectNode input = AwsJson.mapper().createObjectNode().put("logGroupName", "/bench/filter")
                    .put("filterPattern", pattern);
            if (token != null) {
                input.put("nextToken", token);
            }
            JsonNode page = AwsJson.mapper().valueToTree(filter.handle(context(), input));
            matched += page.path("events").size();
            token = page.has("nextToken") ? page.path("nextToken").asText() : null;
            calls++;
        } while (token != null);
        double seconds = (System.nanoTime() - began) / 1e9;
        System.out.printf("FilterLogEvents %-42s %,d events scanned in %.1f s: %,.0f events/s; %,d matched; %d calls%n",
                "'" + pattern + "':", total, seconds, total / seconds, matched, calls);
    }

    private static CallContext context() {
        return new CallContext(UUID.randomUUID().toString(),
                new Principal(SCOPE.accountId(), "AKIABENCH", "arn:aws:iam::" + SCOPE.accountId() + ":root"),
                "FilterLogEvents", SCOPE.region());
    }
}
