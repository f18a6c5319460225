package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.server.registry.RegistrySettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ECR and its registry through the real AWS CLI v2 and the real Docker client: repositories, a
 * {@code docker login} with {@code get-login-password}, a push that shows in DescribeImages, an IMMUTABLE
 * tag's re-push refused, a lifecycle policy expiring the older image (gone from the registry too), and
 * requests with a bad token or password refused. One server with its registry for the class; Docker
 * keeps its login in a configuration directory of the test's own. No agent runs, so the class does not
 * take the Docker engine lock: it only pushes images under names of its own.
 */
class EcrRegistryIT {
    /**
     * Two different images: the test image every test machine has (tools/build-test-images.sh), and one
     * this class builds from it with a label of its own (a local build, no registry), so that it needs no
     * image another class happens to make first (the demo image is made only by an `up` with its agent).
     */
    private static final String IMAGE_A = "stevedore-test/ecr-labelled:latest";
    private static final String IMAGE_B = "stevedore-test/busybox:latest";
    static InProcessStevedore stevedore;
    static AwsCli aws;
    static RawAws raw;
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    static String registry;
    static Path dockerConfig;
    static final List<String> localTags = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        stevedore = InProcessStevedore.start(Files.createTempDirectory("stevedore-ecr"),
                config -> config.withRegistry(RegistrySettings.onPort(0)));
        aws = new AwsCli(stevedore.plane.endpoint());
        raw = new RawAws(stevedore.endpoint());
        registry = stevedore.plane.registryAddress().orElseThrow();
        dockerConfig = Files.createTempDirectory("stevedore-ecr-docker");
        Path context = Files.createTempDirectory("stevedore-ecr-image");
        Files.writeString(context.resolve("Dockerfile"), "FROM " + IMAGE_B + "\nLABEL dev.stevedore.test=ecr-registry-it\n");
        Docker.Result built = docker(null, "build", "-q", "-t", IMAGE_A, context.toString());
        assertThat(built.exitCode()).as(built.output()).isZero();
        String password = aws.run("ecr", "get-login-password").stdout().strip();
        Docker.Result login = docker(password, "login", "--username", "AWS", "--password-stdin", registry);
        assertThat(login.exitCode()).as(login.output()).isZero();
    }

    @AfterAll
    static void stop() {
        for (String tag : localTags) {
            docker(null, "rmi", tag);
        }
        // A pushed image keeps a reference by digest to this registry after its tag is gone.
        String[] references = Docker.run("images", "--digests", "--format", "{{.Repository}}@{{.Digest}}").split("\n");
        for (String reference : references) {
            if (reference.startsWith(registry + "/") && !reference.endsWith("@<none>")) {
                docker(null, "rmi", reference.strip());
            }
        }
        stevedore.close();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void repositoriesAreCreatedDescribedAndDeletedAsEcrDoes() {
        String name = unique("team/app");
        JsonNode created = aws.ok("ecr", "create-repository", "--repository-name", name,
                "--image-scanning-configuration", "scanOnPush=true", "--tags", "Key=team,Value=red").path("repository");
        assertThat(created.path("repositoryUri").asText()).isEqualTo(registry + "/" + name);
        assertThat(created.path("repositoryArn").asText())
                .isEqualTo("arn:aws:ecr:us-east-1:" + InProcessStevedore.ACCOUNT + ":repository/" + name);
        assertThat(created.path("imageTagMutability").asText()).isEqualTo("MUTABLE");
        assertThat(created.at("/encryptionConfiguration/encryptionType").asText()).isEqualTo("AES256");
        assertThat(created.at("/imageScanningConfiguration/scanOnPush").asBoolean()).isTrue();
        assertThat(ecrError("CreateRepository", "{\"repositoryName\":\"" + name + "\"}"))
                .isEqualTo("RepositoryAlreadyExistsException");
        assertThat(ecrError("CreateRepository", "{\"repositoryName\":\"Upper/Case\"}"))
                .isEqualTo("InvalidParameterException");

        JsonNode described = aws.ok("ecr", "describe-repositories", "--repository-names", name);
        assertThat(described.at("/repositories/0/repositoryName").asText()).isEqualTo(name);
        assertThat(ecr("ListTagsForResource", "{\"resourceArn\":\"" + created.path("repositoryArn").asText() + "\"}")
                .at("/tags/0/Value").asText()).isEqualTo("red");
        assertThat(ecrError("DescribeRepositories", "{\"repositoryNames\":[\"" + unique("none") + "\"]}"))
                .isEqualTo("RepositoryNotFoundException");

        JsonNode token = ecr("GetAuthorizationToken", "{}").path("authorizationData").get(0);
        String decoded = new String(java.util.Base64.getDecoder().decode(token.path("authorizationToken").asText()),
                StandardCharsets.UTF_8);
        assertThat(decoded).startsWith("AWS:");
        assertThat(token.path("proxyEndpoint").asText()).isEqualTo("http://" + registry);

        assertThat(aws.ok("ecr", "delete-repository", "--repository-name", name).at("/repository/repositoryName")
                .asText()).isEqualTo(name);
        assertThat(ecrError("DeleteRepository", repository(name))).isEqualTo("RepositoryNotFoundException");
    }

    @Test
    void aPushedImageShowsInDescribeImagesAndANonEmptyRepositoryNeedsForce() {
        String name = unique("pushed");
        ecr("CreateRepository", repository(name));
        String digest = push(IMAGE_A, name, "v1");

        JsonNode image = aws.ok("ecr", "describe-images", "--repository-name", name).path("imageDetails").get(0);
        assertThat(image.path("imageDigest").asText()).isEqualTo(digest);
        assertThat(image.path("imageTags").toString()).isEqualTo("[\"v1\"]");
        assertThat(image.path("imageSizeInBytes").asLong()).isPositive();
        assertThat(image.path("imagePushedAt").isMissingNode()).isFalse();
        assertThat(image.path("imageManifestMediaType").asText())
                .isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
        assertThat(ecr("ListImages", "{\"repositoryName\":\"" + name + "\",\"filter\":{\"tagStatus\":\"UNTAGGED\"}}")
                .path("imageIds")).isEmpty();
        JsonNode got = ecr("BatchGetImage", "{\"repositoryName\":\"" + name + "\",\"imageIds\":[{\"imageTag\":\"v1\"}]}");
        assertThat(got.at("/images/0/imageId/imageDigest").asText()).isEqualTo(digest);

        assertThat(ecrError("DeleteRepository", repository(name))).isEqualTo("RepositoryNotEmptyException");
        ecr("DeleteRepository", "{\"repositoryName\":\"" + name + "\",\"force\":true}");
        assertThat(pullStatus(name, "v1")).isNotZero();
    }

    @Test
    void aPushToARepositoryThatDoesNotExistIsRefusedAsNameUnknown() {
        String name = unique("missing");
        String local = registry + "/" + name + ":v1";
        tag(IMAGE_A, local);
        Docker.Result pushed = docker(null, "push", local);
        assertThat(pushed.exitCode()).isNotZero();
        assertThat(pushed.output()).contains("name unknown").contains("does not exist in the registry");
    }

    @Test
    void anImmutableTagIsNotPushedAgainWithAnotherImage() {
        String name = unique("immutable");
        aws.ok("ecr", "create-repository", "--repository-name", name, "--image-tag-mutability", "IMMUTABLE");
        String digest = push(IMAGE_A, name, "release");

        String local = registry + "/" + name + ":release";
        tag(IMAGE_B, local);
        Docker.Result again = docker(null, "push", local);
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.output()).contains("tag invalid").contains("cannot be overwritten because the repository is immutable");
        JsonNode images = ecr("DescribeImages", repository(name)).path("imageDetails");
        assertThat(images).hasSize(1);
        assertThat(images.get(0).path("imageDigest").asText()).isEqualTo(digest);

        aws.ok("ecr", "put-image-tag-mutability", "--repository-name", name, "--image-tag-mutability", "MUTABLE");
        String moved = push(IMAGE_B, name, "release");
        assertThat(moved).isNotEqualTo(digest);
        JsonNode untagged = ecr("ListImages", "{\"repositoryName\":\"" + name + "\",\"filter\":{\"tagStatus\":\"UNTAGGED\"}}");
        assertThat(untagged.at("/imageIds/0/imageDigest").asText()).isEqualTo(digest);
    }

    @Test
    void aLifecyclePolicyExpiresTheOlderImageInTheRegistryToo() {
        String name = unique("lifecycle");
        ecr("CreateRepository", repository(name));
        String older = push(IMAGE_A, name, "build-1");
        String newer = push(IMAGE_B, name, "build-2");
        String policy = "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"tagged\",\"tagPrefixList\":"
                + "[\"build-\"],\"countType\":\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}";

        ecr("StartLifecyclePolicyPreview", JSON.createObjectNode().put("repositoryName", name).put("lifecyclePolicyText", policy).toString());
        JsonNode preview = ecr("GetLifecyclePolicyPreview", repository(name));
        assertThat(preview.at("/previewResults/0/imageDigest").asText()).isEqualTo(older);
        assertThat(preview.at("/summary/expiringImageTotalCount").asInt()).isEqualTo(1);

        aws.ok("ecr", "put-lifecycle-policy", "--repository-name", name, "--lifecycle-policy-text", policy);
        JsonNode left = ecr("DescribeImages", repository(name)).path("imageDetails");
        assertThat(left).hasSize(1);
        assertThat(left.get(0).path("imageDigest").asText()).isEqualTo(newer);
        assertThat(ecr("GetLifecyclePolicy", repository(name)).path("lifecyclePolicyText").asText())
                .contains("imageCountMoreThan");
        assertThat(pullStatus(name, "@" + older)).isNotZero();
        assertThat(pullStatus(name, ":build-2")).isZero();
    }

    @Test
    void requestsWithABadTokenOrPasswordAreRefused() throws Exception {
        String name = unique("guarded");
        ecr("CreateRepository", repository(name));
        push(IMAGE_A, name, "v1");
        HttpClient http = HttpClient.newHttpClient();
        for (String authorization : List.of("Bearer not.a.token", "Bearer " + forgedToken())) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/"
                    + name + "/manifests/v1")).header("Authorization", authorization).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(authorization).isEqualTo(401);
        }
        Path otherConfig = Files.createTempDirectory("stevedore-ecr-bad");
        Docker.Result login = Docker.run(otherConfig, "AWS-not-a-password", "login", "--username", "AWS",
                "--password-stdin", registry);
        assertThat(login.exitCode()).isNotZero();
        Docker.Result pull = Docker.run(otherConfig, null, "pull", registry + "/" + name + ":v1");
        assertThat(pull.exitCode()).isNotZero();
    }

    @Test
    void aBlobComesWholeOnlyWhereTheRegistryWouldServeIt() throws Exception {
        String name = unique("blobs");
        String other = unique("elsewhere");
        ecr("CreateRepository", repository(name));
        ecr("CreateRepository", repository(other));
        push(IMAGE_A, name, "v1");
        // HTTP/1.1 as Docker's client speaks it (the JDK's client would upgrade to h2c, which is streamed).
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String token = registryToken(http, name);
        JsonNode manifest = JSON.readTree(http.send(get(name, "manifests/v1", token)
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json").build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String digest = manifest.path("layers").path(0).path("digest").asText();
        long size = manifest.path("layers").path(0).path("size").asLong();

        HttpResponse<byte[]> whole = http.send(get(name, "blobs/" + digest, token).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).hasSize((int) size);
        assertThat("sha256:" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(whole.body()))).isEqualTo(digest);
        assertThat(whole.headers().firstValue("Docker-Content-Digest")).contains(digest);
        assertThat(whole.headers().firstValue("Content-Length")).contains(Long.toString(size));

        HttpResponse<byte[]> ranged = http.send(get(name, "blobs/" + digest, token).header("Range", "bytes=0-9").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.body()).isEqualTo(java.util.Arrays.copyOf(whole.body(), 10));

        // The blob is on disk, but not a blob of the other repository: the registry's 404, not its bytes.
        HttpResponse<String> notLinked = http.send(get(other, "blobs/" + digest, registryToken(http, other)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notLinked.statusCode()).isEqualTo(404);
        assertThat(notLinked.body()).contains("BLOB_UNKNOWN");
        // A valid token for the other repository grants nothing on this one.
        HttpResponse<String> notGranted = http.send(get(name, "blobs/" + digest, registryToken(http, other)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notGranted.statusCode()).isEqualTo(401);
    }

    @Test
    void aLayerUploadedInChunksArrivesWholeAndAClientWaitingForContinueGetsIt() throws Exception {
        String name = unique("uploads");
        ecr("CreateRepository", repository(name));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String token = registryToken(http, name, "pull,push");
        // Not a multiple of the pieces the front door gathers or of the chunks the client writes.
        byte[] layer = new byte[3 * 1024 * 1024 + 12_345];
        new java.util.Random(7).nextBytes(layer);
        String digest = "sha256:" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(layer));

        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/"
                + name + "/blobs/uploads/")).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        // A chunked body in chunks of 10,000 bytes, sent only once "100 Continue" came (as curl does).
        String patchedLocation;
        URI target = upload(started);
        try (java.net.Socket socket = new java.net.Socket(target.getHost(), target.getPort())) {
            // Bounds a wait for an answer that never comes; not a measure of speed.
            socket.setSoTimeout(60_000);
            var out = socket.getOutputStream();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            out.write(("PATCH " + target.getRawPath() + "?" + target.getRawQuery() + " HTTP/1.1\r\nHost: " + registry
                    + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/octet-stream\r\n"
                    + "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(in.readLine()).isEmpty();
            for (int at = 0; at < layer.length; at += 10_000) {
                int length = Math.min(10_000, layer.length - at);
                out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(layer, at, length);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(in.readLine()).startsWith("HTTP/1.1 202");
            java.util.Map<String, String> headers = new java.util.HashMap<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                headers.put(line.substring(0, line.indexOf(':')).toLowerCase(), line.substring(line.indexOf(':') + 1).strip());
            }
            assertThat(headers.get("range")).isEqualTo("0-" + (layer.length - 1));
            patchedLocation = headers.get("location");
        }
        String finish = (patchedLocation.startsWith("/") ? "http://" + registry : "") + patchedLocation;
        HttpResponse<String> finished = http.send(HttpRequest.newBuilder(URI.create(finish
                + (finish.contains("?") ? "&" : "?") + "digest=" + digest)).header("Authorization", "Bearer " + token)
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(finished.statusCode()).as(finished.body()).isEqualTo(201);

        HttpResponse<byte[]> fetched = http.send(get(name, "blobs/" + digest, token).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(layer);
    }

    /** Where an upload goes on: the registry's {@code Location}, which names the front door. */
    private static URI upload(HttpResponse<?> answer) {
        String location = answer.headers().firstValue("Location").orElseThrow();
        return URI.create(location.startsWith("/") ? "http://" + registry + location : location);
    }

    /** A bearer token from the registry's token endpoint that asks for pull on {@code repository}. */
    private static String registryToken(HttpClient http, String repository) throws Exception {
        return registryToken(http, repository, "pull");
    }

    /** A bearer token from the registry's token endpoint that asks for {@code actions} on {@code repository}. */
    private static String registryToken(HttpClient http, String repository, String actions) throws Exception {
        String basic = ecr("GetAuthorizationToken", "{}").path("authorizationData").path(0)
                .path("authorizationToken").asText();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://" + registry
                + "/_stevedore/ecr/token?service=stevedore-ecr&scope=repository:" + repository + ":" + actions))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("token").asText();
    }

    private static HttpRequest.Builder get(String repository, String path, String token) {
        return HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/" + repository + "/" + path))
                .header("Authorization", "Bearer " + token);
    }

    private static String repository(String name) {
        return "{\"repositoryName\":\"" + name + "\"}";
    }

    /** One ECR call signed as the root, for the checks around the CLI's (each CLI run costs seconds). */
    private static JsonNode ecr(String operation, String body) {
        RawAws.Response response = call(operation, body);
        assertThat(response.status()).as(operation + ": " + response.body()).isEqualTo(200);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The error code an ECR call is answered with. */
    private static String ecrError(String operation, String body) {
        RawAws.Response response = call(operation, body);
        assertThat(response.status()).as(operation + ": " + response.body()).isEqualTo(400);
        try {
            return JSON.readTree(response.body()).path("__type").asText();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static RawAws.Response call(String operation, String body) {
        return raw.post("ecr", java.util.Map.of("Content-Type", "application/x-amz-json-1.1",
                "X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921." + operation), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aUserWhosePoliciesAllowOnlyTheTokenCannotPullOrPush() {
        String name = unique("private");
        ecr("CreateRepository", repository(name));
        push(IMAGE_A, name, "v1");
        String user = unique("outsider");
        iam("CreateUser", "UserName=" + user);
        iam("PutUserPolicy", "UserName=" + user + "&PolicyName=token-only&PolicyDocument=" + java.net.URLEncoder.encode(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                        + "\"ecr:GetAuthorizationToken\",\"Resource\":\"*\"}]}", StandardCharsets.UTF_8));
        String keys = iam("CreateAccessKey", "UserName=" + user);
        String keyId = between(keys, "<AccessKeyId>", "</AccessKeyId>");
        String secret = between(keys, "<SecretAccessKey>", "</SecretAccessKey>");

        AwsCli asUser = aws.as(keyId, secret, java.util.Optional.empty());
        String password = asUser.run("ecr", "get-login-password").stdout().strip();
        Path config = userDockerConfig();
        assertThat(Docker.run(config, password, "login", "--username", "AWS", "--password-stdin", registry).exitCode())
                .isZero();
        Docker.Result pull = Docker.run(config, null, "pull", registry + "/" + name + ":v1");
        assertThat(pull.exitCode()).as(pull.output()).isNotZero();
        String local = registry + "/" + name + ":v2";
        tag(IMAGE_B, local);
        Docker.Result pushed = Docker.run(config, null, "push", local);
        assertThat(pushed.exitCode()).as(pushed.output()).isNotZero();
        assertThat(ecr("DescribeImages", repository(name)).path("imageDetails")).hasSize(1);
    }

    @Test
    void theServerStartsTheRegistryAgainWhenItExits() throws Exception {
        String name = unique("supervised");
        ecr("CreateRepository", repository(name));
        push(IMAGE_A, name, "v1");
        String config = stevedore.dataDir.resolve("registry").resolve("config.yml").toString();
        List<ProcessHandle> registries = ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(config)).orElse(false)).toList();
        assertThat(registries).hasSize(1);
        registries.get(0).destroyForcibly();
        registries.get(0).onExit().get(10, TimeUnit.SECONDS);
        // Polled, not timed: the supervisor starts it again after a short pause.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int status;
        do {
            status = pullStatus(name, "v1");
        } while (status != 0 && System.nanoTime() < deadline);
        assertThat(status).isZero();
    }

    private static Path userDockerConfig() {
        try {
            return Files.createTempDirectory("stevedore-ecr-user");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String iam(String action, String parameters) {
        RawAws.Response response = raw.post("iam", java.util.Map.of("Content-Type",
                "application/x-www-form-urlencoded; charset=utf-8"), ("Action=" + action + "&Version=2010-05-08&"
                + parameters).getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).as(action + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start) + start.length();
        return text.substring(from, text.indexOf(end, from));
    }

    /** A token of the right shape signed by a key the registry does not trust. */
    private static String forgedToken() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
        signer.initSign(generator.generateKeyPair().getPrivate());
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"ES256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"iss\":\"stevedore\",\"aud\":\"stevedore-ecr\",\"exp\":4102444800,"
                + "\"access\":[{\"type\":\"repository\",\"name\":\"x\",\"actions\":[\"pull\"]}]}")
                .getBytes(StandardCharsets.UTF_8));
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64.encodeToString(signer.sign());
    }

    /** Tags {@code image} into the repository and pushes it; answers the digest Docker reports. */
    private static String push(String image, String repository, String tag) {
        String local = registry + "/" + repository + ":" + tag;
        tag(image, local);
        Docker.Result pushed = docker(null, "push", local);
        assertThat(pushed.exitCode()).as(pushed.output()).isZero();
        java.util.regex.Matcher digest = java.util.regex.Pattern.compile("digest: (sha256:[0-9a-f]{64})")
                .matcher(pushed.output());
        assertThat(digest.find()).as(pushed.output()).isTrue();
        return digest.group(1);
    }

    /** Pulls {@code :tag} or {@code @digest} into the engine; answers docker's exit status. */
    private static int pullStatus(String repository, String reference) {
        String ref = registry + "/" + repository + (reference.startsWith("@") || reference.startsWith(":")
                ? reference : ":" + reference);
        Docker.Result pulled = docker(null, "pull", ref);
        if (pulled.exitCode() == 0) {
            localTags.add(ref);
        }
        return pulled.exitCode();
    }

    private static void tag(String image, String local) {
        assertThat(docker(null, "tag", image, local).exitCode()).isZero();
        localTags.add(local);
    }

    private static Docker.Result docker(String stdin, String... args) {
        return Docker.run(dockerConfig, stdin, args);
    }
}
