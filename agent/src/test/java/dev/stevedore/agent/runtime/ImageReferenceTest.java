package dev.stevedore.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {

    @Test
    void bareNameMeansLatestOnDockerHub() {
        ImageReference ref = ImageReference.parse("busybox");

        assertThat(ref.repository()).isEqualTo("busybox");
        assertThat(ref.registry()).isEmpty();
        assertThat(ref.tagOrDigest()).isEqualTo("latest");
        assertThat(ref.canonical()).isEqualTo("busybox:latest");
        assertThat(ref.authAddress()).isEqualTo(ImageReference.DOCKER_HUB_AUTH_ADDRESS);
    }

    @Test
    void registryPortIsNotMistakenForATag() {
        ImageReference ref = ImageReference.parse("127.0.0.1:5000/team/app");

        assertThat(ref.registry()).hasValue("127.0.0.1:5000");
        assertThat(ref.repository()).isEqualTo("127.0.0.1:5000/team/app");
        assertThat(ref.tag()).isEmpty();
        assertThat(ref.canonical()).isEqualTo("127.0.0.1:5000/team/app:latest");
        assertThat(ref.authAddress()).isEqualTo("127.0.0.1:5000");
    }

    @Test
    void tagAndDigestAreSeparated() {
        ImageReference ref = ImageReference.parse("registry.example/app:1.2@sha256:abc");

        assertThat(ref.repository()).isEqualTo("registry.example/app");
        assertThat(ref.tag()).hasValue("1.2");
        assertThat(ref.digest()).hasValue("sha256:abc");
        assertThat(ref.tagOrDigest()).isEqualTo("sha256:abc");
        assertThat(ref.canonical()).isEqualTo("registry.example/app@sha256:abc");
    }

    @Test
    void firstComponentWithoutDotOrPortIsAnOrganisationNotARegistry() {
        ImageReference ref = ImageReference.parse("library/nginx:1.27");

        assertThat(ref.registry()).isEmpty();
        assertThat(ref.repository()).isEqualTo("library/nginx");
        assertThat(ref.tag()).hasValue("1.27");
        assertThat(ImageReference.parse("localhost/app").registry()).hasValue("localhost");
    }

    @Test
    void emptyPartsAreRejected() {
        assertThatThrownBy(() -> ImageReference.parse(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageReference.parse("app:")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageReference.parse("app@")).isInstanceOf(IllegalArgumentException.class);
    }
}
