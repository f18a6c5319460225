package dev.stevedore.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * An image registry of the test's own: Debian's {@code docker-registry} (CNCF distribution) on a free
 * loopback port over a storage directory, behind htpasswd authentication when given a file. Docker
 * treats registries on 127.0.0.0/8 as insecure, so plain HTTP serves, authentication included.
 */
final class PrivateRegistry implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Process process;
    private final int port;

    private PrivateRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static PrivateRegistry start(Path workDir, Path storage, Optional<Path> htpasswd) {
        int port = StevedoreProcess.freePort();
        Path config = workDir.resolve("registry-" + port + ".yml");
        String auth = htpasswd.map(p -> "auth:\n  htpasswd:\n    realm: stevedore-e2e\n    path: " + p + "\n").orElse("");
        try {
            Files.writeString(config, "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: "
                    + storage + "\nhttp:\n  addr: 127.0.0.1:" + port + "\n" + auth);
            Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString()).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("registry-" + port + ".log").toFile()).start();
            PrivateRegistry registry = new PrivateRegistry(process, port);
            registry.awaitListening();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:port}, the registry part of an image reference. */
    String host() {
        return "127.0.0.1:" + port;
    }

    private void awaitListening() {
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
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new AssertionError("docker-registry did not come up on " + host());
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
