package dev.stevedore.server;

import dev.stevedore.awsproto.HttpResponse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client sees of a request the edge refuses, on real sockets: the answer always, then either
 * the same connection for its next request (a small body) or the end of the stream (a large one).
 */
class HttpEdgeRefusalTest {
    private static final String TARGET = "X-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters\r\n";
    private static final int MAX_BODY = 100 * 1024;

    private static HttpEdge edge(EdgeLimits limits) {
        return HttpEdge.start("127.0.0.1", 0,
                request -> new HttpResponse(200, Map.of(), "ok".getBytes(StandardCharsets.UTF_8)),
                HttpEdge.Upgrades.NONE, HttpEdge.Streams.NONE, limits);
    }

    @Test
    void aClientThatSendsItsWholeLargeBodyBeforeReadingGetsTheAnswerThenTheEndOfTheStream() throws Exception {
        try (HttpEdge edge = edge(new EdgeLimits(256, 4L * 1024 * 1024, MAX_BODY));
             Socket socket = new Socket("127.0.0.1", edge.port())) {
            socket.setSoTimeout(60_000);
            String answer = sendWholeThenRead(socket, 2 * 1024 * 1024);

            assertThat(answer).startsWith("HTTP/1.1 413 ").containsIgnoringCase("connection: close")
                    .contains("RequestEntityTooLargeException");
        }
    }

    @Test
    void aLargeBodyIsNotWaitedFor() throws Exception {
        try (HttpEdge edge = edge(new EdgeLimits(256, 4L * 1024 * 1024, MAX_BODY));
             Socket socket = new Socket("127.0.0.1", edge.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(head(MAX_BODY + 1));
            out.write("{\"clusters\":".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            // The rest of the body is never sent: the answer and the end of the stream come anyway.
            String answer = readToEnd(socket.getInputStream());

            assertThat(answer).startsWith("HTTP/1.1 413 ").containsIgnoringCase("connection: close");
        }
    }

    @Test
    void aThrottledLargeBodyIsAnsweredWithThrottlingExceptionAndItsConnectionClosed() throws Exception {
        try (HttpEdge edge = edge(new EdgeLimits(1, 4L * 1024 * 1024, 4 * 1024 * 1024));
             Socket held = new Socket("127.0.0.1", edge.port());
             Socket socket = new Socket("127.0.0.1", edge.port())) {
            socket.setSoTimeout(60_000);
            held.getOutputStream().write(head(2));  // its body never comes: it keeps the one place
            held.getOutputStream().flush();
            awaitInFlight(edge, 1);
            String answer = sendWholeThenRead(socket, 1024 * 1024);

            assertThat(answer).startsWith("HTTP/1.1 400 ").containsIgnoringCase("connection: close")
                    .containsIgnoringCase("x-amzn-errortype: ThrottlingException");
        }
    }

    @Test
    void aSmallRefusedBodyKeepsItsConnectionForTheNextRequest() throws Exception {
        try (HttpEdge edge = edge(new EdgeLimits(256, 4L * 1024 * 1024, 16));
             Socket socket = new Socket("127.0.0.1", edge.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(head(20));
            out.write("{\"maxResults\": 100 }".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String refused = readAnswer(in);

            out.write(head(2));
            out.write("{}".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String next = readAnswer(in);

            assertThat(refused).startsWith("HTTP/1.1 413 ").doesNotContainIgnoringCase("connection: close");
            assertThat(next).startsWith("HTTP/1.1 200 ").endsWith("ok");
        }
    }

    private static byte[] head(long contentLength) {
        return ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + TARGET + "Content-Type: application/x-amz-json-1.1\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends a request with a body of {@code size} bytes as a blocking client does (all of it), then reads the answer. */
    private static String sendWholeThenRead(Socket socket, int size) throws IOException {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        OutputStream out = socket.getOutputStream();
        out.write(head(size));
        out.write(body);
        out.flush();
        return readToEnd(socket.getInputStream());
    }

    /** Everything the server sends until it ends the stream; a reset fails the test. */
    private static String readToEnd(InputStream in) throws IOException {
        // (The sockets' read timeout only keeps a broken edge from hanging the build.)
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** One answer with a Content-Length body, read byte by byte so that nothing of the next one is taken. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended within an answer's head: " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int length = text.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                .mapToInt(l -> Integer.parseInt(l.substring(l.indexOf(':') + 1).trim())).findFirst().orElse(0);
        return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static void awaitInFlight(HttpEdge edge, int requests) throws InterruptedException {
        while (edge.requestsInFlight() < requests) {
            Thread.sleep(10);
        }
    }
}
