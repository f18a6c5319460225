package dev.stevedore.awsproto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.model.efs.DescribeFileSystemsResponse;
import dev.stevedore.model.efs.FileSystemDescription;
import dev.stevedore.model.efs.FileSystemSize;
import dev.stevedore.model.efs.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The REST-JSON protocol with EFS's model, driven by the AWS CLI v2 over a real socket. */
class RestJsonProtocolEndpointTest {

    private static final ServiceSpec EFS = ServiceSpec.load("efs-2015-02-01");
    private static final Instant CREATED = Instant.parse("2026-12-07T01:02:03Z");

    private final RecordingHandlers handlers = new RecordingHandlers();
    private final List<ObjectNode> inputs = handlers.inputs();

    private static FileSystemDescription fileSystem(String id, String token) {
        return FileSystemDescription.builder().fileSystemId(id).creationToken(token).ownerId("123456789012")
                .creationTime(CREATED).lifeCycleState("creating").numberOfMountTargets(0)
                .performanceMode("generalPurpose").sizeInBytes(FileSystemSize.builder().value(6144L).build())
                .tags(List.of(new Tag("Name", "shared"))).build();
    }

    private final RestJsonProtocolEndpoint efs = new RestJsonProtocolEndpoint(EFS, Map.of(
            "CreateFileSystem", handlers.recording((ctx, in) -> fileSystem("fs-0123456789abcdef0",
                    in.get("CreationToken").asText())),
            "DescribeFileSystems", handlers.recording((ctx, in) -> DescribeFileSystemsResponse.builder()
                    .fileSystems(List.of(fileSystem("fs-0123456789abcdef0", "t"))).build()),
            "DeleteFileSystem", handlers.recording((ctx, in) -> {
                throw EFS.error("FileSystemInUse", "File system '" + in.get("FileSystemId").asText()
                        + "' has mount targets.");
            }),
            "UntagResource", handlers.recording((ctx, in) -> null),
            "DeleteAccessPoint", handlers.recording((ctx, in) -> null)));

    private final LoopbackHttpServer server = new LoopbackHttpServer(
            new AwsFrontDoor(new SigV4Verifier(Signing.KEYS, Clock.systemUTC()), List.of(efs)));

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void theAwsCliCreatesDescribesAndReadsEfsErrors() throws Exception {
        Assumptions.assumeTrue(AwsCli.installed().isPresent(), "AWS CLI v2 not installed");

        AwsCli.Result created = AwsCli.run(server.uri(), "efs", "create-file-system", "--creation-token", "tok 1",
                "--performance-mode", "maxIO", "--encrypted", "--tags", "Key=Name,Value=shared");
        AwsCli.Result described = AwsCli.run(server.uri(), "efs", "describe-file-systems",
                "--file-system-id", "fs-0123456789abcdef0", "--max-items", "5");
        AwsCli.Result inUse = AwsCli.run(server.uri(), "efs", "delete-file-system",
                "--file-system-id", "fs-0123456789abcdef0");
        AwsCli.Result untagged = AwsCli.run(server.uri(), "efs", "untag-resource",
                "--resource-id", "fs-0123456789abcdef0", "--tag-keys", "Name", "team");
        AwsCli.Result badId = AwsCli.run(server.uri(), "efs", "describe-file-systems", "--file-system-id", "disk-1");

        assertThat(created.exitCode()).as(created.stderr()).isZero();
        JsonNode fs = AwsJson.mapper().readTree(created.stdout());
        assertThat(fs.get("FileSystemId").asText()).isEqualTo("fs-0123456789abcdef0");
        assertThat(fs.get("CreationToken").asText()).isEqualTo("tok 1");
        assertThat(fs.get("SizeInBytes").get("Value").asLong()).isEqualTo(6144L);
        assertThat(inputs.get(0).get("PerformanceMode").asText()).isEqualTo("maxIO");
        assertThat(inputs.get(0).get("Encrypted").asBoolean()).isTrue();

        assertThat(described.exitCode()).as(described.stderr()).isZero();
        assertThat(AwsJson.mapper().readTree(described.stdout()).get("FileSystems").get(0).get("CreationTime")
                .asText()).startsWith("2026-12-07T01:02:03");
        assertThat(inputs.get(1).get("FileSystemId").asText()).isEqualTo("fs-0123456789abcdef0");

        assertThat(inUse.exitCode()).isNotZero();
        assertThat(inUse.stderr()).contains("An error occurred (FileSystemInUse) when calling the DeleteFileSystem "
                + "operation: File system 'fs-0123456789abcdef0' has mount targets.");
        assertThat(inputs.get(2).get("FileSystemId").asText()).isEqualTo("fs-0123456789abcdef0");

        assertThat(untagged.exitCode()).as(untagged.stderr()).isZero();
        assertThat(inputs.get(3).get("TagKeys")).hasSize(2);
        assertThat(inputs.get(3).get("TagKeys").get(1).asText()).isEqualTo("team");

        assertThat(badId.exitCode()).isNotZero();
        assertThat(badId.stderr()).contains("An error occurred (BadRequest) when calling the DescribeFileSystems "
                + "operation: 1 validation error detected: Value 'disk-1' at 'FileSystemId' failed to satisfy");
        assertThat(inputs).hasSize(4);
    }

