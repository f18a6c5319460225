package dev.stevedore.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Docker engine that appears when the test says so: a Unix socket at a path of the test's that
 * relays every connection to the real engine's socket. Until {@link #open} the path does not
 * exist, as on a machine where Docker is not started yet. Told to {@link #refuse}, it answers
 * every request with a 500 of the engine's error format, as an engine in trouble does.
 */
final class DockerSocketProxy implements AutoCloseable {
    private static final Path ENGINE = Path.of("/var/run/docker.sock");
    /** What a refused request reads, as the engine words its errors ({@code {"message": …}}). */
    static final String REFUSAL = "the engine refuses every call (test fault)";

    private final ServerSocketChannel server;
    private final Path socket;
    private final Path engine;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean refusing;
    private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

    private DockerSocketProxy(ServerSocketChannel server, Path socket, Path engine) {
        this.server = server;
        this.socket = socket;
        this.engine = engine;
    }

    /** Starts relaying at {@code socket} to the machine's engine. */
    static DockerSocketProxy open(Path socket) throws IOException {
        return open(socket, ENGINE);
    }

    /** Starts relaying at {@code socket} to the engine listening at {@code engine}. */
    static DockerSocketProxy open(Path socket, Path engine) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        DockerSocketProxy proxy = new DockerSocketProxy(server, socket, engine);
        Thread.ofVirtual().name("docker-socket-proxy").start(proxy::accept);
        return proxy;
    }

    /**
     * From now on every request is answered with a 500 (and the connections relayed so far are
     * closed, so that no client keeps talking to the engine), or relayed again.
     */
    void refuse(boolean value) {
        refusing = value;
        if (value) {
            open.forEach(this::closeQuietly);
        }
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                return;
            }
            if (refusing) {
                Thread.ofVirtual().start(() -> answerRefusal(client));
                continue;
            }
            try {
                SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(this.engine));
                open.add(client);
                open.add(engine);
                Thread.ofVirtual().start(() -> relay(client, engine));
                Thread.ofVirtual().start(() -> relay(engine, client));
            } catch (IOException engineUnreachable) {
                // This one connection fails as a dead engine would fail it; the next may succeed.
                try {
                    client.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
        }
    }

    /** How many requests were answered with a 500 so far. */
    int refusals() {
        return refused.get();
    }

    /** Reads the request's head and answers it with the engine's 500, then closes: one refusal per connection. */
    private void answerRefusal(SocketChannel client) {
        open.add(client);
        try {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            StringBuilder head = new StringBuilder();
            while (!head.toString().contains("\r\n\r\n") && client.read(buffer) >= 0) {
                buffer.flip();
                head.append(StandardCharsets.ISO_8859_1.decode(buffer));
                buffer.clear();
            }
            byte[] body = ("{\"message\":\"" + REFUSAL + "\"}\n").getBytes(StandardCharsets.UTF_8);
            String response = "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
            client.write(ByteBuffer.wrap(response.getBytes(StandardCharsets.ISO_8859_1)));
            client.write(ByteBuffer.wrap(body));
            refused.incrementAndGet();
        } catch (IOException e) {
            // The client went away first: nothing to answer.
        } finally {
            closeQuietly(client);
        }
    }

    private void relay(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(SocketChannel channel) {
        open.remove(channel);
        try {
            channel.close();
        } catch (IOException ignored) {
            // Already gone: nothing more to release.
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            open.forEach(this::closeQuietly);
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
