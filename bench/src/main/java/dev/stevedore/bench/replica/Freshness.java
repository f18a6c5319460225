package dev.stevedore.bench.replica;

import dev.stevedore.bench.tasks.Distribution;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * How soon a follower shows a write: a tag on the cluster written with TagResource and
 * acknowledged, then the follower's ListTagsForResource asked again and again (one call at a time)
 * until its answer holds the tag. The lag is from the acknowledgement to the answer that showed it,
 * so it includes one read's round trip; "fresh at once" counts the writes whose first read already
 * showed them (what a client reading its own write right after it sees).
 */
record Freshness(List<Long> lags, int freshAtOnce, int probes) {
    static final String HEADER = String.format("%-40s %7s %14s %10s %10s %10s", "write acknowledged by", "writes",
            "fresh at once", "lag p50", "lag p99", "lag max");

    static Freshness measure(EcsClient writer, EcsClient follower, String clusterArn, int probes) {
        List<Long> lags = new ArrayList<>();
        int freshAtOnce = 0;
        for (int i = 0; i < probes; i++) {
            String value = "probe-" + System.nanoTime();
            writer.tagResource(b -> b.resourceArn(clusterArn).tags(Tag.builder().key("freshness").value(value).build()));
            long acknowledged = System.nanoTime();
            for (int reads = 1; ; reads++) {
                boolean shown = follower.listTagsForResource(b -> b.resourceArn(clusterArn)).tags().stream()
                        .anyMatch(t -> t.key().equals("freshness") && t.value().equals(value));
                if (shown) {
                    lags.add(System.nanoTime() - acknowledged);
                    freshAtOnce += reads == 1 ? 1 : 0;
                    break;
                }
                if (System.nanoTime() - acknowledged > 30_000_000_000L) {
                    throw new IllegalStateException("the follower did not show a write within 30 s");
                }
            }
        }
        return new Freshness(lags, freshAtOnce, probes);
    }

    String row(String writtenBy) {
        Distribution d = Distribution.of(lags);
        return String.format("%-40s %7d %14s %10s %10s %10s", writtenBy, probes, freshAtOnce + "/" + probes,
                Distribution.ms(d.medianMillis()) + " ms", Distribution.ms(d.percentileMillis(99)) + " ms",
                Distribution.ms(d.maxMillis()) + " ms");
    }
}
