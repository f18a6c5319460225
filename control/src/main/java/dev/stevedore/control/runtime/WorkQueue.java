package dev.stevedore.control.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The keys a controller still has to look at, and the workers that look at them. A key is queued
 * at most once however often it is added, and never reconciled by two workers at once: added while
 * being reconciled, it runs once more afterwards. A reconcile that throws is retried with a back-off
 * that doubles from {@link #RETRY_MIN} to {@link #RETRY_MAX}; one that asks to be called again
 * after a delay is, unless a change brings it back sooner.
 *
 * <p>Workers are virtual threads, so a reconcile may block (on the store, on the plan applier).
 *
 * @param <K> the key type; keys must have value equality
 */
public final class WorkQueue<K> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);
    static final Duration RETRY_MIN = Duration.ofMillis(100);
    static final Duration RETRY_MAX = Duration.ofSeconds(30);

    private record Timer<K>(long dueNanos, K key) {
    }

    private final String name;
    private final Reconciler<K> reconciler;
    /** The least time between the starts of two passes of one key; changes in between fold into the next. */
    private final long minIntervalNanos;
    /** When each key's last pass started, for keys that ran within the interval. */
    private final Map<K, Long> lastStart = new HashMap<>();
    private long lastPrune = System.nanoTime();
    private final ReentrantLock lock = new ReentrantLock();
    /** Workers wait on this for a ready key. */
    private final Condition keyReady = lock.newCondition();
    /** The timer thread waits on this for a new earliest timer. */
    private final Condition timerAdded = lock.newCondition();
    private final LinkedHashSet<K> ready = new LinkedHashSet<>();
    private final Set<K> running = new HashSet<>();
    /** Keys added while running: they go back to {@link #ready} when their run ends. */
    private final Set<K> again = new HashSet<>();
    private final PriorityQueue<Timer<K>> timers = new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
    /** The earliest timer of each key; later ones for the same key are dropped. */
    private final Map<K, Long> timerOf = new HashMap<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final Thread clock;
    private boolean closed;

    public WorkQueue(String name, int workers, Reconciler<K> reconciler) {
        this(name, workers, Duration.ZERO, reconciler);
    }

    /**
     * @param minInterval the least time between the starts of two passes of one key: a change to a
     *                    key that has not run for that long is reconciled at once, and the changes
     *                    that follow within it fold into one pass when it ends, so a burst of
     *                    changes to one key (ten tasks of a service turning RUNNING) costs one or
     *                    two passes instead of ten; zero for no such limit
     */
    public WorkQueue(String name, int workers, Duration minInterval, Reconciler<K> reconciler) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be positive");
        }
        this.name = name;
        this.minIntervalNanos = minInterval.toNanos();
        this.reconciler = reconciler;
        for (int i = 0; i < workers; i++) {
            this.workers.add(Thread.ofVirtual().name(name + "-" + i).start(this::work));
        }
        this.clock = Thread.ofVirtual().name(name + "-timers").start(this::fireTimers);
    }

    /** Queues {@code key} to be reconciled as soon as a worker is free and its minimum interval allows. */
    public void add(K key) {
        long wait = 0;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (running.contains(key)) {
                again.add(key);
                return;
            }
            Long started = lastStart.get(key);
            wait = started == null ? 0 : started + minIntervalNanos - System.nanoTime();
            if (wait <= 0 && ready.add(key)) {
                keyReady.signal();
            }
        } finally {
            lock.unlock();
        }
        if (wait > 0) {
            addAfter(key, Duration.ofNanos(wait));
        }
    }

    /** Queues {@code key} after {@code delay}, unless it is already due sooner. */
    public void addAfter(K key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        long due = System.nanoTime() + delay.toNanos();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            Long existing = timerOf.get(key);
            if (existing != null && existing - due <= 0 || ready.contains(key)) {
                return;
            }
            timerOf.put(key, due);
            timers.add(new Timer<>(due, key));
            timerAdded.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Keys queued or running; zero means the controller has caught up with what it was told. */
    public int backlog() {
        lock.lock();
        try {
            return ready.size() + running.size() + again.size();
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        while (true) {
            K key;
            lock.lock();
            try {
                while (!closed && ready.isEmpty()) {
                    keyReady.await();
                }
                if (closed) {
                    return;
                }
                var it = ready.iterator();
                key = it.next();
                it.remove();
                running.add(key);
                if (minIntervalNanos > 0) {
                    rememberStart(key);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            Optional<Duration> after = Optional.empty();
            boolean failed = false;
            try {
                after = reconciler.reconcile(key);
            } catch (RuntimeException e) {
                failed = true;
                if (!closed) {
                    LOG.warn("{}: reconciling {} failed; retrying: {}", name, key, e.toString(), e);
                }
            }
            finish(key, failed, after);
        }
    }

    private void finish(K key, boolean failed, Optional<Duration> after) {
        Duration retry = null;
        boolean runAgain;
        lock.lock();
        try {
            running.remove(key);
            if (failed) {
                int n = failures.merge(key, 1, Integer::sum);
                long nanos = Math.min(RETRY_MAX.toNanos(), RETRY_MIN.toNanos() << Math.min(n - 1, 20));
                retry = Duration.ofNanos(nanos);
            } else {
                failures.remove(key);
            }
            runAgain = again.remove(key);
        } finally {
            lock.unlock();
        }
        if (runAgain) {
            add(key);
        }
        if (retry != null) {
            addAfter(key, retry);
        } else {
            after.ifPresent(d -> addAfter(key, d));
        }
    }

    /** Notes when {@code key} started; forgets keys idle for longer than the interval, so the map stays small. */
    private void rememberStart(K key) {
        long now = System.nanoTime();
        if (lastStart.size() > 1024 && now - lastPrune > minIntervalNanos) {
            lastStart.values().removeIf(started -> now - started > minIntervalNanos);
            lastPrune = now;
        }
        lastStart.put(key, now);
    }

    private void fireTimers() {
        lock.lock();
        try {
            while (!closed) {
                Timer<K> next = timers.peek();
                if (next == null) {
                    timerAdded.await();
                    continue;
                }
                long wait = next.dueNanos - System.nanoTime();
                if (wait > 0) {
                    timerAdded.awaitNanos(wait);
                    continue;
                }
                timers.poll();
                if (Long.valueOf(next.dueNanos).equals(timerOf.get(next.key))) {
                    timerOf.remove(next.key);
                    if (running.contains(next.key)) {
                        again.add(next.key);
                    } else if (ready.add(next.key)) {
                        keyReady.signal();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Stops taking keys and waits (bounded) for the reconciles in progress. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            keyReady.signalAll();
            timerAdded.signalAll();
        } finally {
            lock.unlock();
        }
        clock.interrupt();
        for (Thread t : workers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
