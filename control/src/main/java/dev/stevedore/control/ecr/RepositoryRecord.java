package dev.stevedore.control.ecr;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.stevedore.model.ecr.Repository;
import dev.stevedore.model.ecr.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A repository as stored at {@code /ecr/{account}/{region}/repositories/{name}}: the wire
 * {@code Repository} as CreateRepository answered it (its URI is made when answered, from the
 * registry's address now), its tags, its policies as given.
 *
 * @param imageWrites  moves with every change to the repository's images, so that writes of two images
 *                     (a tag moving between them) conflict on this record instead of both landing
 * @param lifecyclePolicy  absent (null) until PutLifecyclePolicy
 * @param lifecycleEvaluatedAt when the lifecycle policy was last applied, absent (null) before
 * @param repositoryPolicy absent (null) until SetRepositoryPolicy
 * @param previewPolicy the policy StartLifecyclePolicyPreview was last given, absent (null) before
 */
record RepositoryRecord(Repository repository, List<Tag> tags, long imageWrites, String lifecyclePolicy,
                        Instant lifecycleEvaluatedAt, String repositoryPolicy, String previewPolicy) {

    RepositoryRecord {
        tags = List.copyOf(tags);
    }

    static RepositoryRecord created(Repository repository, List<Tag> tags) {
        return new RepositoryRecord(repository, tags, 0, null, null, null, null);
    }

    String name() {
        return repository.repositoryName();
    }

    @JsonIgnore
    boolean immutableTags() {
        return "IMMUTABLE".equals(repository.imageTagMutability());
    }

    @JsonIgnore
    Optional<String> lifecyclePolicyIfAny() {
        return Optional.ofNullable(lifecyclePolicy);
    }

    @JsonIgnore
    Optional<String> previewPolicyIfAny() {
        return Optional.ofNullable(previewPolicy);
    }

    RepositoryRecord withPreviewPolicy(String text) {
        return new RepositoryRecord(repository, tags, imageWrites, lifecyclePolicy, lifecycleEvaluatedAt, repositoryPolicy, text);
    }

    @JsonIgnore
    Optional<String> repositoryPolicyIfAny() {
        return Optional.ofNullable(repositoryPolicy);
    }

    RepositoryRecord withImagesChanged() {
        return new RepositoryRecord(repository, tags, imageWrites + 1, lifecyclePolicy, lifecycleEvaluatedAt, repositoryPolicy, previewPolicy);
    }

    RepositoryRecord withRepository(Repository changed) {
        return new RepositoryRecord(changed, tags, imageWrites, lifecyclePolicy, lifecycleEvaluatedAt, repositoryPolicy, previewPolicy);
    }

    RepositoryRecord withTags(List<Tag> changed) {
        return new RepositoryRecord(repository, changed, imageWrites, lifecyclePolicy, lifecycleEvaluatedAt, repositoryPolicy, previewPolicy);
    }

    RepositoryRecord withLifecyclePolicy(String text) {
        return new RepositoryRecord(repository, tags, imageWrites, text, lifecycleEvaluatedAt, repositoryPolicy, previewPolicy);
    }

    RepositoryRecord withLifecycleEvaluatedAt(Instant at) {
        return new RepositoryRecord(repository, tags, imageWrites, lifecyclePolicy, at, repositoryPolicy, previewPolicy);
    }

    RepositoryRecord withRepositoryPolicy(String text) {
        return new RepositoryRecord(repository, tags, imageWrites, lifecyclePolicy, lifecycleEvaluatedAt, text, previewPolicy);
    }
}
