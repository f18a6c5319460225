package dev.stevedore.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RegistryStorageTest {
    private final RegistryStorage storage = new RegistryStorage(Path.of("/data/registry/storage"));

    @Test
    void aBlobIsFoundWhereTheFilesystemDriverCommitsIt() {
        String hex = "0123456789abcdef".repeat(4);
        assertThat(storage.blobData("sha256:" + hex)).contains(Path.of(
                "/data/registry/storage/docker/registry/v2/blobs/sha256/01/" + hex + "/data"));
    }

    @Test
    void onlyASha256DigestNamesABlob() {
        assertThat(storage.blobData("sha256:../../../../etc")).isEmpty();
        assertThat(storage.blobData("sha256:" + "0123456789ABCDEF".repeat(4))).isEmpty();
        assertThat(storage.blobData("sha512:" + "0".repeat(128))).isEmpty();
        assertThat(storage.blobData("uploads/0b3c")).isEmpty();
    }

    @Test
    void aTagDirectoryStaysInTheStorage() {
        assertThat(storage.tagDirectory("team/app", "v1")).isEqualTo(Path.of(
                "/data/registry/storage/docker/registry/v2/repositories/team/app/_manifests/tags/v1"));
        assertThatThrownBy(() -> storage.tagDirectory("app", "../".repeat(9) + "etc"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
