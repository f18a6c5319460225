package dev.stevedore.agent.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import dev.stevedore.agent.runtime.ContainerRuntimeException.Kind;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventSubscription} on the engine's {@code /events} stream, kept alive by a virtual
 * thread that reconnects with back-off and asks the engine to replay from the last event it
 * delivered.
 */
final class DockerEventStream implements EventSubscription {

    private static final Logger log = LoggerFactory.getLogger(DockerEventStream.class);
    private static final String[] ACTIONS = {"start", "die", "oom", "health_status", "destroy"};
    private static final Duration FIRST_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final DockerClient client;
    private final Map<String, String> labels;
    private final Consumer<ContainerEvent> listener;
    private final Runnable resumed;
    private final Consumer<DockerEventStream> onClose;
    /**
     * Guards delivery so that nothing reaches the listener once {@link #close()} has returned; a
     * lock rather than a monitor so that a virtual thread closing the stream does not pin its carrier.
     */
    private final ReentrantLock deliveryLock = new ReentrantLock();
    /** Where the next connection asks the engine to replay from (ns since the epoch). */
    private final AtomicLong replayFromNanos;
    /** Engine time of the last event delivered; a replay repeats it and anything older is skipped. */
    private final AtomicLong lastDeliveredNanos = new AtomicLong();
    private final CompletableFuture<Void> firstConnection = new CompletableFuture<>();
    private volatile boolean closed;
    private volatile boolean connected;
    private volatile Closeable currentStream;
    private Thread pump;

    /** When the stream last broke, for the log line that tells it is back (ns, {@link System#nanoTime}). */
    private volatile long brokeAt;

    private DockerEventStream(DockerClient client, Map<String, String> labels, Consumer<ContainerEvent> listener,
                              Runnable resumed, Consumer<DockerEventStream> onClose) {
        this.client = client;
        this.labels = Map.copyOf(labels);
        this.listener = listener;
        this.resumed = resumed;
        this.onClose = onClose;
        // The engine flushes the response headers before it registers the listener, so events in
        // that gap would be lost; replaying from the moment of subscribing closes it.
        Instant now = Instant.now();
        this.replayFromNanos = new AtomicLong(now.getEpochSecond() * 1_000_000_000L + now.getNano());
    }

    /** Opens the stream and returns once the engine has answered the first request. */
    static DockerEventStream open(DockerClient client, Map<String, String> labels, Consumer<ContainerEvent> listener,
                                  Runnable resumed, Consumer<DockerEventStream> onClose) {
        DockerEventStream stream = new DockerEventStream(client, labels, listener, resumed, onClose);
        stream.pump = Thread.ofVirtual().name("docker-events").start(stream::run);
        try {
            stream.firstConnection.get(FIRST_CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return stream;
        } catch (ExecutionException e) {
            stream.close();
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re
                    ? DockerErrors.translate(re, Kind.ENGINE_UNAVAILABLE)
                    : new ContainerRuntimeException(Kind.ENGINE_UNAVAILABLE, "cannot subscribe to engine events: " + cause, cause);
        } catch (TimeoutException e) {
            stream.close();
            throw new ContainerRuntimeException(
                    Kind.ENGINE_UNAVAILABLE, "engine did not answer the events request within " + FIRST_CONNECT_TIMEOUT);
        } catch (InterruptedException e) {
            stream.close();
            throw DockerErrors.interrupted("subscribing to engine events", e);
        }
    }

    @Override
    public boolean connected() {
        return connected && !closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(currentStream);
        if (pump != null) {
            pump.interrupt();
        }
        // Waits for a delivery in progress; later ones see the flag.
        deliveryLock.lock();
        deliveryLock.unlock();
        onClose.accept(this);
    }

    private void run() {
        Duration backoff = Duration.ofMillis(100);
        while (!closed) {
            Callback callback = new Callback();
            currentStream = callback;
            try {
                client.eventsCmd()
                        .withEventTypeFilter(EventType.CONTAINER)
                        .withEventFilter(ACTIONS)
                        .withLabelFilter(labels)
                        .withSince(sinceParameter(replayFromNanos.get()))
                        .exec(callback);
                callback.awaitCompletion();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                callback.onError(e);
            } finally {
                connected = false;
                closeQuietly(callback);
            }
            if (closed) {
                break;
            }
            if (!firstConnection.isDone()) {
                firstConnection.completeExceptionally(callback.failure.orElseGet(
                        () -> new IllegalStateException("event stream ended before it started")));
                return;
            }
            if (callback.started) {
                backoff = Duration.ofMillis(100);
                brokeAt = System.nanoTime();
            }
            log.warn("Docker event stream ended ({}); reconnecting in {} ms",
                    callback.failure.map(Throwable::toString).orElse("closed by the engine"), backoff.toMillis());
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                break;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** The engine's {@code since} syntax: seconds and nanoseconds since the epoch. */
    static String sinceParameter(long epochNanos) {
        return String.format("%d.%09d", epochNanos / 1_000_000_000L, epochNanos % 1_000_000_000L);
    }

    private void deliver(Event raw) {
        Optional<ContainerEvent> mapped = DockerMapping.event(raw);
        if (mapped.isEmpty()) {
            return;
        }
        ContainerEvent event = mapped.get();
        long nanos = event.time().getEpochSecond() * 1_000_000_000L + event.time().getNano();
        deliveryLock.lock();
        try {
            if (closed) {
                return;
            }
            // A replay after reconnecting starts at the last delivered event, inclusive.
            if (nanos <= lastDeliveredNanos.get()) {
                return;
            }
            lastDeliveredNanos.set(nanos);
            replayFromNanos.set(nanos);
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.error("container event listener failed on {}", event, e);
            }
        } finally {
            deliveryLock.unlock();
        }
    }

    /** Tells the receiver the feed is back, under the delivery lock so that nothing reaches it after close. */
    private void announceResumed() {
        log.info("Docker event stream connected again after {} ms", (System.nanoTime() - brokeAt) / 1_000_000);
        deliveryLock.lock();
        try {
            if (!closed) {
                resumed.run();
            }
        } catch (RuntimeException e) {
            log.error("the receiver of a resumed event stream failed", e);
        } finally {
            deliveryLock.unlock();
        }
    }

    private static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            log.debug("closing the event stream failed", e);
        }
    }

    private final class Callback extends ResultCallback.Adapter<Event> {
        volatile boolean started;
        volatile Optional<Throwable> failure = Optional.empty();

        @Override
        public void onStart(Closeable stream) {
            super.onStart(stream);
            started = true;
            connected = true;
            if (!firstConnection.complete(null)) {
                announceResumed();
            }
        }

        @Override
        public void onNext(Event event) {
            deliver(event);
        }

        @Override
        public void onError(Throwable throwable) {
            failure = Optional.of(throwable);
            connected = false;
            // The adapter would rethrow the error from awaitCompletion; the run loop reads it here.
            try {
                close();
            } catch (IOException e) {
                log.debug("closing a failed event stream", e);
            }
        }
    }
}
