package dev.stevedore.store.etcd;

import dev.stevedore.store.ChangeSet;
import dev.stevedore.store.FollowerStoreException;
import dev.stevedore.store.JournaledStateStore;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.RangeResult;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.StoreException;
import dev.stevedore.store.StoreObserver;
import dev.stevedore.store.StoreOptions;
import dev.stevedore.store.Txn;
import dev.stevedore.store.TxnResult;
import dev.stevedore.store.Watch;
import dev.stevedore.store.WatchListener;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's view of the store in etcd. It opens as a follower: reads and watches are served
 * from its own copy of the live keys, which a thread keeps caught up by looking at {@code P/head}
 * every {@link #POLL} and reading the log entries after its revision; commits are refused with
 * {@link FollowerStoreException}. When the replica is elected, {@link #lead} catches up with the
 * log once more and makes it the writer, every commit fenced by the term. A term never goes back
 * to following: a replica whose term ended has a failed store (its commits refused) and is
 * restarted as a follower. A commit refused for the term (etcd's fence, or a term no longer sure)
 * ends the term itself ({@link Leadership#lose}), so the election tells the replica at once
 * rather than at its next keep-alive, or never (a leader key gone while its lease lives on).
 */
public final class EtcdReplicaStore implements StateStore {

    /** How often a follower looks whether the leader has committed. */
    static final Duration POLL = Duration.ofMillis(20);
    private static final Logger LOG = LoggerFactory.getLogger(EtcdReplicaStore.class);

    private final EtcdJournal journal;
    private final JournaledStateStore store;
    private final EtcdLocation location;
    private final Object following = new Object();
    private final Thread follower;
    private volatile boolean stopFollowing;
    private volatile StoreException followFailure;
    /** Set while {@link #withoutWriting} runs a call on this thread: whether it tried to commit while following. */
    private final ThreadLocal<boolean[]> refusedHere = new ThreadLocal<>();

    private EtcdReplicaStore(EtcdJournal journal, JournaledStateStore store, EtcdLocation location) {
        this.journal = journal;
        this.store = store;
        this.location = location;
        this.follower = Thread.ofPlatform().daemon().name("stevedore-store-follower " + location).unstarted(this::follow);
    }

    /**
     * Opens the store at {@code location} as a follower of whoever leads it (reading only).
     *
     * @throws StoreException if etcd cannot be reached or holds what this Stevedore cannot read
     */
    public static EtcdReplicaStore follow(EtcdLocation location, StoreOptions options, StoreObserver observer) {
        EtcdJournal journal = EtcdJournal.connect(location);
        try {
            JournaledStateStore store = JournaledStateStore.following(journal, journal.loadWithoutWriting(), options,
                    "stevedore-store-writer " + location, observer);
            EtcdReplicaStore replica = new EtcdReplicaStore(journal, store, location);
            replica.follower.start();
            return replica;
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /** The term this store writes in, once it leads. */
    Leadership leadingTerm() {
        return journal.term();
    }

    /** Whether this replica writes the store (it has been made the leader's). */
    public boolean leads() {
        return !store.isFollowing();
    }

    /**
     * Makes this replica's store the writer for {@code term}: stops following, catches up with
     * every revision committed so far, then takes commits, each conditional on the term's fence.
     * A former leader's write cannot land after the catch-up: the leader key is already this
     * term's, so etcd refuses its fence.
     *
     * @throws StoreException if the store could not be caught up (then it stays a follower)
     */
    public void lead(Leadership term) {
        synchronized (following) {
            stopFollowing = true;
            following.notifyAll();
        }
        joinFollower();
        StoreException failed = followFailure;
        if (failed != null) {
            throw new StoreException("this replica's copy of the store fell out of step; restart it", failed);
        }
        long head = catchUp();
        journal.takeOver(term, head);
        store.stopFollowing();
        journal.compactEtcdHistory(); // the leader's, as its other writes
        LOG.info("the store under {} is written by this replica from revision {} on ({})", location, head, term);
    }

    /** Applies what the leader committed since this copy's revision; returns the revision caught up to. */
    private long catchUp() {
        long head = journal.readHead();
        long at = store.currentRevision();
        while (at < head) {
            List<ChangeSet> changes = journal.read(at, head);
            if (changes.isEmpty() || changes.getFirst().revision() != at + 1) {
                throw new StoreException("the log under " + location + " no longer holds revision " + (at + 1)
                        + " (compacted while this replica was behind)");
            }
            store.applyCommitted(changes);
            at = changes.getLast().revision();
        }
        return head;
    }

    private void follow() {
        while (true) {
            synchronized (following) {
                if (stopFollowing) {
                    return;
                }
                try {
                    following.wait(POLL.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                if (stopFollowing) {
                    return;
                }
            }
            try {
                catchUp();
            } catch (StoreException e) {
                if (e.getMessage() != null && e.getMessage().contains("no longer holds revision")) {
                    followFailure = e;
                    LOG.error("{}; this replica's reads stay at revision {}", e.getMessage(), store.currentRevision());
                    return;
                }
                LOG.warn("following the store under {}: {}", location, e.getMessage());
            } catch (RuntimeException e) {
                if (stopFollowing) {
                    return;
                }
                LOG.warn("following the store under {}: {}", location, e.toString());
            }
        }
    }

    private void joinFollower() {
        boolean interrupted = false;
        while (follower.isAlive()) {
            try {
                follower.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Optional<KeyValue> get(String key) {
        return store.get(key);
    }

    @Override
    public List<KeyValue> range(String prefix) {
        return store.range(prefix);
    }

    @Override
    public List<KeyValue> range(String prefix, String startAfter, int limit) {
        return store.range(prefix, startAfter, limit);
    }

    @Override
    public RangeResult rangeWithRevision(String prefix) {
        return store.rangeWithRevision(prefix);
    }

    @Override
    public long currentRevision() {
        return store.currentRevision();
    }

    /**
     * Runs {@code call} on this thread and gives its result, or nothing if it tried to commit
     * while this replica follows (then nothing it tried was written, and the call belongs with
     * the leader). A replica serves reads so, and relays those that turn out to write.
     */
    public <T> Optional<T> withoutWriting(Supplier<T> call) {
        boolean[] refused = {false};
        boolean[] outer = refusedHere.get();
        refusedHere.set(refused);
        try {
            T result = call.get();
            return refused[0] ? Optional.empty() : Optional.of(result);
        } catch (RuntimeException e) {
            if (refused[0]) {
                return Optional.empty();
            }
            throw e;
        } finally {
            if (outer == null) {
                refusedHere.remove();
            } else {
                refusedHere.set(outer);
            }
        }
    }

    @Override
    public TxnResult commit(Txn txn) {
        try {
            return store.commit(txn);
        } catch (FollowerStoreException e) {
            noteRefused();
            throw e;
        }
    }

    @Override
    public CompletableFuture<TxnResult> commitAsync(Txn txn) {
        try {
            return store.commitAsync(txn);
        } catch (FollowerStoreException e) {
            noteRefused();
            throw e;
        }
    }

    private void noteRefused() {
        boolean[] refused = refusedHere.get();
        if (refused != null) {
            refused[0] = true;
        }
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        return store.watch(prefix, fromRevision, listener);
    }

    @Override
    public void close() {
        synchronized (following) {
            stopFollowing = true;
            following.notifyAll();
        }
        joinFollower();
        store.close();
    }
}
