package dev.stevedore.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which replica of a store leads: the one that made {@code P/leader} (its id and endpoint) under an
 * etcd lease of its own. The others look at the key every {@link #POLL} and campaign when it is
 * gone: the lease of a leader that stopped, was paused or lost etcd runs out after its TTL and the
 * key goes with it. They also ask etcd each time how long that lease has left, and revoke it
 * themselves as soon as the answers prove it expired ({@link LeaseExpiry}): etcd would revoke it
 * only on its next lessor tick, up to half a second later.
 *
 * <p>The leader renews its lease every quarter TTL itself (one keep-alive at a time, so it knows
 * when each was sent; see {@link Leadership#held}). With none answered for TTL less the margin its
 * term is in doubt (it does not act) and keep-alives go every {@link #IN_DOUBT_RETRY}: etcd electing
 * a new leader of its own (a member lost) takes about a second or more, and keeps leases alive
 * through it, so the first answer makes the term sure again. The term ends when a keep-alive is
 * answered with the lease gone, when the doubt lasts {@link #DOUBT_TTLS} TTLs, or at once when its
 * store found the term over ({@link Leadership#lose}: a write refused by etcd's fence, or due when
 * the doubt ran out). A term that ended is not resumed: the listener is told, and this election
 * campaigns again as any follower would (a new term has a new lease and fence), unless the replica
 * {@link #retire}s it.
 */
public final class LeaderElection implements AutoCloseable {

    /** How often a follower looks whether the leader key is gone, and asks how long its lease has left. */
    static final Duration POLL = Duration.ofMillis(50);
    /** How often a leader whose term is in doubt asks etcd to renew its lease (and how long it waits for an answer). */
    static final Duration IN_DOUBT_RETRY = Duration.ofMillis(200);
    /**
     * How many TTLs a term may stay in doubt before it ends: long enough for etcd to elect a new
     * leader on a loaded machine (seconds), short enough that a leader cut from etcd soon restarts as
     * a follower (another replica leads after one TTL anyway; this one does not act meanwhile).
     */
    static final int DOUBT_TTLS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    /** What the replica does as its terms start and end; called on the election's thread. */
    public interface Listener {
        /** This replica leads from now on, while {@code term} is {@link Leadership#held}. */
        void elected(Leadership term);

        /** The term has ended (it was already not {@link Leadership#held} when this is called). */
        void ended(Leadership term, String why);
    }

    private final Client client;
    private final KV kv;
    private final Lease leases;
    private final EtcdLayout layout;
    private final Replica self;
    private final Duration ttl;
    private final Duration margin;
    private final Listener listener;
    private final Thread thread;
    private final LeaseExpiry expiry = new LeaseExpiry();
    private volatile Optional<Replica> leader = Optional.empty();
    private volatile Leadership term;
    private volatile boolean closed;
    private volatile boolean retired;

    private LeaderElection(EtcdLocation location, Replica self, Duration ttl, Listener listener) {
        this.client = Client.builder().endpoints(location.endpoints().toArray(String[]::new)).build();
        this.kv = client.getKVClient();
        this.leases = client.getLeaseClient();
        this.layout = new EtcdLayout(location.prefix());
        this.self = self;
        this.ttl = ttl;
        // A quarter of the TTL: two keep-alives may go unanswered before the term ends.
        this.margin = ttl.dividedBy(4);
        this.listener = listener;
        this.thread = Thread.ofPlatform().daemon().name("stevedore-leader-election " + self.id()).unstarted(this::run);
    }

    /**
     * Joins the election of the store at {@code location} as {@code self}.
     *
     * @param ttl the lease's time to live, in whole seconds, at least 2 (etcd raises shorter ones
     *     to its own minimum, which would make the term end later than this replica thinks)
     */
    public static LeaderElection start(EtcdLocation location, Replica self, Duration ttl, Listener listener) {
        Objects.requireNonNull(listener, "listener");
        if (ttl.toMillis() % 1000 != 0 || ttl.toSeconds() < 2) {
            throw new IllegalArgumentException("the leader lease is whole seconds, at least 2: " + ttl);
        }
        LeaderElection election = new LeaderElection(location, self, ttl, listener);
        election.thread.start();
        return election;
    }

    /** The leader as last seen (this replica while it leads); empty while there is none. */
    public Optional<Replica> leader() {
        return leader;
    }

    /** This replica's current term, if it leads. */
    public Optional<Leadership> term() {
        Leadership current = term;
        return current != null && current.held() ? Optional.of(current) : Optional.empty();
    }

    public Replica self() {
        return self;
    }

    private void run() {
        while (!closed && !retired) {
            try {
                Optional<Leadership> won = campaign();
                if (won.isPresent()) {
                    lead(won.get());
                } else {
                    pause(POLL);
                }
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("leader election under {}: {}; trying again", layout.prefix(), e.getMessage());
                    pause(POLL);
                }
            }
        }
    }

    /**
     * Looks at the leader key; when there is none, or its lease is proven expired (then revoked
     * here), tries to make it under a new lease.
     */
    private Optional<Leadership> campaign() {
        GetResponse current = await(kv.get(layout.leader()), ttl);
        long sent = System.nanoTime();
        CompletableFuture<LeaseGrantResponse> granted = null;
        if (!current.getKvs().isEmpty()) {
            KeyValue held = current.getKvs().getFirst();
            leader = Replica.decode(held.getValue().getBytes());
            if (held.getLease() == 0 || !expired(held.getLease())) {
                return Optional.empty();
            }
            LOG.info("replica {}: the lease of the leader {} has expired; revoking it rather than waiting for etcd to",
                    self.id(), leader.map(Replica::id).orElse("?"));
            // This replica's lease is asked for meanwhile: one round trip to etcd less before it leads.
            sent = System.nanoTime();
            granted = leases.grant(ttl.toSeconds());
            revokeQuietly(held.getLease());
        }
        expiry.forget();
        if (granted == null) {
            sent = System.nanoTime();
            granted = leases.grant(ttl.toSeconds());
        }
        long leaseId = await(granted, ttl).getID();
        TxnResponse made = await(kv.txn()
                .If(new Cmp(layout.leader(), Cmp.Op.EQUAL, CmpTarget.version(0)))
                .Then(Op.put(layout.leader(), ByteSequence.from(self.encode()),
                        PutOption.builder().withLeaseId(leaseId).build()))
                .Else(Op.get(layout.leader(), GetOption.DEFAULT))
                .commit(), ttl);
        if (!made.isSucceeded()) {
            revokeQuietly(leaseId);
            made.getGetResponses().stream().flatMap(r -> r.getKvs().stream()).findFirst()
                    .ifPresent(kv -> leader = Replica.decode(kv.getValue().getBytes()));
            return Optional.empty();
        }
        // The key was made in this transaction, so its create revision is the transaction's.
        Leadership won = new Leadership(leaseId, made.getHeader().getRevision(), ttl, margin,
                ttl.multipliedBy(DOUBT_TTLS), sent);
        leader = Optional.of(self);
        LOG.info("replica {} leads the store under {} ({})", self.id(), layout.prefix(), won);
        return Optional.of(won);
    }

    /** Asks etcd how long the leader's {@code lease} has left; true once the answers prove it expired. */
    private boolean expired(long lease) {
        long sent = System.nanoTime();
        long seconds = await(leases.timeToLive(lease, LeaseOption.DEFAULT), ttl).getTTL();
        return expiry.observe(lease, seconds, sent, System.nanoTime());
    }

    /** Keeps the term's lease alive until the term can no longer be sure of it, or the election closes. */
    private void lead(Leadership won) {
        term = won;
        listener.elected(won);
        String why = "the election was closed";
        Duration every = ttl.dividedBy(4);
        long doubtSince = 0;
        while (!closed) {
            try {
                won.awaitEnd(won.held() ? every : IN_DOUBT_RETRY);
            } catch (InterruptedException e) {
                // closing
            }
            if (closed || won.lost().isPresent()) {
                break;
            }
            long sent = System.nanoTime();
            try {
                Duration within = won.held() ? won.remaining() : IN_DOUBT_RETRY;
                LeaseKeepAliveResponse answer = await(leases.keepAliveOnce(won.leaseId()), within);
                if (answer.getTTL() <= 0) {
                    why = "etcd answered that the lease is gone";
                    break;
                }
                won.renewed(sent);
            } catch (RuntimeException e) {
                if (won.held() || doubtSince == 0) {
                    LOG.warn("replica {}: lease keep-alive failed: {}", self.id(), e.getMessage());
                }
            }
            if (won.lost().isPresent()) {
                break;
            }
            if (won.held() && doubtSince != 0) {
                LOG.info("replica {}: its term is sure again after {} ms in doubt ({})", self.id(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - doubtSince), won);
                doubtSince = 0;
            } else if (!won.held() && doubtSince == 0 && won.inDoubt()) {
                doubtSince = System.nanoTime();
                LOG.warn("replica {}: no keep-alive answered for {} ms; it does not act as the leader until one is",
                        self.id(), ttl.minus(margin).toMillis());
            }
            if (!won.held() && !won.inDoubt()) {
                why = "no keep-alive was answered for " + ttl.minus(margin).plus(ttl.multipliedBy(DOUBT_TTLS)).toMillis()
                        + " ms";
                break;
            }
        }
        if (won.lost().isPresent()) {
            why = won.lost().get();
        }
        won.end();
        term = null;
        leader = Optional.empty();
        LOG.warn("replica {} no longer leads the store under {}: {}", self.id(), layout.prefix(), why);
        listener.ended(won, why);
        revokeQuietly(won.leaseId());
    }

    private void revokeQuietly(long leaseId) {
        try {
            await(leases.revoke(leaseId), Duration.ofSeconds(1));
        } catch (RuntimeException e) {
            // It runs out by itself; revoking only lets the next leader start sooner.
        }
    }

    private static <T> T await(CompletableFuture<T> request, Duration within) {
        try {
            return request.get(Math.max(1, within.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.cancel(true);
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            request.cancel(true);
            throw new IllegalStateException("etcd did not answer within " + within.toMillis() + " ms", e);
        }
    }

    private void pause(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            // closing
        }
    }

    /**
     * Campaigns no more once the current term (if any) has ended: for a replica that leaves when
     * its term ends, so it does not take a new lease on its way out and make the others wait for it.
     * Safe to call from {@link Listener#ended}.
     */
    public void retire() {
        retired = true;
    }

    /** Leaves the election: a term in progress ends (its lease revoked, so another replica leads at once). */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
