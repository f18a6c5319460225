package dev.stevedore.control.ecr;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecr.BatchDeleteImageRequest;
import dev.stevedore.model.ecr.BatchDeleteImageResponse;
import dev.stevedore.model.ecr.BatchGetImageRequest;
import dev.stevedore.model.ecr.BatchGetImageResponse;
import dev.stevedore.model.ecr.DescribeImagesRequest;
import dev.stevedore.model.ecr.DescribeImagesResponse;
import dev.stevedore.model.ecr.Image;
import dev.stevedore.model.ecr.ImageDetail;
import dev.stevedore.model.ecr.ImageFailure;
import dev.stevedore.model.ecr.ImageIdentifier;
import dev.stevedore.model.ecr.ListImagesRequest;
import dev.stevedore.model.ecr.ListImagesResponse;
import dev.stevedore.model.ecr.PutImageRequest;
import dev.stevedore.model.ecr.PutImageResponse;
import dev.stevedore.store.StateStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** DescribeImages, ListImages, BatchGetImage, BatchDeleteImage and PutImage. */
final class ImageOperations {
    private static final int DEFAULT_PAGE = 100;

    private final StateStore store;
    private final ImageRegistry registry;
    private final ImageLedger ledger;
    private final ImageDeletion deletion;
    private final Lifecycle lifecycle;