    @Test
    void aModelledErrorCarriesItsStatusHeaderAndErrorCode() {
        HttpResponse response = efs.handle(request("DELETE", "/2015-02-01/file-systems/fs-01234567", "", ""),
                Signing.ALICE, "us-east-1", "req-1");

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.header("X-Amzn-ErrorType")).contains("FileSystemInUse");
        assertThat(response.header("Content-Type")).contains("application/json");
        assertThat(response.bodyAsString())
                .isEqualTo("{\"ErrorCode\":\"FileSystemInUse\",\"Message\":\"File system 'fs-01234567' has mount targets.\"}");
    }

    @Test
    void anOperationWithoutOutputAnswersItsModelledStatusAndNoBody() {
        HttpResponse response = efs.handle(request("DELETE", "/2015-02-01/access-points/fsap-0123456789abcdef0", "", ""),
                Signing.ALICE, "us-east-1", "req-1");

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(inputs.getLast().get("AccessPointId").asText()).isEqualTo("fsap-0123456789abcdef0");
    }

    @Test
    void aPathOrMethodNoOperationHasIsRefused() {
        HttpResponse unknownPath = efs.handle(request("GET", "/2015-02-01/nothing-here", "", ""),
                Signing.ALICE, "us-east-1", "req-1");
        HttpResponse wrongMethod = efs.handle(request("PATCH", "/2015-02-01/file-systems", "", ""),
                Signing.ALICE, "us-east-1", "req-1");

        assertThat(unknownPath.status()).isEqualTo(404);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(unknownPath.header("X-Amzn-ErrorType")).contains("UnknownOperationException");
        assertThat(inputs).isEmpty();
    }

    @Test
    void aQueryValueOfTheWrongTypeIsABadRequest() {
        HttpResponse response = efs.handle(request("GET", "/2015-02-01/file-systems", "MaxItems=many", ""),
                Signing.ALICE, "us-east-1", "req-1");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("X-Amzn-ErrorType")).contains("BadRequest");
        assertThat(inputs).isEmpty();
    }

    @Test
    void aRequestIsForTheServiceItsSignatureNames() {
        HttpRequest signedForEfs = request("GET", "/2015-02-01/file-systems", "", "").withHeaders(Headers.builder()
                .add("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDALICE/20261207/us-east-1/elasticfilesystem/"
                        + "aws4_request, SignedHeaders=host;x-amz-date, Signature=00")
                .add("X-Amz-Date", "20261207T000000Z").build());
        HttpRequest signedForEcs = request("GET", "/2015-02-01/file-systems", "", "").withHeaders(Headers.builder()
                .add("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDALICE/20261207/us-east-1/ecs/"
                        + "aws4_request, SignedHeaders=host;x-amz-date, Signature=00")
                .add("X-Amz-Date", "20261207T000000Z").build());

        assertThat(efs.accepts(signedForEfs)).isTrue();
        assertThat(efs.accepts(signedForEcs)).isFalse();
    }

    private static HttpRequest request(String method, String path, String query, String body) {
        return new HttpRequest(method, path, query, Headers.builder().add("Content-Type", "application/json").build(),
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
