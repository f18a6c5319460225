package dev.stevedore.store.etcd;

import java.util.concurrent.TimeUnit;

/**
 * A follower's proof, from etcd's answers alone, that the leader's lease has expired: then the
 * follower may revoke it itself instead of waiting for etcd to, which it does only on its lessor's
 * next tick (every 500 ms), so up to half a second after the expiry.
 *
 * <p>etcd answers LeaseTimeToLive with the remaining time in whole seconds, cut toward zero: 0
 * means less than one second left (or already expired and not yet revoked), and a keep-alive puts
 * the lease back at its full TTL (at least 2 s), which every answer for the next second shows as
 * 1 or more. So if one answer says 0, the lease expires within a second of it unless renewed; if
 * every answer after it also says 0, each asked less than a second after the one before (so no
 * renewal between two of them could hide), none was renewed; and an answer to a question sent a
 * second or more after that first answer came back finds the lease expired. etcd renews no expired
 * lease (a keep-alive for one waits for its revocation and fails), so revoking it then takes
 * nothing from a leader that is alive: that leader stopped acting a margin before the expiry
 * ({@link Leadership#held}), and its writes are fenced anyway.
 *
 * <p>Not thread-safe: one election thread observes.
 */
final class LeaseExpiry {

    /** A second, as etcd's truncated TTL counts it, and a little more for the two clocks' ticks. */
    private static final long PROOF_NANOS = TimeUnit.MILLISECONDS.toNanos(1_020);
    /** The longest gap between two questions that still shows every renewal in between. */
    private static final long MAX_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(900);

    private long leaseId;
    private boolean counting;
    private long zeroAnsweredAt;
    private long lastSentAt;

    /**
     * Takes one answer to LeaseTimeToLive for {@code lease}: {@code ttlSeconds} as etcd gave it,
     * the question sent at {@code sentNanos} and answered at {@code answeredNanos} ({@link System#nanoTime}).
     *
     * @return whether the lease has surely expired (the answers since the first 0 prove it)
     */
    boolean observe(long lease, long ttlSeconds, long sentNanos, long answeredNanos) {
        if (lease != leaseId) {
            leaseId = lease;
            counting = false;
        }
        if (ttlSeconds != 0) {
            // Renewed (1 or more), or no longer there (-1: revoked, its keys already gone).
            counting = false;
            return false;
        }
        if (!counting || answeredNanos - lastSentAt >= MAX_GAP_NANOS) {
            // A first 0, or one after a gap a renewal could hide in: the second starts from here.
            counting = true;
            zeroAnsweredAt = answeredNanos;
            lastSentAt = sentNanos;
            return false;
        }
        lastSentAt = sentNanos;
        return sentNanos - zeroAnsweredAt >= PROOF_NANOS;
    }

    /** Forgets what was seen (the leader key changed or went). */
    void forget() {
        counting = false;
        leaseId = 0;
    }
}
