package dev.stevedore.agent.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.CreateVolumeResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.stevedore.agent.runtime.ContainerRuntimeException.Kind;
import dev.stevedore.agent.tls.DeferredTls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ContainerRuntime} on a Docker Engine, spoken to through docker-java over the
 * engine's socket.
 */
public final class DockerContainerRuntime implements ContainerRuntime {

    /** Where Debian's docker.io engine listens. */
    public static final URI DEFAULT_DOCKER_HOST = URI.create("unix:///var/run/docker.sock");

    private static final Logger log = LoggerFactory.getLogger(DockerContainerRuntime.class);
    /**
     * Event subscriptions and {@link #awaitExit} each hold a connection for as long as they wait,
     * so the pool is sized for a host full of tasks rather than for request throughput.
     */
    private static final int MAX_CONNECTIONS = 512;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CREATED_POLL = Duration.ofMillis(100);

    private final DockerClient client;
    /** The transport under {@link #client}, for the one call whose raw JSON is wanted (stats). */
    private final DockerHttpClient http;
    private final URI dockerHost;
    private final Set<DockerEventStream> subscriptions = ConcurrentHashMap.newKeySet();
    /** One per network name this runtime ensured; networks are few (one per subnet). */
    private final DockerNetworks networks;

    private DockerContainerRuntime(DockerClient client, DockerHttpClient http, URI dockerHost) {
        this.client = client;
        this.http = http;
        this.dockerHost = dockerHost;
        this.networks = new DockerNetworks(client);
    }

