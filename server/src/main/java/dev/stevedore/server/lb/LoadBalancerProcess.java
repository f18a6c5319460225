package dev.stevedore.server.lb;

import dev.stevedore.agent.channel.Backoff;
import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.SigV4Credentials;
import dev.stevedore.awsproto.SigV4Signer;
import dev.stevedore.lb.DataPlane;
import dev.stevedore.lb.ReadingsReport;
import dev.stevedore.lb.config.ProxyConfig;
import dev.stevedore.lb.config.ProxyConfigJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A load balancer data plane in a process of its own ({@code stevedore lb}): it follows the control plane's
 * configuration stream ({@code GET /_stevedore/lb/config}) and applies each configuration whole, and reports its
 * health checks ({@code POST /_stevedore/lb/readings}) every second. Without a control plane it keeps serving the
 * last configuration it had, and tries again with jittered, growing pauses, moving to the next endpoint each time.
 */
public final class LoadBalancerProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerProcess.class);
    static final String CONFIG_PATH = "/_stevedore/lb/config";
    static final String READINGS_PATH = "/_stevedore/lb/readings";
    /** The longest pause between two attempts to reach a control plane. */
    static final Duration MAX_BACK_OFF = Duration.ofSeconds(10);
    static final Duration FIRST_BACK_OFF = Duration.ofMillis(250);
    /** A stream that says nothing for this long (not even the server's keep-alive) is taken for a dead one. */
    private static final Duration SILENCE_LIMIT = ExternalDataPlanes.KEEP_ALIVE.multipliedBy(3);

    /**
     * @param endpoints the control plane's endpoints, tried in turn
     * @param region the Region requests are signed for
     * @param reportEvery how often the health-check readings go to the control plane
     */
    public record Settings(List<URI> endpoints, String region, SigV4Credentials credentials, Duration reportEvery) {
        public Settings {
            endpoints = List.copyOf(endpoints);
            if (endpoints.isEmpty()) {
                throw new IllegalArgumentException("a load balancer process needs a control plane endpoint");
            }
        }
    }

    private final Settings settings;
    private final DataPlane plane;
    private final Clock clock;
    private final String processId = "lb-" + UUID.randomUUID();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger endpoint = new AtomicInteger();
    private final AtomicReference<InputStream> openStream = new AtomicReference<>();
    private final AtomicReference<Optional<ProxyConfig>> leftOutListeners = new AtomicReference<>(Optional.empty());
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile boolean closed;
    private Thread follower;
    private Thread reporter;

    /** Takes the data plane over: closing the process closes it. */
    public LoadBalancerProcess(Settings settings, DataPlane plane, Clock clock) {
        this.settings = settings;
        this.plane = plane;
        this.clock = clock;
    }

    public void start() {
        follower = Thread.ofVirtual().name("lb-config-stream").start(this::follow);
        reporter = Thread.ofVirtual().name("lb-readings-report").start(this::report);
    }

    public String processId() {
        return processId;
    }

    /** The endpoint the process talks to now. */
    public URI endpoint() {
        return settings.endpoints().get(Math.floorMod(endpoint.get(), settings.endpoints().size()));
    }

    private void follow() {
        Backoff backoff = reconnectBackoff();
        while (!closed) {
            URI at = endpoint();
            try {
                if (followOnce(at)) {
                    backoff.reset();
                }
                if (!closed) {
                    LOG.warn("the control plane at {} ended the configuration stream; {}", at, serving());
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("no configuration stream from {} ({}); {}", at, e.toString(), serving());
                }
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            endpoint.incrementAndGet();
            try {
                Thread.sleep(backoff.next().toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private String serving() {
        return plane.config().equals(ProxyConfig.empty()) ? "nothing to serve yet" : "serving the last configuration";
    }

    /** Half to all of a pause that doubles with each failure, from {@link #FIRST_BACK_OFF} up to {@link #MAX_BACK_OFF}. */
    static Backoff reconnectBackoff() {
        return new Backoff(FIRST_BACK_OFF, MAX_BACK_OFF, new Random());
    }

    /** Reads one connection's stream to its end; true when it gave at least one configuration. */
    private boolean followOnce(URI at) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(signed("GET", at.resolve(CONFIG_PATH), new byte[0])
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + ": "
                        + new String(body.readNBytes(2048), StandardCharsets.UTF_8));
            }
            openStream.set(body);
            lastHeardNanos = System.nanoTime();
            Thread watchdog = Thread.ofVirtual().name("lb-config-stream-watchdog").start(() -> closeWhenSilent(body));
            try {
                return readEvents(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)));
            } finally {
                watchdog.interrupt();
                openStream.set(null);
            }
        }
    }

    private boolean readEvents(BufferedReader reader) throws IOException {
        boolean applied = false;
        String event = "";
        StringBuilder data = new StringBuilder();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lastHeardNanos = System.nanoTime();
            if (line.isEmpty()) {
                if (event.equals(ExternalDataPlanes.CONFIG_EVENT) && !data.isEmpty()) {
                    apply(ProxyConfigJson.decode(data.toString()));
                    applied = true;
                }
                event = "";
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                event = line.substring("event:".length()).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring("data:".length()).stripLeading());
            } else if (line.startsWith(":")) {
                // A keep-alive: a chance to bind the listeners whose ports were taken at the last change.
                leftOutListeners.get().ifPresent(this::apply);
            }
        }
        return applied;
    }

    private void apply(ProxyConfig config) {
        Optional<String> failure = plane.applyWhatBinds(config);
        leftOutListeners.set(failure.map(f -> config));
        failure.ifPresentOrElse(f -> LOG.warn("a listener could not be bound ({}); serving the others", f),
                () -> LOG.info("serving {} listeners and {} target groups", config.listeners().size(),
                        config.targetGroups().size()));
    }

    /** A half-open connection (the server's machine gone) never ends on its own: the silence ends it. */
    private void closeWhenSilent(InputStream body) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(1000);
                if (System.nanoTime() - lastHeardNanos > SILENCE_LIMIT.toNanos()) {
                    LOG.warn("the configuration stream has been silent for {} s; reconnecting", SILENCE_LIMIT.toSeconds());
                    body.close();
                    return;
                }
            }
        } catch (InterruptedException | IOException e) {
            // The stream ended first, or is closing anyway.
        }
    }

    private void report() {
        int lastRefusal = 0;
        while (!closed) {
            try {
                Thread.sleep(settings.reportEvery().toMillis());
                byte[] body = new ReadingsReport(processId, plane.readings()).toJson().getBytes(StandardCharsets.UTF_8);
                HttpResponse<String> answer = http.send(signed("POST", endpoint().resolve(READINGS_PATH), body)
                                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                // Said once per kind of refusal: the reports go every second.
                if (answer.statusCode() != 200 && answer.statusCode() != lastRefusal) {
                    LOG.warn("the control plane refused the health readings: HTTP {} {}", answer.statusCode(), answer.body());
                }
                lastRefusal = answer.statusCode() == 200 ? 0 : answer.statusCode();
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // The stream's follower notices the control plane gone and moves on; the next report follows it.
                LOG.debug("health readings not reported to {}: {}", endpoint(), e.toString());
            }
        }
    }

    private HttpRequest.Builder signed(String method, URI uri, byte[] body) {
        Headers headers = method.equals("POST") ? Headers.of("Content-Type", "application/json") : Headers.empty();
        Headers signed = new SigV4Signer(settings.credentials(), settings.region(), "elasticloadbalancing")
                .sign(method, uri, headers, body, clock.instant());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        for (String name : signed.names()) {
            if (!name.equalsIgnoreCase("Content-Type")) {
                signed.all(name).forEach(value -> request.header(name, value));
            }
        }
        return request;
    }

    @Override
    public void close() {
        closed = true;
        for (Thread thread : new Thread[] {follower, reporter}) {
            if (thread != null) {
                thread.interrupt();
            }
        }
        InputStream stream = openStream.get();
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                LOG.debug("closing the configuration stream", e);
            }
        }
        http.close();
        plane.close();
    }
}
