package dev.stevedore.control.ecr;

/**
 * The registry that holds the repositories' manifests and layers (the data plane), as the ECR API needs
 * it: its address, and the manifest writes PutImage, BatchDeleteImage and lifecycle expiry make. Its
 * refusals are thrown as {@link dev.stevedore.awsproto.AwsException}s in ECR's terms.
 */
public interface ImageRegistry {

    /** {@code host:port}: the registry part of every repository URI. */
    String address();

    /** Stores {@code manifest} in {@code repository} under {@code reference} (a tag or its digest). */
    void putManifest(String repository, String reference, String mediaType, byte[] manifest);

    /** Deletes the manifest and every tag that points at it; one already gone is not an error. */
    void deleteManifest(String repository, String digest);

    /** Removes one tag, leaving the manifest it pointed at; one already gone is not an error. */
    void deleteTag(String repository, String tag);
}
