package dev.stevedore.server.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry} (CNCF distribution 2.8) as a child of this process: its configuration
 * written under the data directory (filesystem storage there, deletes enabled, token auth trusting the
 * signer's certificate), listening on a loopback port only the front door talks to. A supervisor thread
 * starts it again when it exits, after a pause that doubles up to 10 s.
 */
final class RegistryProcess implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final Logger LOG = LoggerFactory.getLogger(RegistryProcess.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final Path config;
    private final Path log;
    private final int port;
    private final Thread supervisor;
    private volatile Process process;
    private volatile boolean closed;

    private RegistryProcess(Path config, Path log, int port) {
        this.config = config;
        this.log = log;
        this.port = port;
        this.supervisor = Thread.ofVirtual().name("registry-supervisor").unstarted(this::supervise);
    }

    /**
     * Starts the registry and waits until it answers.
     *
     * @param dir   the registry's directory in the data directory (configuration, storage, log)
     * @param realm where clients get tokens (the front door's token endpoint)
     */
    static RegistryProcess start(Path dir, int port, String realm, Path rootCertificate) {
        Path config = dir.resolve("config.yml");
        try {
            Files.createDirectories(dir.resolve("storage"));
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
                    auth:
                      token:
                        realm: %s
                        service: %s
                        issuer: %s
                        rootcertbundle: %s
                    """.formatted(dir.resolve("storage"), port, realm, RegistryTokenSigner.SERVICE,
                    RegistryTokenSigner.ISSUER, rootCertificate));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the registry's configuration in " + dir, e);
        }
        RegistryProcess registry = new RegistryProcess(config, dir.resolve("registry.log"), port);
        registry.endLeftover(dir.resolve("registry.pid"));
        registry.launch();
        registry.writePid(dir.resolve("registry.pid"));
        registry.awaitAnswering(Duration.ofSeconds(20));
        registry.supervisor.start();
        return registry;
    }

    int port() {
        return port;
    }

    private void launch() {
        try {
            process = new ProcessBuilder(BINARY.toString(), "serve", config.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY, e);
        }
    }

    /**
     * Ends the registry an earlier run of this data directory left behind: a server killed outright
     * (SIGKILL, a crash) cannot stop its child, which would otherwise run on, orphaned, for good. It is
     * recognised by its pid and its command line naming this configuration file.
     */
    private void endLeftover(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return;
            }
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).filter(p -> p.info().arguments()
                    .map(args -> java.util.List.of(args).contains(config.toString())).orElse(false))
                    .ifPresent(leftover -> {
                        LOG.info("stopping the image registry an earlier run left behind (pid {})", pid);
                        leftover.destroyForcibly();
                        try {
                            leftover.onExit().get(5, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            LOG.warn("the earlier image registry (pid {}) did not stop: {}", pid, e.toString());
                        }
                    });
        } catch (IOException | NumberFormatException e) {
            LOG.warn("cannot read {}: {}", pidFile, e.toString());
        }
    }

    private void writePid(Path pidFile) {
        try {
            Files.writeString(pidFile, Long.toString(process.pid()));
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", pidFile, e.toString());
        }
    }

    private void supervise() {
        Duration backoff = Duration.ofMillis(250);
        while (!closed) {
            try {
                int status = process.waitFor();
                if (closed) {
                    return;
                }
                LOG.warn("the image registry exited with status {}; starting it again in {} ms (log: {})", status,
                        backoff.toMillis(), log);
                Thread.sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                if (!closed) {
                    launch();
                    writePid(config.resolveSibling("registry.pid"));
                }
            } catch (InterruptedException e) {
                return;
            } catch (UncheckedIOException e) {
                LOG.warn("the image registry did not start: {}", e.getMessage());
            }
        }
    }

    private void awaitAnswering(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
                .timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                http.send(ping, HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                sleep();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("the image registry did not come up on 127.0.0.1:" + port + "; see " + log);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        supervisor.interrupt();
        Process running = process;
        if (running == null) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(5, TimeUnit.SECONDS)) {
                running.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
