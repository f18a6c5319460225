package dev.stevedore.control.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.store.StateStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What the store knows of a repository's images, and the one way a pushed manifest gets there: the
 * registry's front door (a {@code docker push}) and PutImage both record a manifest only after the
 * registry has it, in one transaction that also moves the tag from the image that had it.
 */
public final class ImageLedger {
    private final StateStore store;
    private final Clock clock;

    public ImageLedger(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A pushed manifest: where it goes and what it is. */
    public record Push(EcrScope scope, String repository, Optional<String> tag, String mediaType, byte[] manifest) {
        public String digest() {
            return ImageLedger.digest(manifest);
        }
    }

    /** {@code sha256:HEX} of the manifest's bytes, as the registry names it. */
    public static String digest(byte[] manifest) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the repository exists (the token endpoint grants nothing on one that does not). */
    public boolean repositoryExists(EcrScope scope, String repository) {
        return StoreTx.run(store, tx -> tx.read(scope.repositoryKey(repository), RepositoryRecord.class).isPresent());
    }

    /**
     * Refuses a push the repository's settings forbid before the registry sees it: a tag of an IMMUTABLE
     * repository that names another image already. The same is checked again when recording.
     */
    public void requireWritable(Push push) {
        StoreTx.run(store, tx -> {
            RepositoryRecord repository = repository(tx, push.scope(), push.repository());
            push.tag().ifPresent(tag -> requireTagFree(tx, push.scope(), repository, tag, push.digest()));
            return null;
        });
    }

    /** Records a manifest the registry has accepted; answers the image as stored. */
    public ImageRecord record(Push push) {
        String digest = push.digest();
        JsonNode parsed = parse(push.manifest());
        String mediaType = Optional.ofNullable(push.mediaType()).filter(t -> !t.isBlank())
                .or(() -> Optional.ofNullable(parsed.get("mediaType")).map(JsonNode::asText))
                .orElse("application/vnd.docker.distribution.manifest.v2+json");
        return StoreTx.run(store, tx -> {
            RepositoryRecord repository = repository(tx, push.scope(), push.repository());
            String key = push.scope().imageKey(push.repository(), digest);
            ImageRecord image = tx.read(key, ImageRecord.class).orElseGet(() -> new ImageRecord(digest, List.of(),
                    sizeOf(parsed), clock.instant(), mediaType, new String(push.manifest(), StandardCharsets.UTF_8)));
            if (push.tag().isPresent()) {
                String tag = push.tag().get();
                requireTagFree(tx, push.scope(), repository, tag, digest);
                holderOf(tx, push.scope(), push.repository(), tag).filter(other -> !other.digest().equals(digest))
                        .ifPresent(other -> tx.put(push.scope().imageKey(push.repository(), other.digest()),
                                other.withoutTag(tag)));
                image = image.withTag(tag);
            }
            tx.put(key, image);
            tx.put(push.scope().repositoryKey(push.repository()), repository.withImagesChanged());
            return image;
        });
    }

    static RepositoryRecord repository(StoreTx tx, EcrScope scope, String name) {
        return tx.read(scope.repositoryKey(name), RepositoryRecord.class)
                .orElseThrow(() -> EcrErrors.repositoryNotFound(name, scope.accountId()));
    }

    static List<ImageRecord> images(StoreTx tx, EcrScope scope, String repository) {
        return tx.scan(scope.imagesPrefix(repository), ImageRecord.class);
    }

    static Optional<ImageRecord> holderOf(StoreTx tx, EcrScope scope, String repository, String tag) {
        return images(tx, scope, repository).stream().filter(i -> i.tags().contains(tag)).findFirst();
    }

    private static void requireTagFree(StoreTx tx, EcrScope scope, RepositoryRecord repository, String tag, String digest) {
        if (repository.immutableTags() && holderOf(tx, scope, repository.name(), tag)
                .filter(holder -> !holder.digest().equals(digest)).isPresent()) {
            throw EcrErrors.tagAlreadyExists(tag, repository.name());
        }
    }

    static JsonNode parse(byte[] manifest) {
        try {
            JsonNode node = AwsJson.mapper().readTree(manifest);
            if (node == null || !node.isObject()) {
                throw EcrErrors.invalidParameter("Invalid parameter at 'imageManifest' failed to satisfy constraint:"
                        + " 'Invalid JSON syntax'");
            }
            return node;
        } catch (IOException e) {
            throw EcrErrors.invalidParameter("Invalid parameter at 'imageManifest' failed to satisfy constraint:"
                    + " 'Invalid JSON syntax'");
        }
    }

    /** The layers' sizes the manifest declares; an index (no layers) counts its manifests' sizes. */
    private static long sizeOf(JsonNode manifest) {
        long size = 0;
        for (JsonNode layer : manifest.path("layers")) {
            size += layer.path("size").asLong();
        }
        for (JsonNode child : manifest.path("manifests")) {
            size += child.path("size").asLong();
        }
        return size;
    }
}
