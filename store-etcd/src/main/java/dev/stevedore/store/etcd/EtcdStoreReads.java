package dev.stevedore.store.etcd;

import dev.stevedore.store.ChangeSet;
import dev.stevedore.store.KeyValue;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What the journal reads of a store in etcd (see {@link EtcdLayout}): its revision, marks, live keys
 * and log entries, in pages, now or as etcd held them at one of its own revisions (0: now). Writes
 * nothing; every request goes through the journal's {@link Caller}, which retries and, for a leader,
 * stops trying once its term has ended.
 */
final class EtcdStoreReads {
    private static final int LIVE_PAGE = 1_000;
    /** Log entries per page: one revision's entry may hold hundreds of records. */
    private static final int LOG_PAGE = 64;

    /** Runs one etcd request (see {@code EtcdJournal.call}). */
    @FunctionalInterface
    interface Caller {
        <T> T call(Supplier<CompletableFuture<T>> request, String what);
    }

    private final KV kv;
    private final EtcdLayout layout;
    private final Caller caller;

    EtcdStoreReads(KV kv, EtcdLayout layout, Caller caller) {
        this.kv = kv;
        this.layout = layout;
        this.caller = caller;
    }

    /** The head as read now: the store's revision (0 for one never written) and etcd's revision of the read. */
    record Head(long revision, long etcdRevision) {
    }

    Head head() {
        GetResponse response = caller.call(() -> kv.get(layout.head()), "read the store's revision");
        long revision = response.getKvs().isEmpty() ? 0 : EtcdLayout.revisionOf(response.getKvs().getFirst().getValue());
        return new Head(revision, response.getHeader().getRevision());
    }

    /** The revision through which the log was compacted, as etcd held it at {@code etcdRevision}. */
    long compactedAt(long etcdRevision) {
        return markAt(layout.compacted(), etcdRevision, "read the compaction mark").orElse(0L);
    }

    /** The revision through which the live keys are written, if they lag the log (see the journal's append). */
    Optional<Long> appliedAt(long etcdRevision) {
        return markAt(layout.applied(), etcdRevision, "read how far the live keys are written");
    }

    private Optional<Long> markAt(ByteSequence key, long etcdRevision, String what) {
        GetResponse response = caller.call(() -> kv.get(key, GetOption.builder().withRevision(etcdRevision).build()),
                what);
        return response.getKvs().isEmpty() ? Optional.empty()
                : Optional.of(EtcdLayout.revisionOf(response.getKvs().getFirst().getValue()));
    }

    /** Every live key, decoded, as etcd held them at {@code etcdRevision}. */
    Map<String, KeyValue> liveKeysAt(long etcdRevision) {
        Map<String, KeyValue> keys = new HashMap<>();
        ByteSequence from = layout.liveStart();
        while (true) {
            ByteSequence pageStart = from;
            GetResponse page = caller.call(() -> kv.get(pageStart, GetOption.builder()
                    .withRange(layout.liveEnd()).withRevision(etcdRevision).withLimit(LIVE_PAGE).build()),
                    "read the live keys");
            for (io.etcd.jetcd.KeyValue found : page.getKvs()) {
                String key = layout.storeKey(found.getKey());
                keys.put(key, RecordCodec.decodeLive(key, found.getValue().getBytes()));
            }
            if (!page.isMore() || page.getKvs().isEmpty()) {
                return keys;
            }
            from = EtcdLayout.successor(page.getKvs().getLast().getKey());
        }
    }

    /** The log entries after {@code afterRevision} through {@code throughRevision} as etcd held them at {@code etcdRevision}. */
    List<ChangeSet> log(long afterRevision, long throughRevision, long etcdRevision) {
        List<ChangeSet> changes = new ArrayList<>();
        int skip = layout.logStart().size();
        ByteSequence from = layout.logKey(afterRevision + 1);
        ByteSequence end = layout.logKey(throughRevision + 1);
        while (throughRevision > afterRevision) {
            ByteSequence pageStart = from;
            GetResponse page = caller.call(() -> kv.get(pageStart, GetOption.builder().withRange(end).withLimit(LOG_PAGE)
                    .withRevision(etcdRevision).build()), "read history");
            for (io.etcd.jetcd.KeyValue found : page.getKvs()) {
                String digits = found.getKey().substring(skip).toString();
                changes.add(RecordCodec.decodeChanges(Long.parseLong(digits), found.getValue().getBytes()));
            }
            if (!page.isMore() || page.getKvs().isEmpty()) {
                break;
            }
            from = EtcdLayout.successor(page.getKvs().getLast().getKey());
        }
        return changes;
    }

    /** Whether any live key is there now. */
    boolean hasLiveKeys() {
        return count(layout.liveStart(), layout.liveEnd(), "look for live keys") > 0;
    }

    /** Whether nothing at all is under the prefix now. */
    boolean isEmpty() {
        return count(layout.root(), layout.rootEnd(), "look under the prefix") == 0;
    }

    private long count(ByteSequence start, ByteSequence end, String what) {
        return caller.call(() -> kv.get(start, GetOption.builder().withRange(end).withCountOnly(true).build()), what)
                .getCount();
    }
}
