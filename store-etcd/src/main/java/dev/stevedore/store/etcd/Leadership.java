package dev.stevedore.store.etcd;

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
 * <p>The store may find the term over first: etcd refused a write's fence (the leader key gone or
 * another's), or a write came due when the term was no longer sure. Its journal then
 * {@link #lose}s the term, which ends it at once and wakes the election to say so.
 */
public final class Leadership {

    private final long leaseId;
    private final long keyCreateRevision;
    private final long ttlNanos;
    private final long marginNanos;
    private volatile long heldUntilNanos;
    private volatile boolean ended;
    /** Why the store gave the term up, once it has; empty while it has not. */
    private volatile Optional<String> lost = Optional.empty();
    private final Object changed = new Object();

    Leadership(long leaseId, long keyCreateRevision, Duration ttl, Duration margin, long grantSentNanos) {
        this.leaseId = leaseId;
        this.keyCreateRevision = keyCreateRevision;
        this.ttlNanos = ttl.toNanos();
        this.marginNanos = margin.toNanos();
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

    /** A keep-alive sent at {@code sentNanos} was answered with the lease alive. */
    void renewed(long sentNanos) {
        long until = sentNanos + ttlNanos - marginNanos;
        if (until - heldUntilNanos > 0) {
            heldUntilNanos = until;
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
                + (held() ? ", held for " + TimeUnit.NANOSECONDS.toMillis(remaining().toNanos()) + " ms" : ", ended");
    }
}
