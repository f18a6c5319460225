package dev.stevedore.server.agentchannel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A bare JDK WebSocket client that records the text messages it receives. */
final class RecordingWebSocket implements AutoCloseable {
    private final HttpClient http;
    private final WebSocket socket;
    private final List<String> messages;
    private final CompletableFuture<Integer> closeCode;

    private RecordingWebSocket(HttpClient http, WebSocket socket, List<String> messages,
                               CompletableFuture<Integer> closeCode) {
        this.http = http;
        this.socket = socket;
        this.messages = messages;
        this.closeCode = closeCode;
    }

    static RecordingWebSocket open(URI url) {
        HttpClient http = HttpClient.newHttpClient();
        List<String> messages = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(url, new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    messages.add(partial.toString());
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closeCode.complete(statusCode);
                return null;
            }
        }).join();
        return new RecordingWebSocket(http, socket, messages, closeCode);
    }

    /** The status code of the server's close frame, once it closed the connection. */
    CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    List<String> messages() {
        return messages;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    @Override
    public void close() {
        if (!closeCode.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
        socket.abort();
        http.close();
    }
}
