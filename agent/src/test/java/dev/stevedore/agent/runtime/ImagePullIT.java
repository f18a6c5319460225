package dev.stevedore.agent.runtime;

import static dev.stevedore.agent.runtime.DockerTestSupport.RUN_ID;
import static dev.stevedore.agent.runtime.DockerTestSupport.TEST_IMAGE;
import static dev.stevedore.agent.runtime.DockerTestSupport.dockerCli;
import static dev.stevedore.agent.runtime.DockerTestSupport.runToExit;
import static dev.stevedore.agent.runtime.DockerTestSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.agent.runtime.ContainerRuntimeException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from private registries on loopback that the test starts and fills itself. */
class ImagePullIT extends RuntimeITBase {

    /** bcrypt (cost 4) of {@link #PASSWORD}, the only hash format docker-registry's htpasswd accepts. */
    private static final String HTPASSWD = "stevedore:$2b$04$2VpNKrjuKrAaARDCe705rO68W26hefNZmVylFcVvRsf7el1wCYoLu\n";
    private static final String USER = "stevedore";
    private static final String PASSWORD = "stevedore-secret";
    private static final String REPOSITORY = "stevedore-it/busybox-" + RUN_ID;

    @TempDir
    static Path workDir;
    static Path storage;
    static LocalRegistry registry;
    /** The test image as pushed to {@link #registry}, and then removed from the host. */
    static String pushedImage;

    @BeforeAll
    static void startRegistryWithTheTestImage() throws IOException {
        storage = Files.createDirectories(workDir.resolve("storage"));
        registry = LocalRegistry.start(workDir, storage, Optional.empty());
        pushedImage = registry.host() + "/" + REPOSITORY + ":1";
        dockerCli("tag", TEST_IMAGE, pushedImage);
        dockerCli("push", pushedImage);
        dockerCli("rmi", pushedImage);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            DockerTestSupport.removeTestContainers(runtime);
            runtime.removeImage(pushedImage);
            registry.close();
        }
    }

    @Test
    void ensureImagePullsAnAbsentImageAndItRuns() {
        runtime.removeImage(pushedImage);
        assertThat(runtime.inspectImage(pushedImage)).isEmpty();

        ImageInfo pulled = runtime.ensureImage(pushedImage, Optional.empty());

        assertThat(pulled.reference()).isEqualTo(pushedImage);
        assertThat(pulled.id()).isEqualTo(runtime.inspectImage(TEST_IMAGE).orElseThrow().id());
        assertThat(pulled.repoDigests()).anySatisfy(d -> assertThat(d).startsWith(registry.host() + "/" + REPOSITORY + "@sha256:"));
        ContainerStatus done = runToExit(runtime, spec("pulled").image(pushedImage).command("echo", "pulled image runs").build());
        assertThat(runtime.logs(done.id()).stdout()).isEqualTo("pulled image runs\n");
    }

    @Test
    void ensureImageUsesAPresentImageWhilePullImageAlwaysAsksTheRegistry() {
        // Nothing listens on this port, so only an operation that skips the registry can succeed.
        String localOnly = "127.0.0.1:" + DockerTestSupport.freeLoopbackPort() + "/" + REPOSITORY + ":local";
        dockerCli("tag", TEST_IMAGE, localOnly);
        try {
            assertThat(runtime.ensureImage(localOnly, Optional.empty()).id())
                    .isEqualTo(runtime.inspectImage(TEST_IMAGE).orElseThrow().id());
            assertThatThrownBy(() -> runtime.pullImage(localOnly, Optional.empty()))
                    .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.PULL_FAILED));
        } finally {
            runtime.removeImage(localOnly);
        }
    }

    @Test
    void imageTheRegistryDoesNotHaveIsImageNotFoundInTheEnginesWords() {
        String missing = registry.host() + "/nope:1";

        assertThatThrownBy(() -> runtime.ensureImage(missing, Optional.empty()))
                .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.IMAGE_NOT_FOUND);
                    assertThat(e.getMessage())
                            .startsWith("Error response from daemon: manifest for " + missing + " not found")
                            .doesNotContain("Status 404")
                            .doesNotContain("{");
                });
    }

    @Test
    void unreachableRegistryIsAPullFailure() {
        String image = "127.0.0.1:" + DockerTestSupport.freeLoopbackPort() + "/anything:1";

        assertThatThrownBy(() -> runtime.pullImage(image, Optional.empty()))
                .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.PULL_FAILED);
                    assertThat(e.getMessage()).startsWith("Error response from daemon: ").contains("connection refused");
                });
    }

    @Test
    void registryBehindAuthenticationNeedsTheRightCredentials() throws IOException {
        Path htpasswd = Files.writeString(workDir.resolve("htpasswd"), HTPASSWD);
        try (LocalRegistry secured = LocalRegistry.start(workDir, storage, Optional.of(htpasswd))) {
            String image = secured.host() + "/" + REPOSITORY + ":1";
            try {
                assertThatThrownBy(() -> runtime.pullImage(image, Optional.empty()))
                        .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> {
                            assertThat(e.kind()).isEqualTo(Kind.PULL_FAILED);
                            assertThat(e.getMessage()).contains("no basic auth credentials");
                        });
                assertThatThrownBy(() -> runtime.pullImage(image, Optional.of(new RegistryAuth(USER, "wrong"))))
                        .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> {
                            assertThat(e.kind()).isEqualTo(Kind.PULL_FAILED);
                            assertThat(e.getMessage()).contains("unauthorized");
                        });

                ImageInfo pulled = runtime.pullImage(image, Optional.of(new RegistryAuth(USER, PASSWORD)));

                assertThat(pulled.repoDigests()).anySatisfy(d -> assertThat(d).startsWith(secured.host() + "/"));
            } finally {
                runtime.removeImage(image);
            }
        }
    }
}
