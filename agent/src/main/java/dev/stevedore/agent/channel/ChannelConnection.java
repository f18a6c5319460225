package dev.stevedore.agent.channel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * One open agent channel connection (java.net.http's WebSocket): reassembles text messages and hands
 * each complete one to its handler, one at a time in arrival order, notes when the server was last
 * heard from (pings included; the JDK answers them with pongs by itself), and serialises sends,
 * which the JDK WebSocket does not allow to overlap.
 */
final class ChannelConnection {
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final BiConsumer<ChannelConnection, String> handler;
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private final ReentrantLock sending = new ReentrantLock();
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile WebSocket socket;

    private ChannelConnection(BiConsumer<ChannelConnection, String> handler) {
        this.handler = handler;
    }

    /**
     * Opens a connection; returns once the handshake succeeded.
     *
     * @throws ChannelRefusedException when the server answered with an HTTP error
     */
    static ChannelConnection open(HttpClient http, URI url, Duration timeout,
                                  BiConsumer<ChannelConnection, String> handler)
            throws InterruptedException {
        ChannelConnection connection = new ChannelConnection(handler);
        CompletableFuture<WebSocket> opening = http.newWebSocketBuilder()
                .connectTimeout(timeout)
                .buildAsync(url, connection.new Listener());
        try {
            connection.socket = opening.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
            return connection;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new ChannelRefusedException(refused.getResponse().statusCode());
            }
            throw new IllegalStateException("cannot connect the agent channel: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            opening.cancel(true);
            throw new IllegalStateException("connecting the agent channel timed out after " + timeout.toMillis() * 2 + " ms");
        }
    }

    /**
     * Waits until the connection ends, or drops it when the server has been silent for
     * {@code idleTimeout}; returns why it ended.
     */
    String awaitEnd(Duration idleTimeout) throws InterruptedException {
        while (true) {
            long silent = System.nanoTime() - lastHeardNanos;
            long remaining = idleTimeout.toNanos() - silent;
            if (remaining <= 0) {
                abort();
                return "the server was silent for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms";
            }
            try {
                return ended.get(remaining, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // Heard from meanwhile, or not: the loop decides.
            } catch (ExecutionException e) {
                return String.valueOf(e.getCause());
            }
        }
    }

    boolean isOpen() {
        return !ended.isDone();
    }

    /** Sends one complete text message; false if it could not be sent (the connection is then dropped). */
    boolean send(String text) {
        sending.lock();
        try {
            if (!isOpen()) {
                return false;
            }
            socket.sendText(text, true).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | IllegalStateException e) {
            abort();
            return false;
        } finally {
            sending.unlock();
        }
    }

    /** Closes with a status code the server can log; drops the connection if the close does not finish soon. */
    void close(int code, String reason) {
        WebSocket s = socket;
        if (s == null) {
            return;
        }
        s.sendClose(code, reason).orTimeout(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ws, e) -> abort());
    }

    void abort() {
        WebSocket s = socket;
        if (s != null) {
            s.abort();
        }
        ended.complete("dropped");
    }

    private void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /** Called by the JDK one event at a time: each {@code request(1)} asks for the next. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            // Set here, not only when buildAsync's future completes: the first message may reach the
            // handler before that, and a close it answers with must not find no socket to close.
            socket = webSocket;
            heard();
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            heard();
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                handler.accept(ChannelConnection.this, message);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            heard();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            heard();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            heard();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended.complete("closed by the server: " + statusCode + (reason.isEmpty() ? "" : " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended.complete("failed: " + error);
        }
    }
}