    /**
     * A runtime on the engine at {@code dockerHost} ({@code unix:///path} or {@code tcp://host:port}).
     * Connects lazily: an unreachable engine shows on the first call.
     */
    public static DockerContainerRuntime connect(URI dockerHost) {
        Objects.requireNonNull(dockerHost, "dockerHost");
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost.toString())
                .build();
        // No response timeout: pulls, waits and event streams legitimately take as long as they take.
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(sslConfig(config))
                .maxConnections(MAX_CONNECTIONS)
                .connectionTimeout(CONNECT_TIMEOUT)
                .build();
        return new DockerContainerRuntime(DockerClientImpl.getInstance(config, http), http, dockerHost);
    }

    // Without a TLS configuration the transport sets up the JVM's default TLS context at once, also for
    // a Unix socket that never uses it; there it gets the deferred one. A tcp:// engine keeps the
    // transport's own choice: handed any context, it would speak https to it.
    private static SSLConfig sslConfig(DockerClientConfig config) {
        SSLConfig configured = config.getSSLConfig();
        String scheme = config.getDockerHost().getScheme();
        if (configured == null && ("unix".equals(scheme) || "npipe".equals(scheme))) {
            return DeferredTls::context;
        }
        return configured;
    }

    /** A runtime on the engine named by {@code DOCKER_HOST}, or on {@link #DEFAULT_DOCKER_HOST}. */
    public static DockerContainerRuntime connectDefault() {
        String env = System.getenv("DOCKER_HOST");
        return connect(env == null || env.isBlank() ? DEFAULT_DOCKER_HOST : URI.create(env));
    }

    /** The engine address this runtime talks to. */
    public URI dockerHost() {
        return dockerHost;
    }

    @Override
    public HostInfo hostInfo() {
        try {
            Info info = client.infoCmd().exec();
            Version version = client.versionCmd().exec();
            return new HostInfo(
                    info.getMemTotal() == null ? 0 : info.getMemTotal() / (1024L * 1024L),
                    info.getNCPU() == null ? 0 : info.getNCPU(),
                    orEmpty(version.getVersion()),
                    orEmpty(version.getApiVersion()),
                    "2".equals(info.getCGroupVersion()) ? 2 : 1,
                    orEmpty(info.getCGroupDriver()),
                    orEmpty(info.getKernelVersion()),
                    orEmpty(info.getOperatingSystem()),
                    orEmpty(info.getArchitecture()));
        } catch (RuntimeException e) {
            throw DockerErrors.translate(e, Kind.ENGINE_ERROR);
        }
    }

    // ---- images -------------------------------------------------------------------------------

    @Override
    public Optional<ImageInfo> inspectImage(String image) {
        ImageReference ref = ImageReference.parse(image);
        try {
            InspectImageResponse r = client.inspectImageCmd(ref.canonical()).exec();
            return Optional.of(new ImageInfo(image, orEmpty(r.getId()),
                    r.getRepoDigests() == null ? List.of() : r.getRepoDigests()));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw DockerErrors.translate(e, Kind.ENGINE_ERROR);
        }
    }

    @Override
    public ImageInfo pullImage(String image, Optional<RegistryAuth> auth) {
        ImageReference ref = ImageReference.parse(image);
        PullImageCmd cmd = client.pullImageCmd(ref.repository()).withTag(ref.tagOrDigest());
        auth.ifPresent(a -> cmd.withAuthConfig(new AuthConfig()
                .withUsername(a.username())
                .withPassword(a.password())
                .withRegistryAddress(ref.authAddress())));
        ImageProgress.Pull progress = new ImageProgress.Pull();
        try {
            cmd.exec(progress).awaitCompletion();
        } catch (InterruptedException e) {
            throw DockerErrors.interrupted("pulling " + image, e);
        } catch (RuntimeException e) {
            progress.onError(e);
        }
        progress.failure.ifPresent(e -> {
            ContainerRuntimeException translated = DockerErrors.translate(e, Kind.PULL_FAILED);
            Kind kind = switch (translated.kind()) {
                case NOT_FOUND -> Kind.IMAGE_NOT_FOUND;
                case ENGINE_UNAVAILABLE -> Kind.ENGINE_UNAVAILABLE;
                default -> Kind.PULL_FAILED;
            };
            // The daemon refused the pull before streaming anything: Docker's client (and so ECS,
            // which shows its words) frames such answers as responses of the daemon.
            String message = kind == Kind.ENGINE_UNAVAILABLE ? translated.getMessage()
                    : ContainerRuntimeException.DAEMON_RESPONSE + translated.getMessage();
            throw new ContainerRuntimeException(kind, message, e);
        });
        progress.streamError.ifPresent(message -> {
            // Errors reported inside the progress stream come after the engine found the
            // manifest, so they are download failures, unless the registry said otherwise.
            Kind kind = message.contains("manifest unknown") ? Kind.IMAGE_NOT_FOUND : Kind.PULL_FAILED;
            throw new ContainerRuntimeException(kind, message);
        });
        log.info("pulled {}", ref.canonical());
        return inspectImage(image).orElseThrow(() -> new ContainerRuntimeException(
                Kind.PULL_FAILED, "pull of " + ref.canonical() + " finished but the image is not on the host"));
    }

    @Override
    public ImageInfo ensureImage(String image, Optional<RegistryAuth> auth) {
        Optional<ImageInfo> present = inspectImage(image);
        return present.isPresent() ? present.get() : pullImage(image, auth);
    }

    @Override
    public void removeImage(String image) {
        try {
            client.removeImageCmd(ImageReference.parse(image).canonical()).exec();
        } catch (NotFoundException alreadyGone) {
            // Removal is idempotent.
        } catch (RuntimeException e) {
            throw DockerErrors.translate(e, Kind.REMOVE_FAILED);
        }
    }

    /**
     * Gives the image {@code source} the name {@code target} as well ({@code docker tag}). Not part
     * of {@link ContainerRuntime}: the agent never tags; {@code up} does, to push its demo image.
     */
    public void tagImage(String source, String target) {
        ImageReference ref = ImageReference.parse(target);
        try {
            client.tagImageCmd(source, ref.repository(), ref.tag().orElse("latest")).exec();
        } catch (RuntimeException e) {
            throw DockerErrors.translate(e, Kind.ENGINE_ERROR);
        }
    }

    /**
     * Pushes the image to its registry ({@code docker push}) with {@code auth}. Not part of
     * {@link ContainerRuntime}: the agent never pushes; {@code up} does, its demo image.
     */
    public void pushImage(String image, RegistryAuth auth) {
        ImageReference ref = ImageReference.parse(image);
        ImageProgress.Push progress = new ImageProgress.Push();
        try {
            client.pushImageCmd(ref.repository()).withTag(ref.tag().orElse("latest"))
                    .withAuthConfig(new AuthConfig().withUsername(auth.username()).withPassword(auth.password())
                            .withRegistryAddress(ref.authAddress()))
                    .exec(progress).awaitCompletion();
        } catch (InterruptedException e) {
            throw DockerErrors.interrupted("pushing " + image, e);
        } catch (RuntimeException e) {
            throw DockerErrors.translate(e, Kind.ENGINE_ERROR);
        }
        progress.streamError.ifPresent(message -> {
            throw new ContainerRuntimeException(Kind.ENGINE_ERROR, message);
        });
    }

    // docker-java's import (createImageCmd) sends its stream as a JSON entity, which the engine
    // reads as an empty tar; load streams the body as it is.
    @Override
    public void loadImages(byte[] archive) {
        try {
            client.loadImageCmd(new ByteArrayInputStream(archive)).exec();
        } catch (RuntimeException e) {
            throw DockerErrors.translate(e, Kind.CREATE_FAILED);
        }
    }

    // ---- containers ---------------------------------------------------------------------------

    @Override
    public String createContainer(ContainerSpec spec) {
        try (CreateContainerCmd cmd = client.createContainerCmd(spec.image())) {
            String id = DockerMapping.applySpec(cmd, spec).exec().getId();
            log.debug("created container {} ({})", spec.name(), id);
            return id;
        } catch (RuntimeException e) {
            ContainerRuntimeException translated = DockerErrors.translate(e, Kind.CREATE_FAILED);
            if (translated.kind() == Kind.NOT_FOUND) {
                // The only thing create looks up that the caller did not name as a container is the image.
                Kind kind = translated.getMessage().startsWith("No such image") ? Kind.IMAGE_NOT_FOUND : Kind.CREATE_FAILED;
                throw new ContainerRuntimeException(kind, translated.getMessage(), e);
            }
            throw translated;
        }
    }

    @Override
    public void startContainer(String container) {
        try {
            client.startContainerCmd(container).exec();
        } catch (NotModifiedException alreadyRunning) {
            // Starting a running container is a no-op, as documented.
        } catch (RuntimeException e) {
            throw DockerErrors.translate(e, Kind.START_FAILED);
        }
    }

    @Override
    public void stopContainer(String container, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        try {
            client.stopContainerCmd(container).withTimeout(DockerMapping.seconds(timeout)).exec();
        } catch (NotModifiedException notRunning) {
            // Already stopped.
        } catch (RuntimeException e) {
            throw DockerErrors.translate(e, Kind.STOP_FAILED);
        }
    }

    @Override
    public void removeContainer(String container) {
        try {
            client.removeContainerCmd(container).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException alreadyGone) {
            // Removal is idempotent.
        } catch (RuntimeException e) {
            ContainerRuntimeException translated = DockerErrors.translate(e, Kind.REMOVE_FAILED);
            // A second removal racing the first is reported as a conflict ("already in progress").
            if (translated.kind() == Kind.CONFLICT && translated.getMessage().contains("already in progress")) {
                return;
            }
            throw translated;
        }
    }

    @Override
    public ContainerStatus inspectContainer(String container) {
        try {
            return DockerMapping.status(client.inspectContainerCmd(container).exec());
        } catch (RuntimeException e) {
            throw DockerErrors.translate(e, Kind.ENGINE_ERROR);
        }
    }

    @Override
    public Optional<ContainerStatus> findContainer(String container) {
        try {
            return Optional.of(inspectContainer(container));
        } catch (ContainerRuntimeException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<ContainerStatus> listContainers(Map<String, String> labels) {
        List<Container> found;
        try {
            found = client.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec();
        } catch (RuntimeException e) {
            throw DockerErrors.translate(e, Kind.ENGINE_ERROR);
        }
        List<ContainerStatus> out = new ArrayList<>();
        for (Container c : found) {
            // A container removed between listing and inspecting simply is not there any more.
            findContainer(c.getId()).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public Optional<ContainerStatus> awaitExit(String container, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ContainerStatus status = inspectContainer(container);
            if (status.state().terminal()) {
                return Optional.of(status);
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return Optional.empty();
            }
            if (status.running()) {
                waitWhileRunning(status.id(), remaining);
            } else {
                // Docker's wait returns at once for a container that was never started, so a created
                // one is watched until someone starts it.
                sleep(Math.min(remaining, CREATED_POLL.toNanos()), container);
            }
        }
    }

    private void waitWhileRunning(String id, long timeoutNanos) {
        WaitContainerResultCallback callback = new WaitContainerResultCallback();
        try {
            client.waitContainerCmd(id).exec(callback).awaitCompletion(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            throw DockerErrors.interrupted("waiting for " + id + " to exit", e);
        } catch (RuntimeException e) {
            // Whatever ended the wait, the next inspection tells the state (or that it is gone).
            log.debug("wait for {} ended with {}", id, e.toString());
        } finally {
            try {
                callback.close();
            } catch (IOException e) {
                log.debug("closing the wait for {}", id, e);
            }
        }
    }

    @Override
    public ContainerLogs logs(String container) {
        LogCollector collector = new LogCollector();
        try {
            client.logContainerCmd(container).withStdOut(true).withStdErr(true).exec(collector).awaitCompletion();
        } catch (InterruptedException e) {
            throw DockerErrors.interrupted("reading logs of " + container, e);
        } catch (RuntimeException e) {
            throw DockerErrors.translate(e, Kind.ENGINE_ERROR);
        }
        return collector.logs();
    }

    @Override
    public List<ContainerLogLine> logLines(String container, int tail, long sinceEpochSecond) {
        LineCollector collector = new LineCollector();
        try {
            var command = client.logContainerCmd(container).withStdOut(true).withStdErr(true).withTimestamps(true)
                    .withTail(tail);
            if (sinceEpochSecond > 0) {
                command = command.withSince(Math.toIntExact(sinceEpochSecond));
            }
            command.exec(collector).awaitCompletion();
        } catch (InterruptedException e) {
            throw DockerErrors.interrupted("reading logs of " + container, e);
        } catch (RuntimeException e) {
            throw DockerErrors.translate(e, Kind.ENGINE_ERROR);
        }
        return collector.lines();
    }

    @Override
    public String statsJson(String container) {
        return stats(container, "");
    }

    @Override
    public ContainerUsage usage(String container) {
        // one-shot (API 1.41): the engine reads the cgroup once and answers at once, instead of
        // sampling twice a second apart to fill in the previous CPU reading.
        return ContainerUsage.parse(stats(container, "&one-shot=true"));
    }

    private String stats(String container, String moreParameters) {
        Objects.requireNonNull(container, "container");
        // docker-java's statsCmd maps the JSON onto its own classes and drops what they do not
        // know; the endpoint passes Docker's JSON on as it is.
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET)
                .path("/containers/" + URLEncoder.encode(container, StandardCharsets.UTF_8) + "/stats?stream=false"
                        + moreParameters)
                .build();
        try (DockerHttpClient.Response response = http.execute(request)) {
            String body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
            return switch (response.getStatusCode()) {
                case 200 -> body;
                case 404 -> throw new ContainerRuntimeException(Kind.NOT_FOUND, "No such container: " + container);
                default -> throw new ContainerRuntimeException(Kind.ENGINE_ERROR,
                        "stats of " + container + ": HTTP " + response.getStatusCode() + " " + body.strip());
            };
        } catch (ContainerRuntimeException e) {
            throw e;
        } catch (IOException e) {
            throw new ContainerRuntimeException(Kind.ENGINE_ERROR, "stats of " + container + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw DockerErrors.translate(e, Kind.ENGINE_ERROR);
        }
    }

    @Override
    public EventSubscription subscribe(Map<String, String> labels, Consumer<ContainerEvent> listener, Runnable resumed) {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(resumed, "resumed");
        DockerEventStream stream = DockerEventStream.open(client, labels, listener, resumed, subscriptions::remove);
        subscriptions.add(stream);
        return stream;
    }

    // ---- volumes ------------------------------------------------------------------------------

    @Override
    public VolumeInfo createVolume(VolumeSpec spec) {
        try {
            CreateVolumeResponse r = client.createVolumeCmd()
                    .withName(spec.name())
                    .withDriver(spec.driver())
                    .withDriverOpts(spec.driverOptions())
                    .withLabels(spec.labels())
                    .exec();
            return new VolumeInfo(r.getName(), orEmpty(r.getDriver()), orEmpty(r.getMountpoint()),
                    r.getLabels() == null ? Map.of() : r.getLabels());
        } catch (RuntimeException e) {
            throw DockerErrors.translate(e, Kind.ENGINE_ERROR);
        }
    }

    @Override
    public Optional<VolumeInfo> inspectVolume(String name) {
        try {
            InspectVolumeResponse r = client.inspectVolumeCmd(name).exec();
            return Optional.of(new VolumeInfo(r.getName(), orEmpty(r.getDriver()), orEmpty(r.getMountpoint()),
                    r.getLabels() == null ? Map.of() : r.getLabels()));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw DockerErrors.translate(e, Kind.ENGINE_ERROR);
        }
    }

    @Override
    public void removeVolume(String name) {
        try {
            client.removeVolumeCmd(name).exec();
        } catch (NotFoundException alreadyGone) {
            // Removal is idempotent.
        } catch (RuntimeException e) {
            throw DockerErrors.translate(e, Kind.REMOVE_FAILED);
        }
    }

    // ---- networks -----------------------------------------------------------------------------

    @Override
    public NetworkInfo ensureNetwork(NetworkSpec spec) {
        return networks.ensure(spec);
    }

    @Override
    public Optional<NetworkInfo> inspectNetwork(String name) {
        return networks.inspect(name);
    }

    @Override
    public void removeNetwork(String name) {
        networks.remove(name);
    }

    @Override
    public void close() {
        for (DockerEventStream s : List.copyOf(subscriptions)) {
            s.close();
        }
        try {
            client.close();
        } catch (IOException e) {
            log.debug("closing the docker client", e);
        }
    }

    private static void sleep(long nanos, String what) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            throw DockerErrors.interrupted("waiting for " + what + " to exit", e);
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
