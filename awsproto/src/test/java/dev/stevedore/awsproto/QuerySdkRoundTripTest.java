package dev.stevedore.awsproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.model.iam.CreateUserRequest;
import dev.stevedore.model.iam.CreateUserResponse;
import dev.stevedore.model.iam.ListUsersResponse;
import dev.stevedore.model.sts.AssumeRoleResponse;
import dev.stevedore.model.sts.AssumedRoleUser;
import dev.stevedore.model.sts.Credentials;
import dev.stevedore.model.sts.GetCallerIdentityResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.User;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The real AWS SDK for Java v2 IAM and STS clients (and, where installed, the AWS CLI v2) against
 * {@link QueryProtocolEndpoint}s behind the front door, over HTTP on 127.0.0.1, signed and verified for real.
 */
class QuerySdkRoundTripTest {

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final Instant CREATED = Instant.parse("2026-12-07T01:02:03Z");
    private static final Instant EXPIRES = Instant.parse("2026-12-07T02:02:03Z");

    private final RecordingHandlers handlers = new RecordingHandlers();
    private final List<ObjectNode> inputs = handlers.inputs();
    private final List<CallContext> calls = handlers.calls();

    private static dev.stevedore.model.iam.User user(String name, List<dev.stevedore.model.iam.Tag> tags) {
        return dev.stevedore.model.iam.User.builder().userName(name).userId("AIDA" + name.toUpperCase())
                .arn("arn:aws:iam::123456789012:user/" + name).path("/").createDate(CREATED).tags(tags).build();
    }

    private final QueryProtocolEndpoint iam = new QueryProtocolEndpoint(ServiceSpec.load("iam-2010-05-08"), Map.of(
            "CreateUser", handlers.recording((ctx, in) -> {
                CreateUserRequest request = AwsJson.convert(in, CreateUserRequest.class);
                return new CreateUserResponse(user(request.userName(), request.tags()));
            }),
            "ListUsers", handlers.recording((ctx, in) -> ListUsersResponse.builder().isTruncated(false)
                    .users(List.of(user("alice", null), user("bob & <co>", null))).build()),
            "GetUser", handlers.recording((ctx, in) -> {
                throw ServiceSpec.load("iam-2010-05-08").error("NoSuchEntityException",
                        "The user with name " + in.get("UserName").asText() + " cannot be found.");
            }),
            "DeleteUser", handlers.recording((ctx, in) -> null)));

    private final QueryProtocolEndpoint sts = new QueryProtocolEndpoint(ServiceSpec.load("sts-2011-06-15"), Map.of(
            "GetCallerIdentity", handlers.recording((ctx, in) -> new GetCallerIdentityResponse(ctx.principal().accountId(),
                    ctx.principal().arn(), ctx.principal().accessKeyId())),
            "AssumeRole", handlers.recording((ctx, in) -> AssumeRoleResponse.builder()
                    .assumedRoleUser(new AssumedRoleUser("arn:aws:sts::123456789012:assumed-role/deployer/"
                            + in.get("RoleSessionName").asText(), "AROA1:" + in.get("RoleSessionName").asText()))
                    .credentials(new Credentials("ASIA1", EXPIRES, "secret", "token")).packedPolicySize(6).build())));

    private final LoopbackHttpServer server = new LoopbackHttpServer(
            new AwsFrontDoor(new SigV4Verifier(Signing.KEYS, Clock.systemUTC()), List.of(iam, sts)));
    private final List<SdkClient> clients = new ArrayList<>();

    private <C extends SdkClient> C register(C client) {
        clients.add(client);
        return client;
    }

    private IamClient iam(String accessKey, String secret) {
        return register(IamClient.builder()
                .httpClient(Apache5HttpClient.create())
                .endpointOverride(server.uri())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build());
    }

    private IamClient alice() {
        return iam("AKIDALICE", "alice/secret+key");
    }