    ImageOperations(StateStore store, ImageRegistry registry, ImageLedger ledger, ImageDeletion deletion,
                    Lifecycle lifecycle) {
        this.store = store;
        this.registry = registry;
        this.ledger = ledger;
        this.deletion = deletion;
        this.lifecycle = lifecycle;
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "DescribeImages", Operations.typed(DescribeImagesRequest.class, this::describe),
                "ListImages", Operations.typed(ListImagesRequest.class, this::list),
                "BatchGetImage", Operations.typed(BatchGetImageRequest.class, this::batchGet),
                "BatchDeleteImage", Operations.typed(BatchDeleteImageRequest.class, this::batchDelete),
                "PutImage", Operations.typed(PutImageRequest.class, this::put));
    }

    DescribeImagesResponse describe(CallContext ctx, DescribeImagesRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = request.repositoryName();
        scope.requireOwnRegistry(request.registryId(), name);
        List<ImageRecord> images = imagesOf(scope, name);
        List<ImageIdentifier> ids = Optional.ofNullable(request.imageIds()).orElse(List.of());
        if (!ids.isEmpty()) {
            List<ImageDetail> found = new ArrayList<>();
            for (ImageIdentifier id : ids) {
                ImageRecord image = find(images, id).orElseThrow(() -> EcrErrors.imageNotFound(id.imageDigest(),
                        id.imageTag(), name, scope.accountId()));
                found.add(detail(scope, name, image));
            }
            return new DescribeImagesResponse(found, null);
        }
        String tagStatus = request.filter() == null || request.filter().tagStatus() == null
                ? "ANY" : request.filter().tagStatus();
        Page<ImageRecord> page = Page.of(images.stream().filter(withTagStatus(tagStatus)).toList(),
                ImageRecord::digest, request.nextToken(), Optional.ofNullable(request.maxResults()).orElse(DEFAULT_PAGE));
        return new DescribeImagesResponse(page.items().stream().map(i -> detail(scope, name, i)).toList(),
                page.nextToken().orElse(null));
    }

    ListImagesResponse list(CallContext ctx, ListImagesRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = request.repositoryName();
        scope.requireOwnRegistry(request.registryId(), name);
        String tagStatus = request.filter() == null || request.filter().tagStatus() == null
                ? "ANY" : request.filter().tagStatus();
        // One entry per tag (and one for an image without tags), paged in digest-then-tag order.
        List<ImageIdentifier> ids = new ArrayList<>();
        for (ImageRecord image : imagesOf(scope, name)) {
            if (!image.tagged() && !tagStatus.equals("TAGGED")) {
                ids.add(new ImageIdentifier(image.digest(), null));
            }
            if (image.tagged() && !tagStatus.equals("UNTAGGED")) {
                image.tags().forEach(tag -> ids.add(new ImageIdentifier(image.digest(), tag)));
            }
        }
        Page<ImageIdentifier> page = Page.of(ids, id -> id.imageDigest() + " " + Optional.ofNullable(id.imageTag()).orElse(""),
                request.nextToken(), Optional.ofNullable(request.maxResults()).orElse(DEFAULT_PAGE));
        return new ListImagesResponse(page.items(), page.nextToken().orElse(null));
    }

    BatchGetImageResponse batchGet(CallContext ctx, BatchGetImageRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = request.repositoryName();
        scope.requireOwnRegistry(request.registryId(), name);
        List<ImageRecord> images = imagesOf(scope, name);
        List<Image> found = new ArrayList<>();
        List<ImageFailure> failures = new ArrayList<>();
        for (ImageIdentifier id : request.imageIds()) {
            Optional<ImageFailure> invalid = invalid(id);
            if (invalid.isPresent()) {
                failures.add(invalid.get());
                continue;
            }
            Optional<ImageRecord> image = find(images, id);
            if (image.isEmpty()) {
                failures.add(new ImageFailure("ImageNotFound", "Requested image not found", id));
                continue;
            }
            found.add(new Image(new ImageIdentifier(image.get().digest(), id.imageTag()), image.get().manifest(),
                    image.get().manifestMediaType(), scope.accountId(), name));
        }
        return new BatchGetImageResponse(failures, found);
    }

    BatchDeleteImageResponse batchDelete(CallContext ctx, BatchDeleteImageRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = request.repositoryName();
        scope.requireOwnRegistry(request.registryId(), name);
        List<ImageIdentifier> deleted = new ArrayList<>();
        List<ImageFailure> failures = new ArrayList<>();
        for (ImageIdentifier id : request.imageIds()) {
            Optional<ImageFailure> invalid = invalid(id);
            if (invalid.isPresent()) {
                failures.add(invalid.get());
                continue;
            }
            Optional<ImageRecord> image = find(imagesOf(scope, name), id);
            if (image.isEmpty()) {
                failures.add(new ImageFailure("ImageNotFound", "Requested image not found", id));
            } else if (id.imageDigest() != null) {
                deletion.deleteImage(scope, name, image.get().digest());
                if (image.get().tags().isEmpty()) {
                    deleted.add(new ImageIdentifier(image.get().digest(), null));
                }
                image.get().tags().forEach(tag -> deleted.add(new ImageIdentifier(image.get().digest(), tag)));
            } else {
                deletion.deleteTag(scope, name, id.imageTag())
                        .ifPresent(digest -> deleted.add(new ImageIdentifier(digest, id.imageTag())));
            }
        }
        return new BatchDeleteImageResponse(failures, deleted);
    }

    PutImageResponse put(CallContext ctx, PutImageRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = request.repositoryName();
        scope.requireOwnRegistry(request.registryId(), name);
        byte[] manifest = request.imageManifest().getBytes(StandardCharsets.UTF_8);
        ImageLedger.parse(manifest);
        String digest = ImageLedger.digest(manifest);
        if (request.imageDigest() != null && !request.imageDigest().equals(digest)) {
            throw EcrErrors.invalidParameter("Invalid parameter at 'imageDigest' failed to satisfy constraint:"
                    + " 'The digest given does not match the digest of the image manifest'");
        }
        Optional<String> tag = Optional.ofNullable(request.imageTag());
        ImageLedger.Push push = new ImageLedger.Push(scope, name, tag, request.imageManifestMediaType(), manifest);
        ledger.requireWritable(push);
        // ECR refuses a PutImage that would change nothing (the image already has this tag, or no tag is given).
        Optional<ImageRecord> existing = imagesOf(scope, name).stream().filter(i -> i.digest().equals(digest)).findFirst();
        if (existing.isPresent() && (tag.isEmpty() || existing.get().tags().contains(tag.get()))) {
            throw EcrErrors.imageAlreadyExists(digest, tag.orElse("null"), name, scope.accountId());
        }
        registry.putManifest(name, tag.orElse(digest), mediaType(request, manifest), manifest);
        ImageRecord image = ledger.record(push);
        lifecycle.applyQuietly(scope, name);
        return new PutImageResponse(new Image(new ImageIdentifier(digest, tag.orElse(null)), image.manifest(),
                image.manifestMediaType(), scope.accountId(), name));
    }

    private static String mediaType(PutImageRequest request, byte[] manifest) {
        return Optional.ofNullable(request.imageManifestMediaType())
                .or(() -> Optional.ofNullable(ImageLedger.parse(manifest).get("mediaType")).map(n -> n.asText()))
                .orElse("application/vnd.docker.distribution.manifest.v2+json");
    }

    private List<ImageRecord> imagesOf(EcrScope scope, String name) {
        return StoreTx.run(store, tx -> {
            ImageLedger.repository(tx, scope, name);
            return ImageLedger.images(tx, scope, name);
        });
    }

    private static Optional<ImageFailure> invalid(ImageIdentifier id) {
        if (id.imageDigest() == null && id.imageTag() == null) {
            return Optional.of(new ImageFailure("MissingDigestAndTag",
                    "Invalid request parameters: both tag and digest cannot be null", id));
        }
        if (id.imageDigest() != null && !id.imageDigest().matches("[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+")) {
            return Optional.of(new ImageFailure("InvalidImageDigest", "Invalid request parameters: image digest"
                    + " should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'", id));
        }
        return Optional.empty();
    }

    /** The image an identifier names; both digest and tag given must name the same one. */
    static Optional<ImageRecord> find(List<ImageRecord> images, ImageIdentifier id) {
        return images.stream()
                .filter(i -> id.imageDigest() == null || i.digest().equals(id.imageDigest()))
                .filter(i -> id.imageTag() == null || i.tags().contains(id.imageTag()))
                .findFirst();
    }

    static Predicate<ImageRecord> withTagStatus(String tagStatus) {
        return switch (tagStatus) {
            case "TAGGED" -> ImageRecord::tagged;
            case "UNTAGGED" -> image -> !image.tagged();
            default -> image -> true;
        };
    }

    private static ImageDetail detail(EcrScope scope, String repository, ImageRecord image) {
        return ImageDetail.builder().registryId(scope.accountId()).repositoryName(repository)
                .imageDigest(image.digest()).imageTags(image.tags().isEmpty() ? null : image.tags())
                .imageSizeInBytes(image.sizeInBytes()).imagePushedAt(image.pushedAt())
                .imageManifestMediaType(image.manifestMediaType()).build();
    }
}
