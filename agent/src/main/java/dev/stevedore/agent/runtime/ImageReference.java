package dev.stevedore.agent.runtime;

import java.util.Objects;
import java.util.Optional;

/**
 * An image reference taken apart the way the engine reads it: {@code [registry/]path[:tag][@digest]}.
 * A reference without a tag or digest means {@code :latest}; pulling one with neither would make
 * the engine fetch every tag of the repository.
 *
 * @param repository the name without tag or digest, including the registry host if one was given
 * @param registry   the registry host (and port) when the first path component names one
 */
record ImageReference(String repository, Optional<String> registry, Optional<String> tag, Optional<String> digest) {

    /** Where credentials for images without a registry host are filed. */
    static final String DOCKER_HUB_AUTH_ADDRESS = "https://index.docker.io/v1/";

    ImageReference {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(digest, "digest");
    }

    static ImageReference parse(String reference) {
        Objects.requireNonNull(reference, "reference");
        String rest = reference.trim();
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("empty image reference");
        }
        Optional<String> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Optional.of(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        Optional<String> tag = Optional.empty();
        int colon = rest.lastIndexOf(':');
        // A colon before the last slash belongs to a registry port (127.0.0.1:5000/app), not a tag.
        if (colon > rest.lastIndexOf('/')) {
            tag = Optional.of(rest.substring(colon + 1));
            rest = rest.substring(0, colon);
        }
        if (rest.isEmpty() || tag.map(String::isEmpty).orElse(false) || digest.map(String::isEmpty).orElse(false)) {
            throw new IllegalArgumentException("invalid image reference: " + reference);
        }
        Optional<String> registry = Optional.empty();
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = Optional.of(first);
            }
        }
        return new ImageReference(rest, registry, tag, digest);
    }

    /** The tag or digest to pull: the digest if there is one, else the tag, else {@code latest}. */
    String tagOrDigest() {
        return digest.or(() -> tag).orElse("latest");
    }

    /** The full reference, with {@code :latest} made explicit. */
    String canonical() {
        return digest.map(d -> repository + "@" + d).orElseGet(() -> repository + ":" + tag.orElse("latest"));
    }

    /** The server address that registry credentials are given for. */
    String authAddress() {
        return registry.orElse(DOCKER_HUB_AUTH_ADDRESS);
    }
}
