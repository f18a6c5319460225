package dev.stevedore.lb;

import dev.stevedore.lb.config.Action;
import dev.stevedore.lb.config.HealthCheck;
import dev.stevedore.lb.config.Listener;
import dev.stevedore.lb.config.ProxyConfig;
import dev.stevedore.lb.config.Rule;
import dev.stevedore.lb.config.Target;
import dev.stevedore.lb.config.TargetGroup;
import dev.stevedore.lb.proxy.BackendPool;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Shared pieces of the data plane tests: free ports, groups of test backends, a client. */
final class Fixtures {

    static final HealthCheck FAST_CHECK = HealthCheck.DEFAULT.at("/health", "200")
            .every(Duration.ofMillis(100), Duration.ofMillis(500)).thresholds(2, 2);

    private Fixtures() {
    }

    static DataPlane dataPlane() {
        return new DataPlane(new DataPlane.Options(2, BackendPool.Mode.PER_EVENT_LOOP));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static TargetGroup group(String id, TestBackend... backends) {
        List<Target> targets = Arrays.stream(backends).map(b -> Target.at("127.0.0.1", b.port())).toList();
        return TargetGroup.of(id, targets).withHealthCheck(FAST_CHECK).withDeregistrationDelay(Duration.ofSeconds(30));
    }

    static Listener listener(int port, Action defaultAction, Rule... rules) {
        return new Listener("127.0.0.1", port, List.of(rules), defaultAction);
    }

    static ProxyConfig config(List<Listener> listeners, TargetGroup... groups) {
        return new ProxyConfig(listeners, List.of(groups));
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static HttpResponse<String> get(HttpClient client, int port, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
