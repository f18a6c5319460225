package dev.stevedore.server.replica;

import dev.stevedore.awsproto.EdgeRefusals;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.HttpResponse;
import dev.stevedore.store.StoreObserver;
import dev.stevedore.store.StoreOptions;
import dev.stevedore.store.etcd.EtcdLocation;
import dev.stevedore.store.etcd.EtcdReplicaStore;
import dev.stevedore.store.etcd.LeaderElection;
import dev.stevedore.store.etcd.Leadership;
import dev.stevedore.store.etcd.Replica;
import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.io.IOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process as one replica of a control plane whose store is in etcd: its copy of the store,
 * its part in the election, and what it does with a request while it is or is not the leader.
 *
 * <p>A follower answers reads from its own copy ({@link LocalReads}) and relays everything else,
 * signed as it came, to the leader named in the leader key; it refuses agent channel handshakes
 * (503), so agents go to another endpoint they know. Once elected, the store is caught up and made
 * the writer, then the composition root's {@code onLead} starts the leader's work; from then on
 * every request is served here. A term that ends is final: the process must be restarted to
 * follow again ({@link #termEnded}).
 */
public final class Replication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Replication.class);

    private final EtcdLocation location;
    private final EtcdReplicaStore store;
    private final Duration leaseTtl;
    private final String id;
    private final LeaderRelay relay;
    /** Completes once this replica serves as the leader; {@link #leading} once its take-over is finished. */
    private final CompletableFuture<Void> serving = new CompletableFuture<>();
    private final CompletableFuture<Void> leading = new CompletableFuture<>();
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private volatile LeaderElection election;
    private volatile boolean leads;
    private volatile boolean closing;

    private Replication(EtcdLocation location, EtcdReplicaStore store, Duration leaseTtl) {
        this.location = location;
        this.store = store;
        this.leaseTtl = leaseTtl;
        this.id = "replica-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        this.relay = new LeaderRelay(id);
    }

    /** Opens this replica's copy of the store at {@code location}, following whoever leads it. */
    public static Replication open(EtcdLocation location, Duration leaseTtl, StoreObserver observer) {
        return new Replication(location, EtcdReplicaStore.follow(location, StoreOptions.defaults(), observer), leaseTtl);
    }

    public EtcdReplicaStore store() {
        return store;
    }

    /**
     * Joins the election as {@code endpoint}. When elected (on a thread of its own, so the lease is
     * kept alive meanwhile) the store becomes the writer, {@code toServe} runs (what must be running
     * before this replica answers as the leader: the plan applier and the controllers), the replica
     * serves every call, then {@code chores} runs (what may start a moment later), and only then does
     * {@link #awaitLeader} see it lead. Calls held while no leader could be reached so wait for the
     * placement machinery only.
     */
    public void start(String endpoint, Runnable toServe, Runnable chores) {
        election = LeaderElection.start(location, new Replica(id, endpoint), leaseTtl, new LeaderElection.Listener() {
            @Override
            public void elected(Leadership term) {
                Thread.ofVirtual().name("stevedore-promotion").start(() -> promote(term, toServe, chores));
            }

            @Override
            public void ended(Leadership term, String why) {
                // This process leaves once a term ends: a new lease taken on its way out would only
                // make the other replicas wait for it to run out.
                election.retire();
                if (!closing) {
                    ended.complete(why); // leaving on close is no loss of a term
                }
                leads = false; // after ended completes: promote's check below then cannot miss it
            }
        });
    }

    private void promote(Leadership term, Runnable toServe, Runnable chores) {
        try {
            long started = System.nanoTime();
            store.lead(term);
            long storeLed = System.nanoTime();
            toServe.run();
            // Not term.held(): on a busy machine a keep-alive may be answered just after the term's
            // sure time ran out, and a renewal sent before then restores it; a snapshot taken in
            // that gap left a leader that never served. Writes check the term themselves.
            leads = true;
            if (ended.isDone()) {
                leads = false; // the term ended while this replica was taking over
            }
            serving.complete(null);
            long served = System.nanoTime();
            chores.run();
            leading.complete(null);
            LOG.info("replica {} is the leader: it serves every call and runs the controllers (took over in {} ms: "
                            + "store {} ms, placement {} ms, then the rest {} ms)", id,
                    TimeUnit.NANOSECONDS.toMillis(served - started), TimeUnit.NANOSECONDS.toMillis(storeLed - started),
                    TimeUnit.NANOSECONDS.toMillis(served - storeLed), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - served));
        } catch (RuntimeException e) {
            leads = false;
            LOG.error("replica {} was elected but could not take over the store; it stops", id, e);
            ended.complete("could not take over the store: " + e.getMessage());
        }
    }

    /** Whether this replica leads now. */
    public boolean leads() {
        return leads;
    }

    /** Completes, with the reason, when this replica's term has ended; it must not act as the leader again. */
    public CompletableFuture<String> termEnded() {
        return ended;
    }

    /**
     * Waits until some replica is known to lead (this one having taken over, if it is the one),
     * at most {@code within}; false if none was by then.
     */
    public boolean awaitLeader(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            LeaderElection current = election;
            if (leading.isDone() || ended.isDone()) {
                return leading.isDone();
            }
            if (current != null && current.leader().filter(r -> !r.id().equals(id)).isPresent()) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return false;
    }

    /** The leader's endpoint as last seen, if it is another replica. */
    public Optional<String> leaderEndpoint() {
        LeaderElection current = election;
        return current == null ? Optional.empty()
                : current.leader().filter(r -> !r.id().equals(id)).map(Replica::endpoint);
    }

    /** Serves {@code request} here ({@code local}) or at the leader, as this replica's role says. */
    public HttpResponse route(HttpRequest request, Function<HttpRequest, HttpResponse> local) {
        if (leads) {
            return local.apply(request);
        }
        if (ended.isDone()) {
            return EdgeRefusals.throttled(request); // retried by clients, at another endpoint if they have one
        }
        if (LocalReads.servedLocally(request)) {
            Optional<HttpResponse> answered = store.withoutWriting(() -> local.apply(request));
            if (answered.isPresent()) {
                return answered.get();
            }
        }
        // Relayed by a replica that took this one for the leader: it is, or is taking over; never relayed on.
        return relayOrWait(request, local, request.header(LeaderRelay.RELAYED_HEADER).isEmpty());
    }

    /**
     * Relays {@code request} to the leader. While there is none to reach (the leader key not yet
     * made, or naming a leader that stopped and whose lease has not run out), the call waits, up to
     * twice the lease, for the next leader: this replica (then it is served here) or another. So a
     * failover costs a caller a slower answer, not an error and its client's back-off. A call another
     * replica relayed here is not relayed on: it waits for this replica to finish taking over.
     */
    private HttpResponse relayOrWait(HttpRequest request, Function<HttpRequest, HttpResponse> local, boolean mayRelay) {
        long deadline = System.nanoTime() + leaseTtl.multipliedBy(2).toNanos();
        while (true) {
            if (leads) {
                return local.apply(request);
            }
            Optional<String> leader = mayRelay ? leaderEndpoint() : Optional.empty();
            if (leader.isPresent()) {
                try {
                    String target = leader.get();
                    return relay.relay(request, target, () -> leaderEndpoint().filter(target::equals).isPresent());
                } catch (LeaderRelay.NotSent e) {
                    LOG.debug("{}", e.getMessage());
                } catch (IOException e) {
                    LOG.warn("a call relayed to the leader at {} got no whole answer: {}", leader.get(), e.getMessage());
                    // The leader may have done it: not a refusal, whose retry would be safe, but a gateway's failure.
                    return new HttpResponse(502, java.util.Map.of("Content-Type", "text/plain; charset=utf-8"),
                            ("The leader replica did not answer in full: " + e.getMessage())
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            if (ended.isDone() || System.nanoTime() - deadline > 0) {
                return EdgeRefusals.throttled(request);
            }
            try {
                serving.get(20, TimeUnit.MILLISECONDS); // woken as soon as this replica serves
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return EdgeRefusals.throttled(request);
            } catch (TimeoutException | ExecutionException e) {
                // look again
            }
        }
    }

    /** The agent channel's handshakes while this replica leads; refused with 503 otherwise. */
    public Handler<ServerWebSocketHandshake> channelOnlyWhileLeading(Handler<ServerWebSocketHandshake> channel) {
        return handshake -> {
            if (leads) {
                channel.handle(handshake);
            } else {
                handshake.reject(503);
            }
        };
    }

    public String id() {
        return id;
    }

    /** Leaves the election (a term in progress ends and its lease is revoked), then closes the store. */
    @Override
    public void close() {
        closing = true;
        LeaderElection current = election;
        if (current != null) {
            current.close();
        }
        store.close();
    }
}
