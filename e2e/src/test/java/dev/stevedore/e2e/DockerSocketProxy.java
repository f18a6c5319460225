package dev.stevedore.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Docker engine that appears when the test says so: a Unix socket at a path of the test's that
 * relays every connection to the real engine's socket. Until {@link #open} the path does not
 * exist, as on a machine where Docker is not started yet.
 */
final class DockerSocketProxy implements AutoCloseable {
    private static final Path ENGINE = Path.of("/var/run/docker.sock");

    private final ServerSocketChannel server;
    private final Path socket;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();

    private DockerSocketProxy(ServerSocketChannel server, Path socket) {
        this.server = server;
        this.socket = socket;
    }

    /** Starts relaying at {@code socket}. */
    static DockerSocketProxy open(Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        DockerSocketProxy proxy = new DockerSocketProxy(server, socket);
        Thread.ofVirtual().name("docker-socket-proxy").start(proxy::accept);
        return proxy;
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                return;
            }
            try {
                SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(ENGINE));
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
