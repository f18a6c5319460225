package dev.stevedore.control.ecr;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An image as stored at {@code /ecr/{account}/{region}/images/{repository}/{digest}}: what a push (through
 * the registry or PutImage) recorded once the registry had the manifest. An image without tags is
 * UNTAGGED and stays until deleted or expired, as in ECR.
 *
 * @param sizeInBytes the layers' sizes as the manifest gives them (ECR's imageSizeInBytes)
 */
public record ImageRecord(String digest, List<String> tags, long sizeInBytes, Instant pushedAt, String manifestMediaType,
                   String manifest) {

    public ImageRecord {
        tags = List.copyOf(tags);
    }

    public boolean tagged() {
        return !tags.isEmpty();
    }

    ImageRecord withTag(String tag) {
        if (tags.contains(tag)) {
            return this;
        }
        List<String> more = new ArrayList<>(tags);
        more.add(tag);
        return new ImageRecord(digest, more, sizeInBytes, pushedAt, manifestMediaType, manifest);
    }

    ImageRecord withoutTag(String tag) {
        return new ImageRecord(digest, tags.stream().filter(t -> !t.equals(tag)).toList(), sizeInBytes, pushedAt,
                manifestMediaType, manifest);
    }
}
