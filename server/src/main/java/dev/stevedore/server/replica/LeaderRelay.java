package dev.stevedore.server.replica;

import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.HttpResponse;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Sends a request on, unchanged, to the leader's endpoint and gives back its answer: HTTP/1.1 over
 * a socket of its own, because the request keeps the {@code Host} header its caller signed (SigV4
 * covers it; the leader verifies the signature), which {@code java.net.http} will not send.
 * One connection per request, closed after the answer.
 */
final class LeaderRelay {

    /** Marks a relayed request, so a replica that is not the leader either never relays it again. */
    static final String RELAYED_HEADER = "X-Stevedore-Relayed";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "upgrade", "expect", "te", "trailer", "proxy-connection", RELAYED_HEADER.toLowerCase(Locale.ROOT));
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    /** A placement waits for its batch to be durable; a relayed call waits as long as a direct one would. */
    private static final int READ_TIMEOUT_MILLIS = 120_000;
    private static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;
    private static final int WATCH_MILLIS = 50;

    /** The request could not be handed to the leader: it never reached it, so it may be tried again. */
    static final class NotSent extends IOException {
        NotSent(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String relayedBy;

    LeaderRelay(String relayedBy) {
        this.relayedBy = relayedBy;
    }

    /**
     * @param stillLeader asked every {@value #WATCH_MILLIS} ms while the answer is awaited; once it says
     *     the endpoint no longer leads, the connection is closed: a leader that was paused (its socket
     *     still accepts, nothing answers) or cut off would hold the caller until its timeout, and once
     *     another leads, the old one can commit nothing more (its writes fail the fence)
     * @throws NotSent if no connection to the leader could be made
     * @throws IOException if the leader did not answer in full (the request may have taken effect)
     */
    HttpResponse relay(HttpRequest request, String leaderEndpoint, BooleanSupplier stillLeader) throws IOException {
        URI uri = URI.create(leaderEndpoint);
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            socket.close();
            throw new NotSent("the leader at " + leaderEndpoint + " does not accept connections: " + e.getMessage(), e);
        }
        AtomicBoolean answered = new AtomicBoolean();
        AtomicBoolean abandoned = new AtomicBoolean();
        Thread watch = Thread.ofVirtual().name("stevedore-relay-watch").start(() -> {
            while (!answered.get()) {
                try {
                    Thread.sleep(WATCH_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                if (!answered.get() && !stillLeader.getAsBoolean()) {
                    abandoned.set(true);
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing is all that is wanted
                    }
                    return;
                }
            }
        });
        try (socket) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(head(request).getBytes(StandardCharsets.ISO_8859_1));
            out.write(request.body());
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw abandoned.get() ? new IOException(leaderEndpoint + " stopped leading before it answered", e) : e;
        } finally {
            answered.set(true);
            watch.interrupt();
        }
    }

    private String head(HttpRequest request) {
        StringBuilder head = new StringBuilder();
        head.append(request.method()).append(' ').append(request.path());
        if (!request.rawQuery().isEmpty()) {
            head.append('?').append(request.rawQuery());
        }
        head.append(" HTTP/1.1\r\n");
        for (String name : request.headers().names()) {
            if (HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            for (String value : request.headers().all(name)) {
                head.append(name).append(": ").append(value).append("\r\n");
            }
        }
        head.append("Content-Length: ").append(request.body().length).append("\r\n");
        head.append(RELAYED_HEADER).append(": ").append(relayedBy).append("\r\n");
        head.append("Connection: close\r\n\r\n");
        return head.toString();
    }

    private static HttpResponse read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("the leader answered something other than HTTP/1.1: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        long length = -1;
        boolean chunked = false;
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (lower.equals("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            }
            if (!HOP_BY_HOP.contains(lower)) {
                headers.put(name, value);
            }
        }
        byte[] body = chunked ? chunkedBody(in) : length >= 0 ? exactly(in, length) : untilClosed(in);
        return new HttpResponse(status, headers, body);
    }

    private static byte[] chunkedBody(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int semicolon = size.indexOf(';');
            long chunk = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (chunk == 0) {
                while (!line(in).isEmpty()) {
                    // trailers, not kept
                }
                return body.toByteArray();
            }
            body.write(exactly(in, chunk));
            line(in);
            if (body.size() > MAX_ANSWER_BYTES) {
                throw new IOException("the leader's answer is over " + MAX_ANSWER_BYTES + " bytes");
            }
        }
    }

    private static byte[] exactly(InputStream in, long length) throws IOException {
        if (length > MAX_ANSWER_BYTES) {
            throw new IOException("the leader's answer is over " + MAX_ANSWER_BYTES + " bytes");
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length != length) {
            throw new IOException("the leader's answer ended after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }

    private static byte[] untilClosed(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
        if (bytes.length > MAX_ANSWER_BYTES) {
            throw new IOException("the leader's answer is over " + MAX_ANSWER_BYTES + " bytes");
        }
        return bytes;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the leader closed the connection mid-answer");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            if (line.size() > 64 * 1024) {
                throw new IOException("a line of the leader's answer is over 64 KiB");
            }
        }
    }

}
