package dev.stevedore.awsproto;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A front door served over real HTTP on 127.0.0.1 with the JDK's HTTP server, so that real clients
 * (the AWS SDK with its Apache client, the AWS CLI) talk to it through a socket.
 */
final class LoopbackHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    LoopbackHttpServer(AwsFrontDoor door) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                HttpResponse response = door.handle(toRequest(exchange));
                response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
                exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static HttpRequest toRequest(HttpExchange exchange) throws IOException {
        Headers.Builder headers = Headers.builder();
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(value -> headers.add(name, value)));
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        URI uri = exchange.getRequestURI();
        return new HttpRequest(exchange.getRequestMethod(), uri.getRawPath(),
                Optional.ofNullable(uri.getRawQuery()).orElse(""), headers.build(), body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
