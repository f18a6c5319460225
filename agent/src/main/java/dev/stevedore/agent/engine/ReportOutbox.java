package dev.stevedore.agent.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reports of one task on their way to the {@link StateReporter}: sent one at a time in the
 * order they were made, on a virtual thread of their own so that a slow or failing control plane
 * holds up neither the task's supervisor nor any other task. A failed report is retried with
 * back-off until it goes through or a newer report supersedes it.
 */
final class ReportOutbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReportOutbox.class);

    private final String taskArn;
    private final StateReporter reporter;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Consumer<Report> onDelivered;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Report> queue = new ArrayDeque<>();
    private final Thread thread;
    /** The report being sent, which stays at the head of the queue until it is done. */
    private Report inFlight;
    private boolean inFlightSuperseded;
    private boolean closed;

    /**
     * @param onDelivered told of every report the control plane accepted (or refused for good),
     *                    from the outbox's thread
     */
    ReportOutbox(String taskArn, StateReporter reporter, Duration initialBackoff, Duration maxBackoff, Consumer<Report> onDelivered) {
        this.taskArn = Objects.requireNonNull(taskArn, "taskArn");
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.onDelivered = onDelivered;
        this.thread = Thread.ofVirtual().name("reports-" + taskArn.substring(taskArn.lastIndexOf('/') + 1)).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Queues a report; reports it makes pointless are dropped. */
    void offer(Report report) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            queue.removeIf(older -> older != inFlight && report.supersedes(older));
            if (inFlight != null && report.supersedes(inFlight)) {
                inFlightSuperseded = true;
            }
            queue.addLast(report);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Reports not yet sent (diagnostics and tests). */
    int pending() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Stops sending; what is still queued is dropped (the task's state file knows it is unreported). */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread.getState() == Thread.State.NEW) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Duration backoff = initialBackoff;
        try {
            while (true) {
                Report next = awaitNext();
                if (next == null) {
                    return;
                }
                boolean delivered = send(next);
                boolean dropped = finish(next, delivered);
                if (delivered) {
                    backoff = initialBackoff;
                    onDelivered.accept(next);
                } else if (!dropped) {
                    waitBeforeRetry(backoff);
                    backoff = min(backoff.multipliedBy(2), maxBackoff);
                }
            }
        } catch (InterruptedException e) {
            // Closed.
        }
    }

    private Report awaitNext() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() && !closed) {
                changed.await();
            }
            if (closed) {
                return null;
            }
            inFlight = queue.peekFirst();
            inFlightSuperseded = false;
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    private boolean send(Report report) {
        try {
            report.deliver(reporter);
            return true;
        } catch (StateReportRejectedException e) {
            log.warn("task {}: the control plane refused a report for good, not retrying it: {}", taskArn, e.getMessage());
            return true;
        } catch (RuntimeException e) {
            log.warn("task {}: reporting failed, will retry: {}", taskArn, e.toString());
            return false;
        }
    }

    /** @return whether the report left the queue without being delivered (superseded meanwhile) */
    private boolean finish(Report report, boolean delivered) {
        lock.lock();
        try {
            boolean drop = delivered || inFlightSuperseded;
            if (drop) {
                queue.removeFirstOccurrence(report);
            }
            inFlight = null;
            return drop && !delivered;
        } finally {
            lock.unlock();
        }
    }

    private void waitBeforeRetry(Duration backoff) throws InterruptedException {
        lock.lock();
        try {
            long nanos = backoff.toNanos();
            while (nanos > 0 && !closed) {
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
