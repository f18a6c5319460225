package dev.stevedore.server.registry;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.control.ecr.EcrApi;
import dev.stevedore.control.ecr.ImageRegistry;
import dev.stevedore.control.ecr.RegistryAccess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * ECR's data plane in this process: the token signer, the private {@code docker-registry} and the front
 * door clients use ({@code 127.0.0.1:PORT}: Docker talks plain HTTP to a registry on 127.0.0.0/8 without
 * any {@code insecure-registries} setting, so no certificate is needed). Made in two steps because the
 * ECR API needs the registry's address and client before the front door can take the API's ledger.
 */
public final class ImageRegistryPlane implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ImageRegistryPlane.class);
    private final RegistrySettings settings;
    private final Path dir;
    private final Clock clock;
    private final int publicPort;
    private final int privatePort;
    private final Optional<RegistryTokenSigner> signer;
    private final ImageRegistry images;
    private RegistryProcess process;
    private RegistryFront front;

    private ImageRegistryPlane(RegistrySettings settings, Path dir, Clock clock) {
        this.settings = settings;
        this.dir = dir;
        this.clock = clock;
        if (settings.enabled()) {
            this.publicPort = settings.port() == 0 ? freePort() : settings.port();
            this.privatePort = freePort();
            RegistryTokenSigner made = RegistryTokenSigner.loadOrCreate(dir, clock);
            this.signer = Optional.of(made);
            this.images = new RegistryClient("127.0.0.1:" + publicPort, privatePort, made, storage());
        } else {
            this.publicPort = 0;
            this.privatePort = 0;
            this.signer = Optional.empty();
            this.images = new Off();
        }
    }

    /** The address and client, before anything runs. */
    public static ImageRegistryPlane prepare(RegistrySettings settings, Path dir, Clock clock) {
        if (settings.enabled() && !java.nio.file.Files.isExecutable(RegistryProcess.BINARY)) {
            // The API still serves; a first start on a machine without the package should not fail for it.
            LOG.warn("{} is not installed (apt-get install docker-registry): the image registry is off",
                    RegistryProcess.BINARY);
            return new ImageRegistryPlane(RegistrySettings.OFF, dir, clock);
        }
        return new ImageRegistryPlane(settings, dir, clock);
    }

    /** The registry as the ECR API sees it. */
    public ImageRegistry images() {
        return images;
    }

    /** Starts the registry and its front door (nothing when off). */
    public void start(EcrApi ecr, RegistryAccess access, String region) {
        if (signer.isEmpty()) {
            return;
        }
        String realm = "http://127.0.0.1:" + publicPort + RegistryFront.TOKEN_PATH;
        process = RegistryProcess.start(dir, privatePort, realm, signer.get().certificateFile());
        try {
            front = RegistryFront.start("127.0.0.1", publicPort, privatePort, signer.get(),
                    new RegistryTokenEndpoint(access, signer.get()), ecr.ledger(), region, ecr::lifecycleAfterPush,
                    storage());
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
    }

    /** The storage {@link RegistryProcess} configures the registry with. */
    private RegistryStorage storage() {
        return new RegistryStorage(dir.resolve("storage"));
    }

    /** {@code 127.0.0.1:PORT}, when the registry runs. */
    public Optional<String> address() {
        return settings.enabled() ? Optional.of(images.address()) : Optional.empty();
    }

    @Override
    public void close() {
        if (front != null) {
            front.close();
        }
        if (process != null) {
            process.close();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port for the image registry", e);
        }
    }

    /** Without a registry: nothing can be pushed, so there is nothing to delete either. */
    private static final class Off implements ImageRegistry {
        @Override
        public String address() {
            return "127.0.0.1:0";
        }

        @Override
        public void putManifest(String repository, String reference, String mediaType, byte[] manifest) {
            throw AwsException.clientError("ValidationException",
                    "This Stevedore runs without its image registry; start it with `stevedore up` (--registry-port).");
        }

        @Override
        public void deleteManifest(String repository, String digest) {
        }

        @Override
        public void deleteTag(String repository, String tag) {
        }
    }
}
