package dev.stevedore.store.etcd;

import dev.stevedore.store.WatchEvent;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Key changes as writes of their live keys ({@code P/keys/...}), cut into pieces that etcd takes as one
 * transaction each: at most {@code maxTxnOps} operations (etcd's {@code --max-txn-ops}) and
 * {@link EtcdJournal#MAX_TXN_BYTES}. Each key is in one piece, so pieces may be sent in any order.
 */
final class LiveKeyPieces {
    /** Per key change: its prefix under {@code P/keys/} or in the log entry, revisions, version, and protobuf framing. */
    private static final int EVENT_OVERHEAD_BYTES = 96;

    private final EtcdLayout layout;
    private final int maxTxnOps;

    LiveKeyPieces(EtcdLayout layout, int maxTxnOps) {
        this.layout = layout;
        this.maxTxnOps = maxTxnOps;
    }

    /** A live key's write and about what it takes in an etcd request. */
    private record LiveWrite(Op op, long weighs) {}

    /** {@code changes}' live-key writes, in pieces, in the order given. */
    List<List<Op>> of(Collection<WatchEvent> changes) {
        List<List<Op>> pieces = new ArrayList<>();
        List<Op> piece = new ArrayList<>();
        long bytes = 0;
        for (WatchEvent event : changes) {
            LiveWrite write = write(event);
            if (!piece.isEmpty() && (piece.size() == maxTxnOps || bytes + write.weighs() > EtcdJournal.MAX_TXN_BYTES)) {
                pieces.add(piece);
                piece = new ArrayList<>();
                bytes = 0;
            }
            piece.add(write.op());
            bytes += write.weighs();
        }
        if (!piece.isEmpty()) {
            pieces.add(piece);
        }
        return pieces;
    }

    private LiveWrite write(WatchEvent event) {
        ByteSequence key = layout.liveKey(event.kv().key());
        return switch (event.type()) {
            case PUT -> {
                ByteSequence value = ByteSequence.from(RecordCodec.encodeLive(event.kv()));
                yield new LiveWrite(Op.put(key, value, PutOption.DEFAULT), key.size() + value.size() + EVENT_OVERHEAD_BYTES);
            }
            case DELETE -> new LiveWrite(Op.delete(key, DeleteOption.DEFAULT), key.size() + EVENT_OVERHEAD_BYTES);
        };
    }

    /** At most what {@code event}'s live-key write takes in an etcd request (its value before deflating). */
    static long weight(WatchEvent event) {
        return event.kv().key().length() + event.kv().valueLength() + EVENT_OVERHEAD_BYTES;
    }
}
