package dev.stevedore.agent.channel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Hands values to a consumer on a thread of its own, keeping only the newest one not yet handed
 * over. Right for complete states (each one supersedes the ones before it): a slow consumer skips
 * the states it had no time for instead of queueing them, and the socket that offers them never
 * waits for it. A consumer that throws gets the same value again after {@code retryDelay}, unless
 * a newer one came meanwhile.
 */
final class LatestValueDelivery<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LatestValueDelivery.class);

    private final Consumer<T> consumer;
    private final Duration retryDelay;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private T pending; // guarded by lock
    private boolean closed; // guarded by lock
    private final Thread thread;

    LatestValueDelivery(String name, Consumer<T> consumer, Duration retryDelay) {
        this.consumer = consumer;
        this.retryDelay = retryDelay;
        this.thread = Thread.ofVirtual().name(name).start(this::run);
    }

    void offer(T value) {
        lock.lock();
        try {
            pending = value;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        Optional<T> next;
        while ((next = take()).isPresent()) {
            T value = next.get();
            try {
                consumer.accept(value);
            } catch (RuntimeException e) {
                LOG.error("applying the desired state failed; trying again in {} ms", retryDelay.toMillis(), e);
                retryLater(value);
            }
        }
    }

    private Optional<T> take() {
        lock.lock();
        try {
            while (pending == null && !closed) {
                changed.awaitUninterruptibly();
            }
            if (closed) {
                return Optional.empty();
            }
            T value = pending;
            pending = null;
            return Optional.of(value);
        } finally {
            lock.unlock();
        }
    }

    private void retryLater(T value) {
        lock.lock();
        try {
            long nanos = retryDelay.toNanos();
            while (pending == null && !closed && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            if (pending == null) {
                pending = value;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Stops delivering; waits for a delivery in progress to end. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
