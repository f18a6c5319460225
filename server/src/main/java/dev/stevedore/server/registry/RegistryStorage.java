package dev.stevedore.server.registry;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where {@code docker-registry}'s filesystem driver (distribution 2.8) keeps things under its root
 * directory, which Stevedore owns: the two places Stevedore reads or changes directly rather than
 * through the registry's API.
 */
record RegistryStorage(Path root) {
    /** Only digests the registry stores; anything else could name a path outside the blob store. */
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    private Path v2() {
        return root.resolve("docker/registry/v2");
    }

    /** The content of a blob (a layer or a configuration), by digest, once the registry has committed it. */
    Optional<Path> blobData(String digest) {
        if (!SHA256.matcher(digest).matches()) {
            return Optional.empty();
        }
        String hex = digest.substring("sha256:".length());
        return Optional.of(v2().resolve("blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data"));
    }

    /** The directory that makes {@code tag} a tag of {@code repository}. */
    Path tagDirectory(String repository, String tag) {
        Path dir = v2().resolve("repositories").resolve(repository).resolve("_manifests/tags").resolve(tag);
        if (!dir.normalize().startsWith(root.normalize())) {
            throw new IllegalArgumentException("not a tag of " + repository + ": " + tag);
        }
        return dir;
    }
}
