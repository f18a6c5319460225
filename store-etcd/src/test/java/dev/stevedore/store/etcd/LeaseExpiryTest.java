package dev.stevedore.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.options.LeaseOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When a follower may call the leader's lease expired: from etcd's whole-second answers, never too soon. */
class LeaseExpiryTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long LEASE = 7;

    @RegisterExtension
    static final EtcdExtension etcd = new EtcdExtension(1);

    private final LeaseExpiry expiry = new LeaseExpiry();

    /** One answer: asked at {@code sentMs}, answered 5 ms later. */
    private boolean answer(long ttl, long sentMs) {
        return expiry.observe(LEASE, ttl, sentMs * MS, (sentMs + 5) * MS);
    }

    @Test
    void zeroAnswersForLessThanASecondProveNothing() {
        assertThat(answer(1, 0)).isFalse();
        assertThat(answer(0, 50)).isFalse(); // the first 0 was answered at 55 ms
        for (long at = 100; at < 1_075; at += 50) {
            assertThat(answer(0, at)).as("asked at %d ms", at).isFalse();
        }
        assertThat(answer(0, 1_080)).as("asked over a second after the first 0 was answered").isTrue();
    }

    @Test
    void aRenewalSeenBetweenStartsTheSecondAgain() {
        answer(0, 0);
        answer(0, 500);
        assertThat(answer(1, 900)).isFalse();
        assertThat(answer(0, 1_100)).isFalse(); // answered at 1,105: the second starts there
        assertThat(answer(0, 1_600)).isFalse();
        assertThat(answer(0, 2_100)).isFalse();
        assertThat(answer(0, 2_130)).isTrue();
    }

    @Test
    void aGapLongEnoughToHideARenewalStartsTheSecondAgain() {
        answer(0, 0);
        answer(0, 100);
        // Asked at 200 ms, answered at 1,150: etcd may have looked at 200, and a renewal just after
        // would show as 0 again from about 1,200 on. So the second restarts at this answer...
        assertThat(expiry.observe(LEASE, 0, 200 * MS, 1_150 * MS)).isFalse();
        // ...and again at the next, which is also over 900 ms after that question was sent.
        assertThat(answer(0, 1_200)).isFalse();
        assertThat(answer(0, 1_700)).isFalse();
        assertThat(answer(0, 2_200)).isFalse();
        assertThat(answer(0, 2_230)).isTrue();
    }

    @Test
    void anotherLeaseOrAGoneOneStartsAfresh() {
        answer(0, 0);
        answer(0, 500);
        assertThat(expiry.observe(LEASE + 1, 0, 1_100 * MS, 1_105 * MS)).as("the key is under another lease now").isFalse();
        assertThat(answer(-1, 1_200)).as("not found: revoked already").isFalse();
        expiry.forget();
        assertThat(answer(0, 1_300)).isFalse();
    }

    @Test
    void onARealEtcdALeaseProvenExpiredCannotBeRenewed() throws Exception {
        try (Client client = Client.builder().endpoints(etcd.location("/expiry").endpoints().toArray(String[]::new)).build()) {
            Lease leases = client.getLeaseClient();
            long lease = leases.grant(2).get(10, TimeUnit.SECONDS).getID();
            leases.keepAliveOnce(lease).get(10, TimeUnit.SECONDS);
            boolean proven = false;
            boolean gone = false;
            // Under load etcd's own lessor may revoke the lease (TTL -1) before the answers prove it expired:
            // which comes first is a matter of speed (the failover benchmark's), not of what this test checks.
            while (!proven && !gone) {
                long sent = System.nanoTime();
                long ttl = leases.timeToLive(lease, LeaseOption.DEFAULT).get(10, TimeUnit.SECONDS).getTTL();
                gone = ttl < 0;
                proven = !gone && expiry.observe(lease, ttl, sent, System.nanoTime());
                Thread.sleep(20);
            }
            // etcd renews no expired lease: a keep-alive now fails (or finds it gone), whatever etcd's lessor has done yet.
            boolean renewed;
            try {
                renewed = leases.keepAliveOnce(lease).get(10, TimeUnit.SECONDS).getTTL() > 0;
            } catch (ExecutionException e) {
                renewed = false;
            }
            assertThat(renewed).isFalse();
        }
    }

    @Test
    void onARealEtcdALeaseKeptAliveIsNeverProvenExpired() throws Exception {
        try (Client client = Client.builder().endpoints(etcd.location("/expiry").endpoints().toArray(String[]::new)).build()) {
            Lease leases = client.getLeaseClient();
            long lease = leases.grant(2).get(10, TimeUnit.SECONDS).getID();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            long lastRenewal = 0;
            while (System.nanoTime() < until) {
                if (System.nanoTime() - lastRenewal > TimeUnit.MILLISECONDS.toNanos(900)) {
                    leases.keepAliveOnce(lease).get(10, TimeUnit.SECONDS);
                    lastRenewal = System.nanoTime();
                }
                long sent = System.nanoTime();
                long ttl = leases.timeToLive(lease, LeaseOption.DEFAULT).get(10, TimeUnit.SECONDS).getTTL();
                assertThat(expiry.observe(lease, ttl, sent, System.nanoTime())).isFalse();
                Thread.sleep(20);
            }
            leases.revoke(lease).get(10, TimeUnit.SECONDS);
        }
    }
}
