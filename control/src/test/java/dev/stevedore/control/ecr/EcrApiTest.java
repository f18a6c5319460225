package dev.stevedore.control.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.control.MovableClock;
import dev.stevedore.store.InMemoryStateStore;
import dev.stevedore.store.StateStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ECR API over a real in-memory store, called as the JSON endpoint calls it, with a registry that
 * keeps manifests in memory (the real one is in the server module's and e2e's tests).
 */
class EcrApiTest {
    private static final String ACCOUNT = "123456789012";
    private static final Principal ROOT = new Principal(ACCOUNT, "AKIAROOT", "arn:aws:iam::" + ACCOUNT + ":root");

    private final StateStore store = new InMemoryStateStore();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T05:00:00Z"));
    private final MemoryRegistry registry = new MemoryRegistry();
    private final RegistryPasswords passwords = new RegistryPasswords(new byte[32]);
    private final EcrApi api = new EcrApi(store, clock, registry, passwords);

    /** Manifests by repository and reference, and what was deleted. */
    static final class MemoryRegistry implements ImageRegistry {
        final Map<String, byte[]> manifests = new HashMap<>();
        final List<String> deleted = new ArrayList<>();

        @Override
        public String address() {
            return "127.0.0.1:5555";
        }

        @Override
        public void putManifest(String repository, String reference, String mediaType, byte[] manifest) {
            manifests.put(repository + "@" + ImageLedger.digest(manifest), manifest);
            manifests.put(repository + ":" + reference, manifest);
        }

        @Override
        public void deleteManifest(String repository, String digest) {
            deleted.add(repository + "@" + digest);
            manifests.remove(repository + "@" + digest);
        }

        @Override
        public void deleteTag(String repository, String tag) {
            deleted.add(repository + ":" + tag);
            manifests.remove(repository + ":" + tag);
        }
    }

    @Test
    void repositoriesAreCreatedListedInPagesAndRefusedTwice() {
        for (String name : List.of("b", "a/app", "c")) {
            JsonNode repo = call("CreateRepository", Map.of("repositoryName", name)).path("repository");
            assertThat(repo.path("repositoryUri").asText()).isEqualTo("127.0.0.1:5555/" + name);
            assertThat(repo.path("registryId").asText()).isEqualTo(ACCOUNT);
        }
        assertThat(fails("CreateRepository", Map.of("repositoryName", "b"))).isEqualTo(
                "RepositoryAlreadyExistsException: The repository with name 'b' already exists in the registry with id '"
                        + ACCOUNT + "'");
        JsonNode first = call("DescribeRepositories", Map.of("maxResults", 2));
        assertThat(first.path("repositories")).hasSize(2);
        assertThat(first.at("/repositories/0/repositoryName").asText()).isEqualTo("a/app");
        JsonNode second = call("DescribeRepositories", Map.of("nextToken", first.path("nextToken").asText()));
        assertThat(second.at("/repositories/0/repositoryName").asText()).isEqualTo("c");
        assertThat(second.has("nextToken")).isFalse();
        assertThat(fails("DescribeRepositories", Map.of("repositoryNames", List.of("zzz"))))
                .startsWith("RepositoryNotFoundException: The repository with name 'zzz' does not exist");
    }

    @Test
    void aRepositoryWithImagesIsDeletedOnlyWithForceAndItsManifestsGoFromTheRegistry() {
        call("CreateRepository", Map.of("repositoryName", "app"));
        String digest = put("app", "v1", manifest(10));
        assertThat(fails("DeleteRepository", Map.of("repositoryName", "app"))).startsWith("RepositoryNotEmptyException");
        call("DeleteRepository", Map.of("repositoryName", "app", "force", true));
        assertThat(registry.deleted).contains("app@" + digest);
        assertThat(fails("DescribeImages", Map.of("repositoryName", "app"))).startsWith("RepositoryNotFoundException");
    }

