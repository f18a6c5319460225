package dev.stevedore.agent.channel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A minimal WebSocket server on a plain socket, to put the agent's channel client through what a
 * real control plane rarely does: refusing handshakes, going silent, sending state for the wrong
 * instance. Each accepted connection is handed to a script on its own thread.
 */
final class FakeChannelServer implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** What the server does with one accepted connection; {@code attempt} counts handshakes from 1. */
    interface Script {
        void run(Connection connection, int attempt) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final IntFunction<Integer> refusal;
    private final Script script;
    private final AtomicInteger attempts = new AtomicInteger();
    final List<String> requestTargets = new CopyOnWriteArrayList<>();
    final List<String> received = new CopyOnWriteArrayList<>();
    /** The status codes of the close frames the client sent. */
    final List<Integer> closeCodes = new CopyOnWriteArrayList<>();

    /**
     * @param refusal for each handshake attempt, the HTTP status to refuse it with, or 101 to accept
     */
    FakeChannelServer(IntFunction<Integer> refusal, Script script) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.refusal = refusal;
        this.script = script;
        Thread.ofVirtual().start(this::acceptLoop);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    int attempts() {
        return attempts.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String head = readHead(in);
            requestTargets.add(head.lines().findFirst().orElse(""));
            int attempt = attempts.incrementAndGet();
            int status = refusal.apply(attempt);
            if (status != 101) {
                out.write(("HTTP/1.1 " + status + " Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return;
            }
            String key = head.lines().filter(l -> l.toLowerCase().startsWith("sec-websocket-key:"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElseThrow();
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            script.run(new Connection(in, out), attempt);
        } catch (IOException | InterruptedException e) {
            // The client went away or the test is over.
        }
    }

    /** One accepted connection as the script sees it. */
    final class Connection {
        private final InputStream in;
        private final OutputStream out;

        Connection(InputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
        }

        void sendText(String text) throws IOException {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x81);
            if (payload.length < 126) {
                frame.write(payload.length);
            } else if (payload.length < 65_536) {
                frame.write(126);
                frame.write(payload.length >> 8);
                frame.write(payload.length & 0xff);
            } else {
                frame.write(127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    frame.write((int) ((long) payload.length >> shift) & 0xff);
                }
            }
            frame.write(payload);
            synchronized (out) {
                out.write(frame.toByteArray());
                out.flush();
            }
        }

        void sendPing() throws IOException {
            synchronized (out) {
                out.write(new byte[] {(byte) 0x89, 0});
                out.flush();
            }
        }

        /** The next text message from the client (pongs skipped); empty when it closed. */
        Optional<String> readText() throws IOException {
            while (true) {
                int first = in.read();
                int second = in.read();
                if (first < 0 || second < 0) {
                    return Optional.empty();
                }
                long length = second & 0x7f;
                if (length == 126) {
                    length = (in.read() << 8) | in.read();
                } else if (length == 127) {
                    length = 0;
                    for (int i = 0; i < 8; i++) {
                        length = (length << 8) | in.read();
                    }
                }
                byte[] mask = (second & 0x80) != 0 ? in.readNBytes(4) : new byte[4];
                byte[] payload = in.readNBytes((int) length);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
                int opcode = first & 0x0f;
                if (opcode == 0x8) {
                    if (payload.length >= 2) {
                        closeCodes.add(((payload[0] & 0xff) << 8) | (payload[1] & 0xff));
                    }
                    return Optional.empty();
                }
                if (opcode == 0x1) {
                    String text = new String(payload, StandardCharsets.UTF_8);
                    received.add(text);
                    return Optional.of(text);
                }
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