    private StsClient sts() {
        return register(StsClient.builder()
                .httpClient(Apache5HttpClient.create())
                .endpointOverride(server.uri())
                .region(Region.EU_WEST_3)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDALICE", "alice/secret+key")))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build());
    }

    @AfterEach
    void close() {
        clients.forEach(SdkClient::close);
        server.close();
    }

    @Test
    void createUserSendsItsTagsAndParsesTheUser() {
        User created = alice().createUser(b -> b.userName("carol").path("/")
                .tags(Tag.builder().key("team").value("web tier").build(),
                        Tag.builder().key("cost+centre").value("a=b@c").build())).user();

        assertThat(created.userName()).isEqualTo("carol");
        assertThat(created.arn()).isEqualTo("arn:aws:iam::123456789012:user/carol");
        assertThat(created.createDate()).isEqualTo(CREATED);
        assertThat(created.tags()).containsExactly(Tag.builder().key("team").value("web tier").build(),
                Tag.builder().key("cost+centre").value("a=b@c").build());
        assertThat(inputs.getFirst()).isEqualTo(AwsJson.mapper().valueToTree(Map.of("UserName", "carol", "Path", "/",
                "Tags", List.of(Map.of("Key", "team", "Value", "web tier"),
                        Map.of("Key", "cost+centre", "Value", "a=b@c")))));
        assertThat(calls.getFirst().region()).isEqualTo("us-east-1");
        assertThat(calls.getFirst().principal()).isEqualTo(Signing.ALICE);
    }

    @Test
    void listUsersParsesTheListAndTimestamps() {
        var response = alice().listUsers(b -> b.maxItems(10).pathPrefix("/"));

        assertThat(response.isTruncated()).isFalse();
        assertThat(response.users()).extracting(User::userName).containsExactly("alice", "bob & <co>");
        assertThat(response.users()).extracting(User::createDate).containsOnly(CREATED);
        assertThat(response.users().get(0).tags()).isEmpty();
        assertThat(inputs.getFirst()).isEqualTo(AwsJson.mapper().valueToTree(Map.of("MaxItems", 10, "PathPrefix", "/")));
    }

    @Test
    void aModelledErrorIsTheSdksTypedException() {
        assertThatThrownBy(() -> alice().getUser(b -> b.userName("nobody")))
                .isInstanceOfSatisfying(NoSuchEntityException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchEntity");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The user with name nobody cannot be found.");
                    assertThat(e.requestId()).matches(UUID).isEqualTo(calls.getFirst().requestId());
                });
    }

    @Test
    void anOperationWithoutOutputSucceeds() {
        assertThat(alice().deleteUser(b -> b.userName("carol")).sdkHttpResponse().statusCode()).isEqualTo(200);
        assertThat(inputs.getFirst().get("UserName").asText()).isEqualTo("carol");
    }

    @Test
    void aValueOutsideTheModelIsAValidationError() {
        assertThatThrownBy(() -> alice().createUser(b -> b.userName("no/slashes")))
                .isInstanceOfSatisfying(IamException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage()).startsWith("1 validation error detected: "
                            + "Value 'no/slashes' at 'userName' failed to satisfy constraint:");
                });
        assertThat(calls).isEmpty();
    }

    @Test
    void anUnknownKeyOrAWrongSecretIsRefusedInQueryCodes() {
        assertThatThrownBy(() -> iam("AKIDMALLORY", "x").listUsers())
                .isInstanceOfSatisfying(IamException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("The security token included in the request is invalid.");
                    assertThat(e.requestId()).matches(UUID);
                });
        assertThatThrownBy(() -> iam("AKIDALICE", "wrong").listUsers())
                .isInstanceOfSatisfying(IamException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
                });
        assertThat(calls).isEmpty();
    }

    @Test
    void getCallerIdentityNamesTheSigner() {
        var identity = sts().getCallerIdentity();

        assertThat(identity.account()).isEqualTo("123456789012");
        assertThat(identity.arn()).isEqualTo("arn:aws:iam::123456789012:user/alice");
        assertThat(identity.userId()).isEqualTo("AKIDALICE");
        assertThat(calls.getFirst().region()).isEqualTo("eu-west-3");
    }

    @Test
    void assumeRoleSendsPolicyArnsAndParsesTheCredentials() {
        var assumed = sts().assumeRole(b -> b.roleArn("arn:aws:iam::123456789012:role/deployer")
                .roleSessionName("ci-run").durationSeconds(3600)
                .policyArns(p -> p.arn("arn:aws:iam::aws:policy/ReadOnlyAccess"),
                        p -> p.arn("arn:aws:iam::123456789012:policy/extra"))
                .tags(t -> t.key("project").value("stevedore")));

        assertThat(assumed.credentials().accessKeyId()).isEqualTo("ASIA1");
        assertThat(assumed.credentials().expiration()).isEqualTo(EXPIRES);
        assertThat(assumed.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/deployer/ci-run");
        assertThat(assumed.packedPolicySize()).isEqualTo(6);
        assertThat(inputs.getFirst()).isEqualTo(AwsJson.mapper().valueToTree(Map.of(
                "RoleArn", "arn:aws:iam::123456789012:role/deployer", "RoleSessionName", "ci-run",
                "DurationSeconds", 3600,
                "PolicyArns", List.of(Map.of("arn", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
                        Map.of("arn", "arn:aws:iam::123456789012:policy/extra")),
                "Tags", List.of(Map.of("Key", "project", "Value", "stevedore")))));
    }

    @Test
    void theAwsCliListsUsersAndReportsErrors() throws IOException {
        Assumptions.assumeTrue(AwsCli.installed().isPresent(), "AWS CLI v2 not installed");

        AwsCli.Result listed = AwsCli.run(server.uri(), "iam", "list-users");
        AwsCli.Result missing = AwsCli.run(server.uri(), "iam", "get-user", "--user-name", "nobody");
        AwsCli.Result identity = AwsCli.run(server.uri(), "sts", "get-caller-identity");

        assertThat(listed.exitCode()).as(listed.stderr()).isZero();
        JsonNode users = AwsJson.mapper().readTree(listed.stdout()).get("Users");
        assertThat(users.get(0).get("UserName").asText()).isEqualTo("alice");
        assertThat(users.get(1).get("UserName").asText()).isEqualTo("bob & <co>");
        assertThat(Instant.parse(users.get(0).get("CreateDate").asText().replace("+00:00", "Z"))).isEqualTo(CREATED);
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("An error occurred (NoSuchEntity) when calling the GetUser operation: "
                + "The user with name nobody cannot be found.");
        assertThat(identity.exitCode()).as(identity.stderr()).isZero();
        assertThat(AwsJson.mapper().readTree(identity.stdout()).get("Arn").asText())
                .isEqualTo("arn:aws:iam::123456789012:user/alice");
    }
}