    @Test
    void aTagMovedToAnotherImageLeavesTheFirstUntaggedUnlessTheRepositoryIsImmutable() {
        call("CreateRepository", Map.of("repositoryName", "app"));
        String one = put("app", "latest", manifest(1));
        String two = put("app", "latest", manifest(2));
        JsonNode untagged = call("ListImages", Map.of("repositoryName", "app", "filter", Map.of("tagStatus", "UNTAGGED")));
        assertThat(untagged.at("/imageIds/0/imageDigest").asText()).isEqualTo(one);
        assertThat(untagged.path("imageIds")).hasSize(1);
        JsonNode tagged = call("DescribeImages", Map.of("repositoryName", "app", "filter", Map.of("tagStatus", "TAGGED")));
        assertThat(tagged.at("/imageDetails/0/imageDigest").asText()).isEqualTo(two);
        assertThat(tagged.at("/imageDetails/0/imageSizeInBytes").asLong()).isEqualTo(2 + 100);

        call("PutImageTagMutability", Map.of("repositoryName", "app", "imageTagMutability", "IMMUTABLE"));
        assertThat(fails("PutImage", Map.of("repositoryName", "app", "imageTag", "latest", "imageManifest", manifest(3))))
                .isEqualTo("ImageTagAlreadyExistsException: The image tag 'latest' already exists in the 'app' repository"
                        + " and cannot be overwritten because the repository is immutable.");
        assertThat(fails("PutImage", Map.of("repositoryName", "app", "imageTag", "latest", "imageManifest", manifest(2))))
                .startsWith("ImageAlreadyExistsException");
        assertThat(registry.manifests).doesNotContainKey("app@" + ImageLedger.digest(manifest(3).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void batchDeleteImageByTagRemovesTheTagAndTheImageWithItsLastTag() {
        call("CreateRepository", Map.of("repositoryName", "app"));
        String digest = put("app", "a", manifest(1));
        put("app", "b", manifest(1));
        JsonNode deleted = call("BatchDeleteImage", Map.of("repositoryName", "app", "imageIds",
                List.of(Map.of("imageTag", "a"), Map.of("imageTag", "nope"))));
        assertThat(deleted.at("/imageIds/0/imageDigest").asText()).isEqualTo(digest);
        assertThat(deleted.at("/failures/0/failureCode").asText()).isEqualTo("ImageNotFound");
        assertThat(registry.deleted).containsExactly("app:a");
        call("BatchDeleteImage", Map.of("repositoryName", "app", "imageIds", List.of(Map.of("imageTag", "b"))));
        assertThat(registry.deleted).containsExactly("app:a", "app@" + digest);
        assertThat(call("DescribeImages", Map.of("repositoryName", "app")).path("imageDetails")).isEmpty();
    }

    @Test
    void batchGetImageAnswersTheManifestAndFailuresForWhatIsNotThere() {
        call("CreateRepository", Map.of("repositoryName", "app"));
        String digest = put("app", "v1", manifest(7));
        JsonNode got = call("BatchGetImage", Map.of("repositoryName", "app", "imageIds",
                List.of(Map.of("imageTag", "v1"), Map.of("imageDigest", "sha256:" + "0".repeat(64)), Map.of())));
        assertThat(got.at("/images/0/imageId/imageDigest").asText()).isEqualTo(digest);
        assertThat(got.at("/images/0/imageManifest").asText()).isEqualTo(manifest(7));
        assertThat(got.at("/failures/0/failureCode").asText()).isEqualTo("ImageNotFound");
        assertThat(got.at("/failures/1/failureCode").asText()).isEqualTo("MissingDigestAndTag");
    }

    @Test
    void lifecycleRulesKeepTheNewestExpireByAgeAndClaimImagesInPriorityOrder() {
        call("CreateRepository", Map.of("repositoryName", "app"));
        String oldRelease = put("app", "release-1", manifest(1));
        clock.advance(Duration.ofDays(1));
        String oldDev = put("app", "dev-1", manifest(2));
        clock.advance(Duration.ofDays(1));
        String newRelease = put("app", "release-2", manifest(3));
        clock.advance(Duration.ofDays(1));
        String newDev = put("app", "dev-2", manifest(4));
        call("BatchDeleteImage", Map.of("repositoryName", "app", "imageIds", List.of(Map.of("imageTag", "dev-2"))));
        String untagged = put("app", "scratch", manifest(5));
        String scratch = put("app", "scratch", manifest(6));
        assertThat(newDev).isNotNull();
        // Releases: keep one. Untagged: none older than a day. Anything else: older than a day goes.
        String policy = """
                {"rules":[
                 {"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["release"],
                   "countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},
                 {"rulePriority":2,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed",
                   "countUnit":"days","countNumber":1},"action":{"type":"expire"}},
                 {"rulePriority":3,"selection":{"tagStatus":"any","countType":"sinceImagePushed",
                   "countUnit":"days","countNumber":1},"action":{"type":"expire"}}]}""";
        call("StartLifecyclePolicyPreview", Map.of("repositoryName", "app", "lifecyclePolicyText", policy));
        JsonNode preview = call("GetLifecyclePolicyPreview", Map.of("repositoryName", "app"));
        List<String> expiring = new ArrayList<>();
        preview.path("previewResults").forEach(r -> expiring.add(r.path("imageDigest").asText()
                + "/" + r.path("appliedRulePriority").asInt()));
        assertThat(expiring).containsExactlyInAnyOrder(oldRelease + "/1", oldDev + "/3");

        call("PutLifecyclePolicy", Map.of("repositoryName", "app", "lifecyclePolicyText", policy));
        List<String> left = new ArrayList<>();
        call("DescribeImages", Map.of("repositoryName", "app")).path("imageDetails")
                .forEach(d -> left.add(d.path("imageDigest").asText()));
        assertThat(left).containsExactlyInAnyOrder(newRelease, untagged, scratch);
        assertThat(registry.deleted).contains("app@" + oldRelease, "app@" + oldDev);

        clock.advance(Duration.ofDays(2));
        api.lifecycleSweep().run();
        left.clear();
        call("DescribeImages", Map.of("repositoryName", "app")).path("imageDetails")
                .forEach(d -> left.add(d.path("imageDigest").asText()));
        assertThat(left).containsExactly(newRelease);
        assertThat(call("GetLifecyclePolicy", Map.of("repositoryName", "app")).path("lastEvaluatedAt").isMissingNode())
                .isFalse();
    }

    @Test
    void lifecyclePoliciesOutsideEcrsRulesAreRefused() {
        call("CreateRepository", Map.of("repositoryName", "app"));
        for (String bad : List.of("not json", "{\"rules\":[]}",
                "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"tagged\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}",
                "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}},"
                        + "{\"rulePriority\":2,\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}",
                "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}")) {
            assertThat(fails("PutLifecyclePolicy", Map.of("repositoryName", "app", "lifecyclePolicyText", bad)))
                    .as(bad).startsWith("InvalidParameterException: Invalid parameter at 'LifecyclePolicyText'");
        }
        assertThat(fails("GetLifecyclePolicy", Map.of("repositoryName", "app"))).isEqualTo(
                "LifecyclePolicyNotFoundException: Lifecycle policy does not exist for the repository with name 'app'"
                        + " in the registry with id '" + ACCOUNT + "'");
    }

    @Test
    void repositoryPoliciesAndTagsAreKept() {
        String arn = call("CreateRepository", Map.of("repositoryName", "app", "tags",
                List.of(Map.of("Key", "team", "Value", "red")))).at("/repository/repositoryArn").asText();
        call("TagResource", Map.of("resourceArn", arn, "tags", List.of(Map.of("Key", "env", "Value", "prod"))));
        call("UntagResource", Map.of("resourceArn", arn, "tagKeys", List.of("team")));
        assertThat(call("ListTagsForResource", Map.of("resourceArn", arn)).path("tags").toString())
                .isEqualTo("[{\"Key\":\"env\",\"Value\":\"prod\"}]");
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"ecr:BatchGetImage\"}]}";
        call("SetRepositoryPolicy", Map.of("repositoryName", "app", "policyText", policy));
        assertThat(call("GetRepositoryPolicy", Map.of("repositoryName", "app")).path("policyText").asText()).isEqualTo(policy);
        call("DeleteRepositoryPolicy", Map.of("repositoryName", "app"));
        assertThat(fails("GetRepositoryPolicy", Map.of("repositoryName", "app")))
                .startsWith("RepositoryPolicyNotFoundException");
        assertThat(fails("SetRepositoryPolicy", Map.of("repositoryName", "app", "policyText", "{}")))
                .startsWith("InvalidParameterException");
    }

    @Test
    void theAuthorizationTokenIsAwsAndAPasswordTheRegistryAccessVerifiesForTwelveHours() {
        JsonNode data = call("GetAuthorizationToken", Map.of()).path("authorizationData").get(0);
        String decoded = new String(Base64.getDecoder().decode(data.path("authorizationToken").asText()),
                StandardCharsets.UTF_8);
        assertThat(decoded).startsWith("AWS:");
        assertThat(data.path("proxyEndpoint").asText()).isEqualTo("http://127.0.0.1:5555");
        assertThat(data.path("expiresAt").asLong()).isEqualTo(clock.instant().plus(Duration.ofHours(12)).getEpochSecond());

        call("CreateRepository", Map.of("repositoryName", "app"));
        List<AccessRequest> asked = new ArrayList<>();
        Principal user = new Principal(ACCOUNT, "AKIAUSER", "arn:aws:iam::" + ACCOUNT + ":user/puller");
        RegistryAccess access = new RegistryAccess(api.ledger(), passwords, (ctx, request) -> {
            asked.add(request);
            return request.action().equals("ecr:BatchGetImage") || request.action().equals("ecr:GetDownloadUrlForLayer")
                    ? Optional.empty() : Optional.of("no identity-based policy allows it");
        }, "us-east-1", clock);
        String basic = "Basic " + Base64.getEncoder().encodeToString(("AWS:" + passwords.issue(user,
                clock.instant().plus(Duration.ofHours(12)))).getBytes(StandardCharsets.UTF_8));
        Principal verified = access.authenticate(basic).orElseThrow();
        assertThat(verified).isEqualTo(user);
        assertThat(access.granted(verified, "app", Set.of("pull", "push"))).containsExactly("pull");
        assertThat(access.granted(verified, "missing", Set.of("pull"))).isEmpty();
        assertThat(asked).extracting(AccessRequest::resource).containsOnly("arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/app");

        assertThat(access.authenticate(basic.replace("Basic ", "Basic x"))).isEmpty();
        assertThat(access.authenticate("Basic " + Base64.getEncoder().encodeToString("AWS:ECR1.forged.sig"
                .getBytes(StandardCharsets.UTF_8)))).isEmpty();
        clock.advance(Duration.ofHours(12));
        assertThat(access.authenticate(basic)).isEmpty();
    }

    @Test
    void operationsNotBuiltYetSaySo() {
        assertThat(fails("DescribeRegistry", Map.of())).isEqualTo(
                "ValidationException: Stevedore does not implement DescribeRegistry yet.");
        assertThat(api.accessRules().keySet()).containsAll(api.operations().keySet());
    }

    /** A manifest whose layers add up to {@code 100 + n} bytes; distinct for each n. */
    private static String manifest(int n) {
        return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":1,"
                + "\"digest\":\"sha256:" + "a".repeat(64) + "\"},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":100,\"digest\":\"sha256:"
                + "b".repeat(64) + "\"},{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\","
                + "\"size\":" + n + ",\"digest\":\"sha256:" + "c".repeat(64) + "\"}]}";
    }

    private String put(String repository, String tag, String manifest) {
        return call("PutImage", Map.of("repositoryName", repository, "imageTag", tag, "imageManifest", manifest))
                .at("/image/imageId/imageDigest").asText();
    }

    private JsonNode call(String operation, Map<String, ?> input) {
        ObjectNode tree = AwsJson.mapper().valueToTree(input);
        Object out = api.operations().get(operation).handle(new CallContext("req", ROOT, operation, "us-east-1"), tree);
        return out == null ? AwsJson.mapper().createObjectNode() : AwsJson.mapper().valueToTree(out);
    }

    private String fails(String operation, Map<String, ?> input) {
        try {
            call(operation, input);
        } catch (AwsException e) {
            return e.code() + ": " + e.getMessage();
        }
        throw new AssertionError(operation + " succeeded");
    }
}
