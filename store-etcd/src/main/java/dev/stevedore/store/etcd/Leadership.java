package dev.stevedore.store.etcd;

import dev.stevedore.store.StoreException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One term of this replica as the leader: the etcd lease it holds and the create revision of the
 * leader key it made under that lease. The key goes with the lease, and a key made again (by
 * anyone) has another create revision, so "the leader key still has this create revision" is
 * true exactly while this term lasts: every write of the leader's store carries it as a compare
 * in the same etcd transaction (the fence).
 *
 * <p>The replica also stops acting on its own before etcd could let the lease expire: the term is
 * {@link #held} only until the send time of its last answered keep-alive plus the lease's TTL
 * less a safety margin. The send time, not the answer's, because etcd renewed the lease somewhere
 * after the request left; so a replica that cannot reach etcd, or was paused, knows it may no
 * longer be the leader before anyone else can become it.
 *
 * <p>Past that sure time the term is <em>in doubt</em>, not over: etcd may only be electing a new
 * leader of its own (it keeps leases alive through that), so keep-alives go on, and one answered
 * with the lease alive makes the term sure again (the lease cannot have expired and come back, and
 * its key goes only with it, so nobody else can have led meanwhile). While in doubt the replica does
 * not act: its store holds writes ({@link #awaitSure}). The term ends when the doubt has lasted
 * {@code doubt} with no answer, or etcd answers that the lease is gone.
 *
 * <p>The store may find the term over first: etcd refused a write's fence (the leader key gone or
 * another's), or a write came due when the term was no longer sure. Its journal then
 * {@link #lose}s the term, which ends it at once and wakes the election to say so.
 */
public final class Leadership {

    private final long leaseId;
    private final long keyCreateRevision;
    private final long ttlNanos;
    private final long marginNanos;
    private final long doubtNanos;
    private volatile long heldUntilNanos;
    private volatile boolean ended;
    /** Why the store gave the term up, once it has; empty while it has not. */
    private volatile Optional<String> lost = Optional.empty();
    private final Object changed = new Object();

    Leadership(long leaseId, long keyCreateRevision, Duration ttl, Duration margin, Duration doubt,
            long grantSentNanos) {
        this.leaseId = leaseId;
        this.keyCreateRevision = keyCreateRevision;
        this.ttlNanos = ttl.toNanos();
        this.marginNanos = margin.toNanos();
        this.doubtNanos = doubt.toNanos();
        this.heldUntilNanos = grantSentNanos + ttlNanos - marginNanos;
    }

    /** The etcd lease of this term. */
    public long leaseId() {
        return leaseId;
    }

    /** The create revision of the leader key this term made: the fence every write compares. */
    public long keyCreateRevision() {
        return keyCreateRevision;
    }

    /** Whether this replica may still act as the leader: the term has not ended and its lease is surely alive. */
    public boolean held() {
        return !ended && System.nanoTime() - heldUntilNanos < 0;
    }

    /** How long the term is surely held from now (zero once it is not). */
    public Duration remaining() {
        long left = heldUntilNanos - System.nanoTime();
        return ended || left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /**
     * Whether the term is past its sure time but may still be this replica's: not ended, and the
     * doubt has not yet lasted its limit. Nothing is done as the leader meanwhile.
     */
    public boolean inDoubt() {
        long now = System.nanoTime();
        return !ended && now - heldUntilNanos >= 0 && now - (heldUntilNanos + doubtNanos) < 0;
    }

    /**
     * Waits while the term is {@link #inDoubt} for it to be sure again; true if it is {@link #held}
     * (at once if it already was), false once it has ended or its doubt ran out.
     */
    public boolean awaitSure() throws InterruptedException {
        synchronized (changed) {
            while (!held() && inDoubt()) {
                long left = heldUntilNanos + doubtNanos - System.nanoTime();
                TimeUnit.NANOSECONDS.timedWait(changed, Math.max(1, left));
            }
            return held();
        }
    }

    /**
     * Before a write of the store under {@code storePrefix} (or its retry): holds it while the term
     * is in doubt, and refuses it once the term is not surely held after all, giving the term up:
     * that store accepts no more commits, so the replica must stop acting as the leader too.
     *
     * @throws StoreException if the term is over
     */
    void requireSure(String storePrefix) {
        boolean sure;
        try {
            sure = awaitSure();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while this replica's term was in doubt (" + this + ")", e);
        }
        if (!sure) {
            lose("the term was no longer sure when a write of its store was due (" + this + ")");
            throw new StoreException("this replica's term as the leader of the store under " + storePrefix
                    + " has ended (" + this + "); it writes no more");
        }
    }

    /** A keep-alive sent at {@code sentNanos} was answered with the lease alive (also after a doubt). */
    void renewed(long sentNanos) {
        long until = sentNanos + ttlNanos - marginNanos;
        synchronized (changed) {
            if (until - heldUntilNanos > 0) {
                heldUntilNanos = until;
                changed.notifyAll();
            }
        }
    }

    void end() {
        synchronized (changed) {
            ended = true;
            changed.notifyAll();
        }
    }

    /**
     * The store found this term over ({@code why}): the term ends now, so no write is sent under it
     * any more, and the election, woken, tells the replica and campaigns again. The first reason stays.
     */
    void lose(String why) {
        synchronized (changed) {
            if (!ended) {
                lost = Optional.of(why);
                ended = true;
                changed.notifyAll();
            }
        }
    }

    /** Why the store gave this term up, if it did. */
    Optional<String> lost() {
        return lost;
    }

    /** Waits {@code pause}, or less if the term ends meanwhile. */
    void awaitEnd(Duration pause) throws InterruptedException {
        long until = System.nanoTime() + pause.toNanos();
        synchronized (changed) {
            long left;
            while (!ended && (left = until - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(changed, left);
            }
        }
    }

    boolean ended() {
        return ended;
    }

    @Override
    public String toString() {
        return "lease " + Long.toHexString(leaseId) + ", leader key created at etcd revision " + keyCreateRevision
                + (held() ? ", held for " + TimeUnit.NANOSECONDS.toMillis(remaining().toNanos()) + " ms"
                        : inDoubt() ? ", in doubt" : ", ended");
    }
}
