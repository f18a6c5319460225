package dev.stevedore.store.etcd;

import dev.stevedore.store.ChangeSet;
import dev.stevedore.store.Journal;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StoreException;
import dev.stevedore.store.WatchEvent;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store's journal in etcd (see {@link EtcdLayout} for the keys). Each append is one etcd
 * transaction (or, for a batch beyond etcd's operation or request limit, several, each holding
 * whole revisions) that writes the log entries and the new head, on the condition that the head
 * is still the revision this journal last wrote: so a second process writing the same prefix is
 * refused rather than interleaved, and its store fails. The log entry is the commit point, one
 * etcd operation however many keys the revision changes; the live keys it leaves follow at a
 * checkpoint ({@link #startCheckpoint}), each key once however often it changed meanwhile, and until
 * then {@code P/applied} says from where an open replays the log. So each value passes etcd's
 * Raft, fsyncs and history about once rather than twice (measured in BENCHMARKS.md, "Placement at
 * scale on etcd"). Acknowledged means etcd committed the log entry through Raft and fsynced it on
 * a quorum.
 *
 * <p>A checkpoint runs on a thread of its own while the writer goes on appending: it writes the
 * keys as the revisions (applied, X] left them, X the head when it began, and only then moves
 * {@code P/applied} to X. Until then an open replays from the old mark, over every key the
 * checkpoint may have written, so a checkpoint cut off at any point leaves nothing the replay does
 * not finish; and after it, a key changed again past X is fixed by the replay from X. Its writes
 * cannot compare the head, which the writer's commits move, so they compare {@code P/checkpoint},
 * which the writer puts (on the head's condition) as the checkpoint begins and anyone writing live
 * keys after it puts again, and, for a leader, its fence. One checkpoint at a time: when the next is
 * due the writer waits for the one running.
 */
final class EtcdJournal implements Journal {

    /** How often an open's read is begun again after etcd's history was compacted past it. */
    private static final int LOAD_ATTEMPTS = 5;
    /** Room for a page of large log entries (gRPC's default is 4 MiB). */
    private static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(EtcdJournal.class);

    private final Client client;
    private final KV kv;
    private final EtcdLayout layout;
    private final EtcdStoreReads reads;
    private final EtcdLocation location;
    private volatile long head; // only the store's writer appends and compacts
    /** With replicas, the leader's term: every write also compares its fence; null for a lone writer. */
    private volatile Leadership term;
    /** The writer's compaction of etcd's own history, once it writes; empty for a follower. */
    private Optional<EtcdHistoryCompaction> historyCompaction = Optional.empty();

    /**
     * The most one etcd transaction of ours holds, by the encoded records' bytes: etcd
     * refuses a request over its {@code --max-request-bytes} (1.5 MiB by default), and the room
     * left covers the head, the compares and the request's framing.
     */
    static final long MAX_TXN_BYTES = 1024 * 1024;

    /**
     * The live keys are written through this revision; the log entries after it say the rest, and
     * {@code P/applied} says so in etcd while it is below the head. Only the writer touches it,
     * {@link #pending} and {@link #running}.
     */
    private long appliedThrough;
    /**
     * Each key's last change in the revisions after {@link #pendingAfter}, in the order they were
     * made: the next checkpoint's keys.
     */
    private Map<String, WatchEvent> pending = new LinkedHashMap<>();
    private long pendingBytes;
    /** {@link #appliedThrough}, or the revision through which the running checkpoint writes. */
    private long pendingAfter;
    /** The checkpoint being written on {@link #checkpointer}, if any. */
    private Optional<RunningCheckpoint> running = Optional.empty();
    /** Why a checkpoint failed: its keys are no longer pending, so this journal writes nothing more. */
    private StoreException checkpointFailure;
    private final ExecutorService checkpointer;
    private final Checkpoints checkpoints;
    /**
     * How far the live keys may lag the head: a restart replays at most about twice this many log
     * entries (one checkpoint's and the running one's), and a key changed again within it is written
     * to its live key once. (1,000 when checkpoints stopped the writer; with them beside it, 4,000
     * and {@link #CHECKPOINT_PIECES_IN_FLIGHT} placed faster at 10,000 hosts: BENCHMARKS.md.)
     */
    static final int CHECKPOINT_REVISIONS = 4_000;
    /**
     * How many of a checkpoint's pieces are in etcd at once. All at once (a placement round's
     * checkpoint is 100–260 pieces), they queued the writer's commits behind them in etcd's Raft;
     * a few at a time, the commits pass between them and the checkpoint takes a little longer.
     */
    static final int CHECKPOINT_PIECES_IN_FLIGHT = 16;
    /**
     * How many bytes of live keys (before deflating) may wait. Small budgets made checkpoints so
     * frequent at 10,000 hosts that little was coalesced (8 MiB: see BENCHMARKS.md); the values are
     * the store's own, so waiting costs references, not copies.
     */
    static final long CHECKPOINT_BYTES = 64 * MAX_TXN_BYTES;

    /**
     * When checkpoints are due, and what sees each of a checkpoint's steps (its pieces, then the
     * move of the mark): the defaults above in a store; smaller in tests, which also stop a
     * checkpoint midway through {@code steps}.
     */
    record Checkpoints(int revisions, long bytes, CheckpointSteps steps) {
        static final Checkpoints DEFAULT = new Checkpoints(CHECKPOINT_REVISIONS, CHECKPOINT_BYTES, CheckpointSteps.NONE);
    }

    /** Told before and after each step of a checkpoint, on the thread that sends it. */
    interface CheckpointSteps {
        CheckpointSteps NONE = new CheckpointSteps() {};

        /** Before step {@code step} of {@code steps} (the last is the move of {@code P/applied}). */
        default void before(int step, int steps) {}

        /** After step {@code step} was sent, whether etcd took it or refused it. */
        default void after(int step) {}
    }

    /** A checkpoint of the revisions through {@code through}, being written. */
    private record RunningCheckpoint(long through, Future<?> written) {}

    /** The most operations one etcd transaction may hold (etcd's {@code --max-txn-ops}). */
    private final int maxTxnOps;
    /** The live keys' writes cut into etcd transactions this cluster takes. */
    private final LiveKeyPieces livePieces;

    private EtcdJournal(Client client, EtcdLocation location, Checkpoints checkpoints) {
        this.location = location;
        this.checkpoints = checkpoints;
        this.checkpointer = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
                .name("stevedore-etcd-checkpoint " + location.prefix()).factory());
        this.maxTxnOps = location.maxTxnOps();
        this.client = client;
        this.kv = client.getKVClient();
        this.layout = new EtcdLayout(location.prefix());
        this.livePieces = new LiveKeyPieces(layout, maxTxnOps);
        this.reads = new EtcdStoreReads(kv, layout, this::call);
    }

    /** Connects to the cluster; nothing is read yet. */
    static EtcdJournal connect(EtcdLocation location) {
        return connect(location, Checkpoints.DEFAULT);
    }

    /** Connects, with checkpoints as {@code checkpoints} says. */
    static EtcdJournal connect(EtcdLocation location, Checkpoints checkpoints) {
        Client client = Client.builder().endpoints(location.endpoints().toArray(String[]::new))
                .maxInboundMessageSize(MAX_MESSAGE_BYTES).build();
        return new EtcdJournal(client, location, checkpoints);
    }

    /**
     * Reads the live keys, the revision and the compaction mark, all at one etcd revision, and
     * writes the live keys that the log is ahead of (a writer stopped before its checkpoint).
     *
     * @throws StoreException if there are keys but no revision: an import that did not finish
     */
    Contents load() {
        return load(true);
    }

    /**
     * Like {@link #load()}, but writing nothing: the live keys the log is ahead of are taken from
     * the log entries in memory only (the leader writes them; see {@link #takeOver}).
     */
    Contents loadWithoutWriting() {
        return load(false);
    }

    /**
     * Reads at one etcd revision, which the writer's compaction of etcd's history (or etcd's
     * operator's) may have compacted meanwhile if reading took long: then again from a newer one.
     */
    private Contents load(boolean finishUnapplied) {
        for (int attempt = 1; ; attempt++) {
            try {
                return loadAtOneRevision(finishUnapplied);
            } catch (StoreException e) {
                if (attempt == LOAD_ATTEMPTS || !EtcdRequests.compactedRevision(e)) {
                    throw e;
                }
                LOG.info("etcd's history was compacted past the revision the store under {} was being read at; "
                        + "reading again", layout.prefix());
            }
        }
    }

    private Contents loadAtOneRevision(boolean finishUnapplied) {
        EtcdStoreReads.Head read = reads.head();
        long at = read.etcdRevision();
        head = read.revision();
        if (head == 0 && reads.hasLiveKeys()) {
            throw new StoreException("etcd holds keys under " + layout.prefix() + " but no store revision: an import "
                    + "into it did not finish; delete the prefix (etcdctl del --prefix " + layout.prefix()
                    + "/) and import again");
        }
        long compacted = reads.compactedAt(at);
        Map<String, KeyValue> keys = reads.liveKeysAt(at);
        Optional<Long> applied = reads.appliedAt(at);
        if (applied.isPresent()) {
            // The live keys lag the log (see append): take the rest from the log entries, and write them.
            // Read at the same etcd revision as the live keys: a writer may since have written them and compacted the log.
            List<ChangeSet> unapplied = reads.log(applied.get(), head, at);
            for (ChangeSet change : unapplied) {
                for (WatchEvent event : change.events()) {
                    switch (event.type()) {
                        case PUT -> keys.put(event.kv().key(), event.kv());
                        case DELETE -> keys.remove(event.kv().key());
                    }
                }
            }
            if (finishUnapplied) {
                applyToLiveKeys(unapplied);
            }
        }
        clearPending();
        return new Contents(keys, head, compacted);
    }

    /** The store's revision in etcd now (0 for a store never written). */
    long readHead() {
        return reads.head().revision();
    }

    /**
     * Makes this journal the writer from revision {@code at} on, in the leader's {@code term}: every
     * later write is conditional on the head still being {@code at} (then this journal's own) and
     * on the term's fence. Writes the live keys that a former leader left behind the log.
     */
    void takeOver(Leadership leadership, long at) {
        term = leadership;
        head = at;
        reads.appliedAt(0).ifPresent(applied -> applyToLiveKeys(read(applied, at)));
        clearPending();
    }

    /** The leader's term this journal writes in; null for a lone writer or a follower. */
    Leadership term() {
        return term;
    }

    /** Whether nothing at all is under the prefix. */
    boolean isEmpty() {
        return reads.isEmpty();
    }

    /**
     * Writes {@code contents} into an empty prefix as a store at the same revision, keys with the
     * same revisions and versions, and no history (watches start at the revision). The keys go in
     * several etcd transactions and the revision last, so an import cut short leaves a prefix
     * that {@link #load} refuses rather than a smaller store.
     *
     * @throws StoreException if anything is under the prefix already
     */
    void importContents(Contents contents) {
        if (!isEmpty()) {
            throw new StoreException("etcd already holds keys under " + layout.prefix() + "; import only into an empty prefix");
        }
        if (contents.revision() == 0) {
            return; // a store never written is what an empty prefix opens as
        }
        List<Op> ops = new ArrayList<>();
        for (KeyValue found : contents.keys().values()) {
            ops.add(Op.put(layout.liveKey(found.key()), ByteSequence.from(RecordCodec.encodeLive(found)), PutOption.DEFAULT));
            if (ops.size() == maxTxnOps - 1) {
                importBatch(ops);
            }
        }
        importBatch(ops);
        TxnResponse response = call(() -> kv.txn().If(headIsOurs()).Then(
                Op.put(layout.head(), EtcdLayout.revisionValue(contents.revision()), PutOption.DEFAULT),
                Op.put(layout.compacted(), EtcdLayout.revisionValue(contents.revision()), PutOption.DEFAULT)).commit(),
                "write the store's revision");
        if (!response.isSucceeded()) {
            throw new StoreException("another writer wrote a revision under " + layout.prefix() + " during the import");
        }
        head = contents.revision();
        clearPending();
    }

    private void importBatch(List<Op> ops) {
        if (!ops.isEmpty()) {
            guarded(List.copyOf(ops), "import keys");
            ops.clear();
        }
    }

    @Override
    public long append(List<ChangeSet> changes) {
        long started = System.nanoTime();
        if (head - pendingAfter >= checkpoints.revisions() || pendingBytes >= checkpoints.bytes()) {
            startCheckpoint();
        } else {
            finishCheckpointIfWritten();
        }
        List<Prepared> group = new ArrayList<>();
        int ops = 2; // the head and the mark
        long bytes = 0;
        for (ChangeSet change : changes) {
            Prepared prepared = prepare(change);
            if (!group.isEmpty() && (ops + 1 > maxTxnOps || bytes + prepared.entry().size() > MAX_TXN_BYTES)) {
                commit(group);
                group.clear();
                ops = 2;
                bytes = 0;
            }
            group.add(prepared);
            ops += 1;
            bytes += prepared.entry().size();
        }
        if (!group.isEmpty()) {
            commit(group);
        }
        return System.nanoTime() - started;
    }

    /** A revision encoded for etcd: its log entry (the encoded bytes are what etcd's request limit counts). */
    private record Prepared(ChangeSet change, ByteSequence entry) {}

    private static Prepared prepare(ChangeSet change) {
        return new Prepared(change, ByteSequence.from(RecordCodec.encodeChanges(change)));
    }

    /**
     * Remembers each key's last change in {@code group} for the next checkpoint; encoded only
     * then, so a key changed again meanwhile costs nothing.
     */
    private void addPending(List<Prepared> group) {
        for (Prepared prepared : group) {
            for (WatchEvent event : prepared.change().events()) {
                WatchEvent replaced = pending.put(event.kv().key(), event);
                pendingBytes += LiveKeyPieces.weight(event) - (replaced == null ? 0 : LiveKeyPieces.weight(replaced));
            }
        }
    }

    private void clearPending() {
        pending = new LinkedHashMap<>();
        pendingBytes = 0;
        appliedThrough = head;
        pendingAfter = head;
    }

    /**
     * Begins writing {@link #pending} on {@link #checkpointer}, after the checkpoint running (if
     * any) is done: the writer waits rather than hold more than two checkpoints' keys. The pending
     * keys become the checkpoint's and no longer change (the writer's next changes go to a fresh
     * map), so the checkpoint writes exactly how the revisions through the head left them.
     */
    private void startCheckpoint() {
        awaitCheckpoint();
        if (pendingAfter == head) {
            return;
        }
        long through = head;
        Map<String, WatchEvent> keys = pending;
        pending = new LinkedHashMap<>();
        pendingBytes = 0;
        pendingAfter = through;
        long claimed = claimCheckpoint();
        running = Optional.of(new RunningCheckpoint(through, checkpointer.submit(
                () -> writeCheckpoint(keys.values(), through, claimed))));
    }

    /** Takes in the running checkpoint if it is done (its failure fails this journal); waits for nothing. */
    private void finishCheckpointIfWritten() {
        if (running.isPresent() && running.get().written().isDone()) {
            awaitCheckpoint();
        }
        throwIfCheckpointFailed();
    }

    /**
     * Waits for the running checkpoint, if any, and takes its revision as applied.
     *
     * @throws StoreException if it failed: then so does every later write of this journal
     */
    private void awaitCheckpoint() {
        throwIfCheckpointFailed();
        if (running.isEmpty()) {
            return;
        }
        RunningCheckpoint checkpoint = running.get();
        running = Optional.empty();
        try {
            awaitPiece(checkpoint.written());
        } catch (StoreException e) {
            checkpointFailure = e;
            throw e;
        }
        appliedThrough = checkpoint.through();
    }

    private void throwIfCheckpointFailed() {
        if (checkpointFailure != null) {
            throw new StoreException("writing live keys to etcd failed earlier; this process writes no more to the store under "
                    + layout.prefix(), checkpointFailure);
        }
    }

    /**
     * Puts {@code P/checkpoint} on the writer's conditions, so that the live-key writes of any
     * checkpoint begun before (another process's, still running) are refused from now on; returns
     * its mod revision, which this checkpoint's writes compare.
     */
    private long claimCheckpoint() {
        return guarded(List.of(Op.put(layout.checkpoint(), EtcdLayout.revisionValue(head), PutOption.DEFAULT)),
                "begin writing live keys").getHeader().getRevision();
    }

    /**
     * On {@link #checkpointer}: writes {@code keys} (each key's last change through {@code through})
     * in pieces ({@link LiveKeyPieces}), {@link #CHECKPOINT_PIECES_IN_FLIGHT} at a time, then moves {@code P/applied} to {@code through}; each write
     * conditional on {@code P/checkpoint} still being the one this checkpoint put and on the fence.
     */
    private void writeCheckpoint(Collection<WatchEvent> keys, long through, long claimed) {
        List<List<Op>> pieces = livePieces.of(keys);
        int steps = pieces.size() + 1;
        CheckpointSteps seen = checkpoints.steps();
        writePieces(pieces, CHECKPOINT_PIECES_IN_FLIGHT, step -> {
            seen.before(step, steps);
            try {
                checkpointWrite(pieces.get(step), claimed, "write live keys through revision " + through);
            } finally {
                seen.after(step);
            }
        });
        seen.before(steps - 1, steps);
        try {
            checkpointWrite(List.of(Op.put(layout.applied(), EtcdLayout.revisionValue(through), PutOption.DEFAULT)),
                    claimed, "mark the live keys written through revision " + through);
        } finally {
            seen.after(steps - 1);
        }
    }

    private void checkpointWrite(List<Op> ops, long claimed, String what) {
        TxnResponse response = call(() -> kv.txn().If(checkpointConditions(claimed)).Then(ops.toArray(Op[]::new))
                .Else(Op.get(layout.leader(), GetOption.DEFAULT)).commit(), what);
        if (!response.isSucceeded()) {
            Leadership leadership = term;
            if (leadership != null && !leaderKeyIsOurs(response.getGetResponses().getFirst(), leadership)) {
                throw refused(response.getGetResponses().getFirst());
            }
            throw new StoreException("another writer began writing the live keys under " + layout.prefix()
                    + "; this process stops writing to it");
        }
    }

    /** A checkpoint's conditions: {@code P/checkpoint} is still its own, and, for a leader, the fence. */
    private Cmp[] checkpointConditions(long claimed) {
        Cmp ours = new Cmp(layout.checkpoint(), Cmp.Op.EQUAL, CmpTarget.modRevision(claimed));
        Leadership leadership = term;
        if (leadership == null) {
            return new Cmp[] {ours};
        }
        leadership.requireSure(layout.prefix());
        return new Cmp[] {ours,
                new Cmp(layout.leader(), Cmp.Op.EQUAL, CmpTarget.createRevision(leadership.keyCreateRevision()))};
    }

    /**
     * Writes the live keys the revisions since {@link #appliedThrough} leave, if any, before this
     * call returns (after the running checkpoint): for the log's compaction, which removes only what
     * the live keys hold.
     */
    private void writePendingNow() {
        awaitCheckpoint();
        if (appliedThrough < head) {
            writeLiveKeys();
        }
    }

    /**
     * Writes {@link #pending} to the live keys on the writer's thread, conditional on the head and
     * fence, then removes the not-applied mark: first {@code P/checkpoint} (so that a checkpoint
     * another process began is refused from now on), then the pieces all at once (each key is in
     * one piece, and each is conditional on the same head and fence, so their order does not
     * matter), the mark once every piece is in.
     */
    private void writeLiveKeys() {
        claimCheckpoint();
        List<List<Op>> pieces = livePieces.of(pending.values());
        writePieces(pieces, pieces.size(), piece -> guarded(pieces.get(piece), "write live keys"));
        guarded(List.of(Op.delete(layout.applied(), DeleteOption.DEFAULT)), "mark the live keys written");
        clearPending();
    }

    /**
     * Sends each of {@code pieces} with {@code write} (given its index) on a thread of its own, at most
     * {@code inFlight} at once, and waits for them all: a failed one's {@link StoreException} is thrown.
     */
    private static void writePieces(List<List<Op>> pieces, int inFlight, IntConsumer write) {
        Semaphore room = new Semaphore(Math.max(1, inFlight));
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> written = new ArrayList<>();
            for (int i = 0; i < pieces.size(); i++) {
                int piece = i;
                room.acquireUninterruptibly();
                written.add(writers.submit(() -> {
                    try {
                        write.accept(piece);
                    } finally {
                        room.release();
                    }
                }));
            }
            for (Future<?> each : written) {
                awaitPiece(each);
            }
        }
    }

    private static void awaitPiece(Future<?> piece) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    piece.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // the writer finishes what it started, as a commit does
                }
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StoreException se ? se : new StoreException("writing live keys failed", e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes the live keys {@code changes} leave and removes the not-applied mark (see {@link #writeLiveKeys}). */
    private void applyToLiveKeys(List<ChangeSet> changes) {
        pending = new LinkedHashMap<>();
        for (WatchEvent event : lastChanges(changes)) {
            pending.put(event.kv().key(), event);
        }
        writeLiveKeys();
    }

    private TxnResponse guarded(List<Op> ops, String what) {
        TxnResponse response = call(() -> kv.txn().If(writerConditions()).Then(ops.toArray(Op[]::new))
                .Else(Op.get(layout.leader(), GetOption.DEFAULT)).commit(), what);
        if (!response.isSucceeded()) {
            throw refused(response.getGetResponses().getFirst());
        }
        return response;
    }

    /**
     * One etcd transaction: the log entries and the head, and, if the live keys were all written,
     * the mark that from now on they are not. The live keys follow at a checkpoint ({@link #startCheckpoint}).
     */
    private void commit(List<Prepared> group) {
        List<Op> ops = new ArrayList<>();
        for (Prepared prepared : group) {
            ops.add(Op.put(layout.logKey(prepared.change().revision()), prepared.entry(), PutOption.DEFAULT));
        }
        long firstRevision = group.getFirst().change().revision();
        if (appliedThrough == head) {
            ops.add(Op.put(layout.applied(), EtcdLayout.revisionValue(head), PutOption.DEFAULT));
        }
        long newHead = group.getLast().change().revision();
        ops.add(Op.put(layout.head(), EtcdLayout.revisionValue(newHead), PutOption.DEFAULT));
        ByteSequence lastEntry = group.getLast().entry();
        // When the head has moved, the answer says to what and what the log holds at the new head:
        // an attempt whose answer was lost (a member killed mid-request) may be what moved it.
        TxnResponse response = call(() -> kv.txn().If(writerConditions()).Then(ops.toArray(Op[]::new))
                        .Else(Op.get(layout.head(), GetOption.DEFAULT), Op.get(layout.logKey(newHead), GetOption.DEFAULT),
                                Op.get(layout.leader(), GetOption.DEFAULT))
                        .commit(),
                "commit revisions " + firstRevision + " to " + newHead, EtcdRequests.COMMIT_ATTEMPT);
        if (!response.isSucceeded() && !wroteEarlier(response, newHead, lastEntry)) {
            throw refused(response.getGetResponses().get(2));
        }
        head = newHead;
        addPending(group);
    }

    /** Each key's last change in {@code changes}. */
    private static Collection<WatchEvent> lastChanges(List<ChangeSet> changes) {
        Map<String, WatchEvent> lastChange = new LinkedHashMap<>();
        for (ChangeSet change : changes) {
            for (WatchEvent event : change.events()) {
                lastChange.put(event.kv().key(), event);
            }
        }
        return lastChange.values();
    }

    /** Whether a refused commit finds the head and last log entry this very commit would have written. */
    private static boolean wroteEarlier(TxnResponse refused, long newHead, ByteSequence lastEntry) {
        List<GetResponse> found = refused.getGetResponses();
        return found.size() >= 2
                && found.get(0).getKvs().size() == 1
                && EtcdLayout.revisionOf(found.get(0).getKvs().getFirst().getValue()) == newHead
                && found.get(1).getKvs().size() == 1
                && found.get(1).getKvs().getFirst().getValue().equals(lastEntry);
    }

    /**
     * The conditions of every write: nobody else has committed since this journal last did, and,
     * for a leader, its term still holds: checked here (the term ends before its lease could
     * expire) and by etcd, which compares the leader key's create revision with the term's.
     */
    private Cmp[] writerConditions() {
        Leadership leadership = term;
        if (leadership == null) {
            return new Cmp[] {headIsOurs()};
        }
        leadership.requireSure(layout.prefix());
        return new Cmp[] {headIsOurs(),
                new Cmp(layout.leader(), Cmp.Op.EQUAL, CmpTarget.createRevision(leadership.keyCreateRevision()))};
    }

    /**
     * Why etcd refused a write: another leader's term, or (without replicas) another writer. A
     * leader's term ends with it: its store has failed and accepts no more commits.
     */
    private StoreException refused(GetResponse leaderKey) {
        Leadership leadership = term;
        StoreException refusal = new StoreException("another writer moved the store under " + layout.prefix()
                + " past revision " + head + "; this process stops writing to it");
        if (leadership != null) {
            if (!leaderKeyIsOurs(leaderKey, leadership)) {
                String holds = leaderKey.getKvs().isEmpty() ? "no leader key" : "another replica's leader key";
                refusal = new StoreException("this replica's term as the leader of the store under " + layout.prefix()
                        + " has ended (etcd holds " + holds + "); it writes no more");
            }
            leadership.lose("etcd refused a write of its store: " + refusal.getMessage());
        }
        return refusal;
    }

    private static boolean leaderKeyIsOurs(GetResponse leaderKey, Leadership leadership) {
        return !leaderKey.getKvs().isEmpty()
                && leaderKey.getKvs().getFirst().getCreateRevision() == leadership.keyCreateRevision();
    }

    /** The head compare alone. */
    private Cmp headIsOurs() {
        return head == 0
                ? new Cmp(layout.head(), Cmp.Op.EQUAL, CmpTarget.version(0))
                : new Cmp(layout.head(), Cmp.Op.EQUAL, CmpTarget.value(EtcdLayout.revisionValue(head)));
    }

    @Override
    public List<ChangeSet> read(long afterRevision, long throughRevision) {
        return reads.log(afterRevision, throughRevision, 0);
    }

    @Override
    public void compact(long throughRevision) {
        if (appliedThrough < throughRevision) {
            writePendingNow(); // the log entries go only once the live keys hold what they say
        }
        TxnResponse response = call(() -> kv.txn().If(writerConditions()).Then(
                Op.delete(layout.logKey(0), DeleteOption.builder().withRange(layout.logKey(throughRevision + 1)).build()),
                Op.put(layout.compacted(), EtcdLayout.revisionValue(throughRevision), PutOption.DEFAULT)).commit(),
                "compact history through revision " + throughRevision);
        if (!response.isSucceeded()) {
            throw new StoreException("another writer moved the store under " + layout.prefix() + "; history not compacted");
        }
    }

    /**
     * Starts compacting etcd's own history every {@link EtcdLocation#historyCompaction} (unless
     * zero): only for the store's writer, a lone one or the leader once it {@link #takeOver}s, and
     * only while its term is held.
     */
    synchronized void compactEtcdHistory() {
        if (historyCompaction.isEmpty() && location.historyCompaction().isPositive()) {
            historyCompaction = Optional.of(EtcdHistoryCompaction.start(kv, layout.head(), location.historyCompaction(),
                    () -> {
                        Leadership leadership = term;
                        return leadership == null || leadership.held();
                    }, location.toString()));
        }
    }

    /**
     * Closes the connection; a checkpoint still running is cut off where it is (an open replays the
     * log from the mark it did not move, as after a crash).
     */
    @Override
    public void close() {
        synchronized (this) {
            historyCompaction.ifPresent(EtcdHistoryCompaction::close);
        }
        checkpointer.shutdownNow();
        client.close();
    }

    /**
     * Runs one etcd request through {@link EtcdRequests#call}; every write here is conditional on the head
     * (see {@link #commit} for a write that took effect although its answer was lost), so sending again is safe.
     */
    private <T> T call(Supplier<CompletableFuture<T>> request, String what) {
        return call(request, what, EtcdRequests.DEFAULT_ATTEMPT);
    }

    private <T> T call(Supplier<CompletableFuture<T>> request, String what, Duration attempt) {
        return EtcdRequests.call(request, what + " at " + location, attempt, () -> {
            Leadership leadership = term;
            if (leadership != null) {
                leadership.requireSure(layout.prefix()); // a leader does not keep trying past its term
            }
        });
    }
}
