package dev.stevedore.server;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The edge's account of what it holds: requests in flight and the bytes of their bodies, bounded by
 * {@link EdgeLimits}. Shared by every event loop, so it is lock-free; each admitted request holds a
 * {@link Ticket} that gives back what it took exactly once.
 */
final class EdgeBudget {
    private final EdgeLimits limits;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    EdgeBudget(EdgeLimits limits) {
        this.limits = limits;
    }

    EdgeLimits limits() {
        return limits;
    }

    /** A place for one more request holding {@code bytes} up front, or empty when either bound is reached. */
    Optional<Ticket> admit(long initialBytes) {
        if (requests.incrementAndGet() > limits.maxRequestsInFlight()) {
            requests.decrementAndGet();
            return Optional.empty();
        }
        Ticket ticket = new Ticket();
        if (!ticket.cover(initialBytes)) {
            ticket.release();
            return Optional.empty();
        }
        return Optional.of(ticket);
    }

    /** Whether another request would be admitted now (for WebSocket handshakes, which hold no body). */
    boolean atRequestBound() {
        return requests.get() >= limits.maxRequestsInFlight();
    }

    int requestsInFlight() {
        return requests.get();
    }

    long bufferedBytes() {
        return bytes.get();
    }

    private boolean reserve(long more) {
        long now;
        do {
            now = bytes.get();
            if (now + more > limits.maxBufferedBytes()) {
                return false;
            }
        } while (!bytes.compareAndSet(now, now + more));
        return true;
    }

    /** One admitted request's share; used from the request's event loop and released once by anyone. */
    final class Ticket {
        private long reserved;
        private boolean released;

        /** Makes the share hold {@code total} body bytes; false when the budget has no room for them. */
        synchronized boolean cover(long total) {
            if (released) {
                return false;
            }
            if (total <= reserved) {
                return true;
            }
            if (!reserve(total - reserved)) {
                return false;
            }
            reserved = total;
            return true;
        }

        /** Gives the request's place and bytes back; later calls do nothing. */
        synchronized void release() {
            if (released) {
                return;
            }
            released = true;
            bytes.addAndGet(-reserved);
            reserved = 0;
            requests.decrementAndGet();
        }
    }
}
