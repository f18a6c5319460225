package dev.stevedore.lb;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A target that answers every request with the same bytes, written as given (line endings included), then
 * closes the connection: for targets whose answers no well-behaved HTTP library would write.
 */
final class RawTarget implements AutoCloseable {
    private final ServerSocket server;

    RawTarget(String answer) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    readHead(s.getInputStream());
                    s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException closed) {
                    // the next connection, or the end when the server socket is closed
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    private static void readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                return;
            }
            head.append((char) c);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
