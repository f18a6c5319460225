package dev.stevedore.agent.runtime;

import java.util.List;
import java.util.Objects;

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
}
