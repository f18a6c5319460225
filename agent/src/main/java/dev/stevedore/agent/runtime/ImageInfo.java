package dev.stevedore.agent.runtime;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An image present on the host: the reference it was asked for, the engine's image id
 * ({@code sha256:...}) and the registry digests it is known under (empty for images that were
 * never pulled or pushed, such as locally imported ones).
 */
public record ImageInfo(String reference, String id, List<String> repoDigests) {

    public ImageInfo {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(id, "id");
        repoDigests = List.copyOf(repoDigests);
    }

    /**
     * The digest of the registry manifest that {@link #reference} names, as ECS reports it
     * ({@code sha256:...}): the reference's own digest when it has one, else the repo digest of
     * the reference's repository. Empty when the image is known under other repositories only (a
     * copy pulled under another name says nothing of this one) or under none (built or loaded
     * locally).
     */
    public Optional<String> manifestDigest() {
        ImageReference ref = ImageReference.parse(reference);
        if (ref.digest().isPresent()) {
            return ref.digest();
        }
        String repository = familiar(ref.repository());
        return repoDigests.stream()
                .filter(d -> d.indexOf('@') > 0 && familiar(d.substring(0, d.indexOf('@'))).equals(repository))
                .map(d -> d.substring(d.indexOf('@') + 1))
                .findFirst();
    }

    /** The engine's short form of a Docker Hub name ({@code docker.io/library/busybox} is {@code busybox}). */
    private static String familiar(String repository) {
        String name = repository;
        for (String hub : List.of("docker.io/", "index.docker.io/", "registry-1.docker.io/")) {
            if (name.startsWith(hub)) {
                name = name.substring(hub.length());
                break;
            }
        }
        return name.startsWith("library/") && name.indexOf('/', "library/".length()) < 0
                ? name.substring("library/".length()) : name;
    }
}
