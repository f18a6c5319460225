package dev.stevedore.agent.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A private image registry for tests: Debian's {@code docker-registry} on a free loopback port,
 * storing into a directory of the test's, optionally behind htpasswd authentication. The engine
 * treats registries on 127.0.0.0/8 as insecure by default, so plain HTTP works.
 */
final class LocalRegistry implements AutoCloseable {

    static final String BINARY = "/usr/bin/docker-registry";

    private final Process process;
    private final int port;

    private LocalRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a registry over {@code storage}; with {@code htpasswd}, every request needs its
     * credentials. Several registries may serve the same storage.
     */
    static LocalRegistry start(Path workDir, Path storage, Optional<Path> htpasswd) throws IOException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            fail(BINARY + " is missing. " + DockerTestSupport.SETUP_HINT);
        }
        int port = DockerTestSupport.freeLoopbackPort();
        Path config = workDir.resolve("registry-" + port + ".yml");
        String auth = htpasswd.map(p -> """
                auth:
                  htpasswd:
                    realm: stevedore-test
                    path: %s
                """.formatted(p)).orElse("");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                %s""".formatted(storage, port, auth));
        Path log = workDir.resolve("registry-" + port + ".log");
        Process process = new ProcessBuilder(BINARY, "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        LocalRegistry registry = new LocalRegistry(process, port);
        registry.awaitReady(log);
        return registry;
    }

    /** {@code 127.0.0.1:port}, the registry part of image references. */
    String host() {
        return "127.0.0.1:" + port;
    }

    private void awaitReady(Path log) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                int status = http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleepBriefly();
        }
        close();
        fail("docker-registry did not come up on " + host() + ": " + Files.readString(log));
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
