package dev.stevedore.store.etcd;

import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where a store's parts sit under its prefix P:
 * <ul>
 *   <li>{@code P/head}: the store's revision (decimal), the one key every commit is conditional on;</li>
 *   <li>{@code P/compacted}: the revision through which history is discarded;</li>
 *   <li>{@code P/applied}: present while the live keys lag the log: the revision through which
 *       they are written (the log entries after it hold the rest; see {@link EtcdJournal});</li>
 *   <li>{@code P/checkpoint}: put by a writer as it starts writing live keys; a checkpoint's writes
 *       are conditional on its mod revision, so one that another writer (or an open) began after it
 *       refuses the rest of it;</li>
 *   <li>{@code P/keys/<key>}: each live key with its create and mod revisions and version, written
 *       at the writer's checkpoints;</li>
 *   <li>{@code P/log/<revision, 19 digits>}: the changes of each kept revision, for watches, and
 *       the commit point of each;</li>
 *   <li>{@code P/leader}: with replicas, the leading replica's id and endpoint, made under its etcd
 *       lease (see {@link LeaderElection}).</li>
 * </ul>
 * The log's revisions are zero-padded so that etcd's byte order is revision order.
 */
final class EtcdLayout {

    private final String prefix;
    private final ByteSequence head;
    private final ByteSequence compacted;
    private final ByteSequence applied;
    private final ByteSequence checkpoint;
    private final ByteSequence leader;

    EtcdLayout(String prefix) {
        this.prefix = prefix;
        this.head = bytes(prefix + "/head");
        this.compacted = bytes(prefix + "/compacted");
        this.applied = bytes(prefix + "/applied");
        this.checkpoint = bytes(prefix + "/checkpoint");
        this.leader = bytes(prefix + "/leader");
    }

    String prefix() {
        return prefix;
    }

    ByteSequence head() {
        return head;
    }

    ByteSequence compacted() {
        return compacted;
    }

    ByteSequence applied() {
        return applied;
    }

    ByteSequence checkpoint() {
        return checkpoint;
    }

    ByteSequence leader() {
        return leader;
    }

    /** The first etcd key of everything under the prefix. */
    ByteSequence root() {
        return bytes(prefix + "/");
    }

    /** The etcd key just past everything under the prefix. */
    ByteSequence rootEnd() {
        return prefixEnd(root());
    }

    ByteSequence liveKey(String key) {
        return bytes(prefix + "/keys/" + key);
    }

    /** The first etcd key of the live keys. */
    ByteSequence liveStart() {
        return bytes(prefix + "/keys/");
    }

    /** The etcd key just past every live key. */
    ByteSequence liveEnd() {
        return prefixEnd(liveStart());
    }

    /** Our key of a live etcd key. */
    String storeKey(ByteSequence liveKey) {
        byte[] all = liveKey.getBytes();
        int skip = liveStart().size();
        return new String(all, skip, all.length - skip, StandardCharsets.UTF_8);
    }

    ByteSequence logKey(long revision) {
        return bytes(prefix + "/log/" + String.format("%019d", revision));
    }

    /** The first etcd key of the log. */
    ByteSequence logStart() {
        return bytes(prefix + "/log/");
    }

    /** The etcd key that sorts right after {@code key}: where a page following it starts. */
    static ByteSequence successor(ByteSequence key) {
        byte[] bytes = Arrays.copyOf(key.getBytes(), key.size() + 1);
        return ByteSequence.from(bytes);
    }

    static ByteSequence revisionValue(long revision) {
        return bytes(Long.toString(revision));
    }

    static long revisionOf(ByteSequence value) {
        return Long.parseLong(value.toString(StandardCharsets.US_ASCII));
    }

    private static ByteSequence prefixEnd(ByteSequence start) {
        byte[] bytes = start.getBytes();
        // Every prefix here ends in '/', so adding one to the last byte never carries.
        bytes[bytes.length - 1]++;
        return ByteSequence.from(bytes);
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
