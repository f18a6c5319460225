package dev.stevedore.store.etcd;

import dev.stevedore.store.StoreException;
import io.grpc.Status;
import java.time.Duration;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request to etcd at a time, awaited for at most {@value #TIMEOUT_SECONDS} s (or a shorter attempt the
 * caller names), and sent again while the failure is one a lost member or an election explains.
 */
final class EtcdRequests {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdRequests.class);
    private static final long TIMEOUT_SECONDS = 10;
    static final Duration DEFAULT_ATTEMPT = Duration.ofSeconds(TIMEOUT_SECONDS);
    /**
     * How long one attempt of a commit is awaited. A proposal in flight when etcd's leader dies is
     * answered only after etcd's own request timeout (7 s with its defaults), although the members
     * elect a new leader in a second or two; a commit is conditional on the head and finds an attempt
     * that did land (EtcdJournal), so sending it again sooner is safe and ends that wait.
     */
    static final Duration COMMIT_ATTEMPT = Duration.ofSeconds(3);
    private static final long RETRY_SECONDS = 60;

    private EtcdRequests() {
    }

    /**
     * Runs one etcd request, again while etcd answers that it cannot now (a member lost, a leader
     * being elected), for up to {@value #RETRY_SECONDS} s. Only for requests that are safe to send
     * again: reads, and writes conditional on what they expect to find.
     *
     * @param beforeRetry runs after each failure, before anything else; it may throw to stop trying
     */
    static <T> T call(Supplier<CompletableFuture<T>> request, String what, Runnable beforeRetry) {
        return call(request, what, DEFAULT_ATTEMPT, beforeRetry);
    }

    /** {@link #call(Supplier, String, Runnable)}, each attempt awaited for at most {@code attempt}. */
    static <T> T call(Supplier<CompletableFuture<T>> request, String what, Duration attempt, Runnable beforeRetry) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RETRY_SECONDS);
        long pauseMillis = 50;
        while (true) {
            try {
                return awaitOnce(request.get(), what, attempt);
            } catch (StoreException e) {
                beforeRetry.run();
                if (!retryable(e) || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis) > deadline) {
                    throw e;
                }
                LOG.warn("{}; trying again", e.getMessage());
                sleepUninterruptibly(pauseMillis);
                pauseMillis = Math.min(pauseMillis * 2, 1_000);
            }
        }
    }

    static boolean retryable(StoreException e) {
        if (e.getCause() instanceof TimeoutException) {
            return true;
        }
        if (e.getCause() == null) {
            return false; // refused by the journal itself (a term ended, a head moved), not by etcd
        }
        Status status = Status.fromThrowable(e.getCause());
        Status.Code code = status.getCode();
        // A member killed while a request is on its connection: gRPC reports the closed transport as
        // UNKNOWN "channel closed" rather than UNAVAILABLE, though it is the same loss (seen in CI).
        boolean transportClosed = code == Status.Code.UNKNOWN
                && (isClosedChannel(status.getCause()) || "channel closed".equals(status.getDescription()));
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED || transportClosed;
    }

    /**
     * Whether etcd refused a read at an etcd revision because its history was compacted past it
     * (gRPC OUT_OF_RANGE, "required revision has been compacted"): a read begun again at a newer
     * revision succeeds. Never retried here: the whole read must start over, at one revision.
     */
    static boolean compactedRevision(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("required revision has been compacted")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isClosedChannel(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    private static <T> T awaitOnce(CompletableFuture<T> future, String what, Duration attempt) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get(attempt.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    // A commit waits for its outcome even if its caller is interrupted (StateStore.commit).
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            throw new StoreException("etcd: could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StoreException("etcd: could not " + what + " within " + attempt.toMillis() + " ms", e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleepUninterruptibly(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean interrupted = false;
        while (System.nanoTime() < until) {
            try {
                TimeUnit.NANOSECONDS.sleep(until - System.nanoTime());
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
