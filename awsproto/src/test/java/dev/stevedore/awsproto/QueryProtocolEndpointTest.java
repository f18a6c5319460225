package dev.stevedore.awsproto;

import static dev.stevedore.awsproto.Ec2ProtocolEndpointTest.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.model.iam.ListUsersResponse;
import dev.stevedore.model.iam.Tag;
import dev.stevedore.model.iam.User;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QueryProtocolEndpointTest {

    static final ServiceSpec IAM = ServiceSpec.load("iam-2010-05-08");
    static final ServiceSpec STS = ServiceSpec.load("sts-2011-06-15");
    private static final String XML_HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    private static final String IAM_NS = " xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"";
    private static final Instant CREATED = Instant.parse("2026-12-07T01:02:03Z");

    private final RecordingHandlers handlers = new RecordingHandlers();
    private final List<ObjectNode> inputs = handlers.inputs();

    private final QueryProtocolEndpoint iam = new QueryProtocolEndpoint(IAM, Map.of(
            "CreateUser", handlers.recording(),
            "ListUsers", handlers.recording(),
            "DeleteUser", handlers.recording(),
            "GetUser", (ctx, input) -> {
                throw IAM.error("NoSuchEntityException",
                        "The user with name " + input.get("UserName").asText() + " cannot be found.");
            },
            "CreateRole", (ctx, input) -> {
                throw AwsException.clientError("EntityAlreadyExists", "Role with name deployer already exists.");
            },
            "DeleteRole", (ctx, input) -> {
                throw AwsException.clientError("DeleteConflictException", "Cannot delete entity, must detach all "
                        + "policies first.");
            }));

    private HttpResponse call(String body) {
        return RecordingHandlers.call(iam, body);
    }

    private JsonNode input(String parameters) {
        return handlers.input(iam, parameters);
    }

    static String errorXml(String ns, String type, String code, String message, String requestId) {
        return XML_HEAD + "<ErrorResponse" + ns + "><Error><Type>" + type + "</Type><Code>" + code + "</Code><Message>"
                + message + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
    }

    private static void assertError(HttpResponse response, int status, String type, String code, String message) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Content-Type")).contains("text/xml;charset=UTF-8");
        assertThat(response.header("x-amzn-RequestId")).contains("req-1");
        assertThat(response.bodyAsString()).isEqualTo(errorXml(IAM_NS, type, code, message, "req-1"));
    }

    @Nested
    class Accepting {

        @Test
        void anyActionOfTheServicesVersionIsItsToAnswer() {
            assertThat(iam.accepts(form("Action=ListUsers&Version=2010-05-08"))).isTrue();
            assertThat(iam.accepts(form("Action=CreateBucket&Version=2010-05-08"))).isTrue();
            assertThat(iam.accepts(new HttpRequest("GET", "/", "Action=ListUsers&Version=2010-05-08",
                    Headers.empty(), new byte[0]))).isTrue();
        }

        @Test
        void anActionWithoutVersionIsAcceptedOnlyByTheServiceThatHasIt() {
            QueryProtocolEndpoint sts = new QueryProtocolEndpoint(STS, Map.of());

            assertThat(sts.accepts(form("Action=GetCallerIdentity"))).isTrue();
            assertThat(iam.accepts(form("Action=GetCallerIdentity"))).isFalse();
        }

        @Test
        void anotherVersionOrProtocolIsLeftToOthers() {
            assertThat(iam.accepts(form("Action=ListUsers&Version=2016-11-15"))).isFalse();
            assertThat(iam.accepts(form("Version=2010-05-08"))).isFalse();
            assertThat(iam.accepts(HttpRequest.post(Headers.of("Content-Type", "application/x-amz-json-1.1",
                    "X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters"), "{}"))).isFalse();
        }

        @Test
        void onlyAQuerySpecIsServed() {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new QueryProtocolEndpoint(
                    Ec2ProtocolEndpointTest.EC2, Map.of())).hasMessageContaining("not query");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new QueryProtocolEndpoint(IAM,
                    Map.of("RunInstances", handlers.recording()))).hasMessageContaining("has no operation RunInstances");
        }
    }

    @Nested
    class Requests {

        @Test
        void listsAreMemberNumberedAndStructuresDotted() {
            JsonNode in = input("Action=CreateUser&Version=2010-05-08&UserName=alice&Path=%2Fteam%2F"
                    + "&Tags.member.1.Key=team&Tags.member.1.Value=a%2Bb%3D%40&Tags.member.2.Key=cost+centre"
                    + "&Tags.member.2.Value=");

            assertThat(in).isEqualTo(AwsJson.mapper().valueToTree(Map.of("UserName", "alice", "Path", "/team/",
                    "Tags", List.of(Map.of("Key", "team", "Value", "a+b=@"), Map.of("Key", "cost centre", "Value", "")))));
        }

        @Test
        void theQueryStringOfAGetCarriesTheParametersAndNumbersAreConverted() {
            iam.handle(new HttpRequest("GET", "/", "Action=ListUsers&Version=2010-05-08&MaxItems=10&PathPrefix=%2F",
                    Headers.empty(), new byte[0]), Signing.ALICE, "us-east-1", "req-1");

            assertThat(inputs.get(0).get("MaxItems").isInt()).isTrue();
            assertThat(inputs.get(0).get("MaxItems").intValue()).isEqualTo(10);
        }

        @Test
        void aBareListNameIsAnEmptyListAndUnknownParametersAreIgnored() {
            JsonNode in = input("Action=CreateUser&Version=2010-05-08&UserName=bob&Tags=&Shiny.New.Member=1");

            assertThat(in).isEqualTo(AwsJson.mapper().valueToTree(Map.of("UserName", "bob", "Tags", List.of())));
        }

        @Test
        void signatureParametersAreNotInput() {
            JsonNode in = input("Action=ListUsers&Version=2010-05-08&X-Amz-Date=20240501T120000Z");

            assertThat(in).isEmpty();
        }
    }

    @Nested
    class Answers {

        @Test
        void outputIsWrappedInTheResultElementWithListsOfMembersAndIsoTimestamps() {
            handlers.answer(ListUsersResponse.builder().isTruncated(false).users(List.of(User.builder()
                    .userName("alice").userId("AIDA1").arn("arn:aws:iam::123456789012:user/alice").path("/")
                    .createDate(CREATED).tags(List.of(new Tag("team", "a & <b>"))).build())).build());

            HttpResponse response = call("Action=ListUsers&Version=2010-05-08");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("x-amzn-RequestId")).contains("req-1");
            assertThat(response.header("Content-Type")).contains("text/xml;charset=UTF-8");
            assertThat(response.bodyAsString()).isEqualTo(XML_HEAD + "<ListUsersResponse" + IAM_NS + ">"
                    + "<ListUsersResult><IsTruncated>false</IsTruncated><Users><member>"
                    + "<Arn>arn:aws:iam::123456789012:user/alice</Arn><CreateDate>2026-12-07T01:02:03.000Z</CreateDate>"
                    + "<Path>/</Path><Tags><member><Key>team</Key><Value>a &amp; &lt;b&gt;</Value></member></Tags>"
                    + "<UserId>AIDA1</UserId><UserName>alice</UserName></member></Users></ListUsersResult>"
                    + "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></ListUsersResponse>");
        }

        @Test
        void anOperationWithoutOutputAnswersOnlyItsMetadata() {
            HttpResponse response = call("Action=DeleteUser&Version=2010-05-08&UserName=alice");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyAsString()).isEqualTo(XML_HEAD + "<DeleteUserResponse" + IAM_NS + ">"
                    + "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DeleteUserResponse>");
        }
    }

    @Nested
    class Errors {

        @Test
        void aModelledErrorHasItsModelsCodeAndStatus() {
            assertError(call("Action=GetUser&Version=2010-05-08&UserName=nobody"), 404, "Sender", "NoSuchEntity",
                    "The user with name nobody cannot be found.");
        }

        @Test
        void aModelledCodeOrShapeNameThrownAsAPlainClientErrorGetsTheModelledStatus() {
            assertError(call("Action=CreateRole&Version=2010-05-08&RoleName=deployer&AssumeRolePolicyDocument=%7B%7D"),
                    409, "Sender", "EntityAlreadyExists", "Role with name deployer already exists.");
            assertError(call("Action=DeleteRole&Version=2010-05-08&RoleName=deployer"), 409, "Sender", "DeleteConflict",
                    "Cannot delete entity, must detach all policies first.");
        }

        @Test
        void constraintViolationsAreOneValidationErrorNamingLowerCamelMembers() {
            assertError(call("Action=CreateUser&Version=2010-05-08&UserName=al%2Fice&Tags.member.1.Key=team"),
                    400, "Sender", "ValidationError", "2 validation errors detected: Value null at 'tags.1.member.value' "
                            + "failed to satisfy constraint: Member must not be null; Value 'al/ice' at 'userName' "
                            + "failed to satisfy constraint: Member must satisfy regular expression pattern: "
                            + "[\\w+=,.@-]+");
            assertError(call("Action=DeleteUser&Version=2010-05-08"), 400, "Sender", "ValidationError",
                    "1 validation error detected: Value null at 'userName' failed to satisfy constraint: "
                            + "Member must not be null");
            assertThat(inputs).isEmpty();
        }

        @Test
        void aValueNotOfItsTypeIsAValidationError() {
            HttpResponse response = call("Action=ListUsers&Version=2010-05-08&MaxItems=ten");

            assertError(response, 400, "Sender", "ValidationError", "Invalid value 'ten' for MaxItems.");
        }

        @Test
        void anUnknownOrUnservedActionIsInvalidActionInTheQueryWords() {
            assertError(call("Action=CreateBucket&Version=2010-05-08"), 400, "Sender", "InvalidAction",
                    "Could not find operation CreateBucket for version 2010-05-08");
            assertError(call("Action=ListRoles&Version=2010-05-08"), 400, "Sender", "InvalidAction",
                    "Could not find operation ListRoles for version 2010-05-08");
        }

        @Test
        void signatureFailuresGetTheQueryCodes() {
            record Case(SigV4Exception.Reason reason, int status, String code) {
            }
            for (Case c : List.of(new Case(SigV4Exception.Reason.UNRECOGNIZED_CLIENT, 403, "InvalidClientTokenId"),
                    new Case(SigV4Exception.Reason.SIGNATURE_MISMATCH, 403, "SignatureDoesNotMatch"),
                    new Case(SigV4Exception.Reason.SIGNATURE_EXPIRED, 403, "SignatureDoesNotMatch"),
                    new Case(SigV4Exception.Reason.SIGNATURE_NOT_YET_CURRENT, 403, "SignatureDoesNotMatch"),
                    new Case(SigV4Exception.Reason.INVALID_CREDENTIAL_SCOPE, 403, "SignatureDoesNotMatch"),
                    new Case(SigV4Exception.Reason.INCOMPLETE_SIGNATURE, 400, "IncompleteSignature"),
                    new Case(SigV4Exception.Reason.EXPIRED_TOKEN, 403, "ExpiredToken"))) {
                assertError(iam.error(new SigV4Exception(c.reason(), "why"), "req-1"), c.status(), "Sender", c.code(),
                        "why");
            }
            assertError(iam.error(new SigV4Exception(SigV4Exception.Reason.MISSING_AUTHENTICATION, "x"), "req-1"),
                    403, "Sender", "MissingAuthenticationToken",
                    "The request must contain either a valid (registered) AWS access key ID or X.509 certificate.");
        }

        @Test
        void anUnexpectedFailureIsAReceiverInternalFailure() {
            assertError(iam.internalError("req-1"), 500, "Receiver", "InternalFailure",
                    "The request processing has failed because of an unknown error, exception or failure.");
        }

        @Test
        void aModelledErrorIsFoundByShapeOrCodeAndAnUnmodelledOneIsRefused() {
            assertThat(IAM.error("LimitExceeded", "too many")).satisfies(e -> {
                assertThat(e.code()).isEqualTo("LimitExceeded");
                assertThat(e.status()).isEqualTo(409);
            });
            assertThat(IAM.error("MalformedPolicyDocumentException", "bad").status()).isEqualTo(400);
            assertThat(IAM.error("ServiceFailureException", "down").isFault()).isTrue();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> IAM.error("NoSuchBucket", "x"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** Maps, flattened lists and renamed list members, which IAM and STS do not model. */
    @Nested
    class OtherTraits {

        private static final ServiceSpec TOY = ServiceSpec.parse("toy", new ByteArrayInputStream("""
                {"metadata": {"protocol": "query", "apiVersion": "2020-01-01", "endpointPrefix": "toy",
                              "xmlNamespace": "https://toy.amazonaws.com/doc/2020-01-01/"},
                 "operations": {"Put": {"input": "PutInput", "output": "PutOutput", "resultWrapper": "PutResult"}},
                 "shapes": {
                   "PutInput": {"type": "structure", "members": {
                     "Attributes": {"shape": "Attributes"},
                     "Flat": {"shape": "Names", "flattened": true},
                     "Renamed": {"shape": "Items"},
                     "Nested": {"shape": "Inner", "locationName": "Inside"}}},
                   "PutOutput": {"type": "structure", "members": {
                     "Attributes": {"shape": "Attributes"},
                     "Flat": {"shape": "Names", "flattened": true},
                     "FlatMap": {"shape": "Attributes", "flattened": true},
                     "Renamed": {"shape": "Items"}}},
                   "Inner": {"type": "structure", "members": {"Enabled": {"shape": "Flag"}}},
                   "Attributes": {"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Name"}},
                   "Names": {"type": "list", "member": {"shape": "Name"}},
                   "Items": {"type": "list", "member": {"shape": "Name", "locationName": "item"}},
                   "Name": {"type": "string"},
                   "Flag": {"type": "boolean"}}}
                """.getBytes(StandardCharsets.UTF_8)));

        private final QueryProtocolEndpoint toy = new QueryProtocolEndpoint(TOY, Map.of("Put", handlers.recording()));

        @Test
        void mapsFlattenedListsAndRenamedMembersAreReadByTheirQueryNames() {
            HttpResponse response = toy.handle(form("Action=Put&Version=2020-01-01&Attributes.entry.1.key=colour"
                    + "&Attributes.entry.1.value=red&Attributes.entry.2.key=size&Attributes.entry.2.value=L"
                    + "&Flat.1=a&Flat.2=b&Renamed.item.1=x&Inside.Enabled=true"), Signing.ALICE, "us-east-1", "r");

            assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
            assertThat(inputs.get(0)).isEqualTo(AwsJson.mapper().valueToTree(Map.of(
                    "Attributes", Map.of("colour", "red", "size", "L"), "Flat", List.of("a", "b"),
                    "Renamed", List.of("x"), "Nested", Map.of("Enabled", true))));
        }

        @Test
        void mapsFlattenedListsAndRenamedMembersAreWrittenByTheirQueryNames() {
            handlers.answer(Map.of("Attributes", Map.of("colour", "red"), "Flat", List.of("a", "b"),
                    "FlatMap", Map.of("k", "v"), "Renamed", List.of("x")));

            HttpResponse response = toy.handle(form("Action=Put&Version=2020-01-01"), Signing.ALICE, "us-east-1", "r");

            assertThat(response.bodyAsString()).isEqualTo(XML_HEAD
                    + "<PutResponse xmlns=\"https://toy.amazonaws.com/doc/2020-01-01/\"><PutResult>"
                    + "<Attributes><entry><key>colour</key><value>red</value></entry></Attributes>"
                    + "<Flat>a</Flat><Flat>b</Flat><FlatMap><key>k</key><value>v</value></FlatMap>"
                    + "<Renamed><item>x</item></Renamed></PutResult>"
                    + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PutResponse>");
        }
    }

    @Nested
    class ThroughTheFrontDoor {

        private final QueryProtocolEndpoint sts = new QueryProtocolEndpoint(STS, Map.of("GetCallerIdentity",
                (ctx, in) -> Map.of("Account", ctx.principal().accountId(), "Arn", ctx.principal().arn(),
                        "UserId", ctx.principal().accessKeyId())));
        private final AwsFrontDoor door = new AwsFrontDoor(new SigV4Verifier(Signing.KEYS, Signing.CLOCK),
                List.of(new Ec2ProtocolEndpoint(Ec2ProtocolEndpointTest.EC2, Map.of()), iam, sts));

        private HttpRequest signed(String body, String service, Instant at) {
            return Signing.sdkSigned(Signing.formCall(), body, Signing.ALICE_CREDENTIALS, "us-east-1", service, at);
        }

        @Test
        void eachServiceAnswersItsOwnVersion() {
            HttpResponse caller = door.handle(signed("Action=GetCallerIdentity&Version=2011-06-15", "sts", Signing.NOW));
            HttpResponse unknown = door.handle(signed("Action=Nope&Version=2010-05-08", "iam", Signing.NOW));

            assertThat(caller.status()).isEqualTo(200);
            assertThat(caller.bodyAsString()).contains("<GetCallerIdentityResult><Account>123456789012</Account>"
                    + "<Arn>arn:aws:iam::123456789012:user/alice</Arn><UserId>AKIDALICE</UserId>"
                    + "</GetCallerIdentityResult>");
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.bodyAsString()).contains(IAM_NS, "<Code>InvalidAction</Code>");
        }

        @Test
        void signatureFailuresAreWrittenInQueryXml() {
            HttpResponse stale = door.handle(signed("Action=ListUsers&Version=2010-05-08", "iam",
                    Signing.NOW.minusSeconds(1200)));
            HttpResponse forSts = door.handle(signed("Action=ListUsers&Version=2010-05-08", "sts", Signing.NOW));
            HttpResponse unsigned = door.handle(form("Action=ListUsers&Version=2010-05-08"));

            assertThat(stale.status()).isEqualTo(403);
            assertThat(stale.bodyAsString()).contains("<Code>SignatureDoesNotMatch</Code><Message>Signature expired: ");
            assertThat(forSts.status()).isEqualTo(403);
            assertThat(forSts.bodyAsString()).contains("<Code>SignatureDoesNotMatch</Code>");
            assertThat(unsigned.status()).isEqualTo(403);
            assertThat(unsigned.bodyAsString()).contains("<Code>MissingAuthenticationToken</Code>");
        }
    }
}
