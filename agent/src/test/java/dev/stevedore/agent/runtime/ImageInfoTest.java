package dev.stevedore.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageInfoTest {

    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);

    @Test
    void digestIsTheRepoDigestOfTheReferencesOwnRepository() {
        ImageInfo info = new ImageInfo("127.0.0.1:5000/team/app:1", "sha256:id",
                List.of("127.0.0.1:6000/team/app@" + A, "127.0.0.1:5000/team/app@" + B));

        assertThat(info.manifestDigest()).hasValue(B);
    }

    @Test
    void dockerHubNamesMatchTheEnginesShortForm() {
        ImageInfo info = new ImageInfo("docker.io/library/busybox:1.36", "sha256:id", List.of("busybox@" + A));

        assertThat(info.manifestDigest()).hasValue(A);
        assertThat(new ImageInfo("busybox", "sha256:id", List.of("busybox@" + A)).manifestDigest()).hasValue(A);
    }

    @Test
    void aReferenceByDigestIsThatDigest() {
        ImageInfo info = new ImageInfo("127.0.0.1:5000/app@" + A, "sha256:id", List.of("127.0.0.1:5000/app@" + B));

        assertThat(info.manifestDigest()).hasValue(A);
    }

    @Test
    void noDigestForAnImageKnownOnlyUnderOtherRepositoriesOrNone() {
        assertThat(new ImageInfo("stevedore/busybox:latest", "sha256:id", List.of()).manifestDigest()).isEmpty();
        assertThat(new ImageInfo("127.0.0.1:5000/copy:1", "sha256:id", List.of("127.0.0.1:5000/original@" + A))
                .manifestDigest()).isEmpty();
    }
}
