package dev.stevedore.awsproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.model.ec2.DescribeNetworkInterfacesResult;
import dev.stevedore.model.ec2.DescribeVpcsResult;
import dev.stevedore.model.ec2.NetworkInterface;
import dev.stevedore.model.ec2.NetworkInterfaceAttachment;
import dev.stevedore.model.ec2.Tag;
import dev.stevedore.model.ec2.Vpc;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class Ec2ProtocolEndpointTest {

    static final ServiceSpec EC2 = ServiceSpec.load("ec2-2016-11-15");
    private static final String XML_HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    private static final String NS = " xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"";

    private final RecordingHandlers handlers = new RecordingHandlers();
    private final List<ObjectNode> inputs = handlers.inputs();

    private final Ec2ProtocolEndpoint endpoint = new Ec2ProtocolEndpoint(EC2, Map.of(
            "DescribeVpcs", handlers.recording(),
            "CreateVpc", handlers.recording(),
            "CreateSecurityGroup", handlers.recording(),
            "AuthorizeSecurityGroupIngress", handlers.recording(),
            "DescribeNetworkInterfaces", handlers.recording(),
            "DescribeSecurityGroups", handlers.recording(),
            "DeleteVpc", (ctx, input) -> {
                throw AwsException.clientError("InvalidVpcID.NotFound",
                        "The vpc ID '" + input.get("VpcId").asText() + "' does not exist");
            },
            "DeleteSubnet", (ctx, input) -> {
                throw new IllegalStateException("disk on fire");
            }));

    static HttpRequest form(String body) {
        return HttpRequest.post(Headers.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), body);
    }

    private HttpResponse call(String body) {
        return RecordingHandlers.call(endpoint, body);
    }

    private JsonNode input(String parameters) {
        return handlers.input(endpoint, parameters);
    }

    static String errorXml(String code, String message, String requestId) {
        return XML_HEAD + "<Response><Errors><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error></Errors><RequestID>" + requestId + "</RequestID></Response>";
    }

    private void assertError(HttpResponse response, int status, String code, String message) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Content-Type")).contains("text/xml;charset=UTF-8");
        assertThat(response.bodyAsString()).isEqualTo(errorXml(code, message, "req-1"));
    }

    @Nested
    class Requests {

        @Test
        void listsAndStructuresAreReadByTheirParameterNames() {
            JsonNode in = input("Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1"
                    + "&Filter.1.Value.2=vpc-2&Filter.2.Name=state&Filter.2.Value.1=available&VpcId.1=vpc-9"
                    + "&MaxResults=5&DryRun=false");

            assertThat(in).isEqualTo(AwsJson.mapper().createObjectNode()
                    .put("DryRun", false)
                    .<ObjectNode>set("Filters", AwsJson.mapper().createArrayNode()
                            .add(AwsJson.mapper().createObjectNode().put("Name", "vpc-id")
                                    .set("Values", AwsJson.mapper().createArrayNode().add("vpc-1").add("vpc-2")))
                            .add(AwsJson.mapper().createObjectNode().put("Name", "state")
                                    .set("Values", AwsJson.mapper().createArrayNode().add("available"))))
                    .put("MaxResults", 5)
                    .set("VpcIds", AwsJson.mapper().createArrayNode().add("vpc-9")));
        }

        @Test
        void listsNestInStructuresInLists() {
            JsonNode in = input("Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16&InstanceTenancy=default"
                    + "&TagSpecification.1.ResourceType=vpc&TagSpecification.1.Tag.1.Key=Name"
                    + "&TagSpecification.1.Tag.1.Value=web+tier&TagSpecification.1.Tag.2.Key=team"
                    + "&TagSpecification.1.Tag.2.Value=a%26b&AmazonProvidedIpv6CidrBlock=true");

            assertThat(in.get("CidrBlock").asText()).isEqualTo("10.0.0.0/16");
            assertThat(in.get("AmazonProvidedIpv6CidrBlock").isBoolean()).isTrue();
            JsonNode spec = in.get("TagSpecifications").get(0);
            assertThat(spec.get("ResourceType").asText()).isEqualTo("vpc");
            assertThat(AwsJson.convert(spec.get("Tags"), Tag[].class))
                    .containsExactly(new Tag("Name", "web tier"), new Tag("team", "a&b"));
        }

        @Test
        void securityGroupRulesNestThreeDeep() {
            JsonNode in = input("Action=AuthorizeSecurityGroupIngress&Version=2016-11-15&GroupId=sg-1"
                    + "&IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=80&IpPermissions.1.ToPort=80"
                    + "&IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0%2F0&IpPermissions.1.IpRanges.2.CidrIp=10.0.0.0%2F8"
                    + "&IpPermissions.1.IpRanges.2.Description=office");

            JsonNode permission = in.get("IpPermissions").get(0);
            assertThat(permission.get("FromPort").isInt()).isTrue();
            assertThat(permission.get("FromPort").intValue()).isEqualTo(80);
            assertThat(permission.get("IpRanges").get(0).get("CidrIp").asText()).isEqualTo("0.0.0.0/0");
            assertThat(permission.get("IpRanges").get(1).get("Description").asText()).isEqualTo("office");
        }

        @Test
        void listElementsKeepTheirNumericOrder() {
            JsonNode in = input("Action=DescribeVpcs&Version=2016-11-15&VpcId.10=vpc-10&VpcId.2=vpc-2&VpcId.1=vpc-1");

            assertThat(in.get("VpcIds")).extracting(JsonNode::asText).containsExactly("vpc-1", "vpc-2", "vpc-10");
        }

        @Test
        void aLocationNameIsAParameterNameOnlyCapitalised() {
            // GroupIds has locationName GroupId; DryRun has locationName dryRun but is sent as DryRun.
            JsonNode in = input("Action=DescribeSecurityGroups&Version=2016-11-15&GroupId.1=sg-1&DryRun=true");

            assertThat(in.get("GroupIds").get(0).asText()).isEqualTo("sg-1");
            assertThat(in.get("DryRun").booleanValue()).isTrue();
        }

        @Test
        void aGetCarriesTheParametersInItsQueryString() {
            HttpRequest get = new HttpRequest("GET", "/", "Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-1",
                    Headers.empty(), new byte[0]);

            assertThat(endpoint.handle(get, Signing.ALICE, "us-east-1", "req-1").status()).isEqualTo(200);
            assertThat(inputs.get(0).get("VpcIds").get(0).asText()).isEqualTo("vpc-1");
        }

        @Test
        void authenticationParametersOfAPresignedRequestAreNotOperationParameters() {
            JsonNode in = input("Action=DescribeVpcs&Version=2016-11-15&X-Amz-Algorithm=AWS4-HMAC-SHA256"
                    + "&X-Amz-Credential=a%2Fb&X-Amz-Date=20240501T120000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00");

            assertThat(in.isEmpty()).isTrue();
        }

        @Test
        void anUnknownParameterIsRefusedByItsName() {
            assertError(call("Action=DescribeVpcs&Version=2016-11-15&ImageType=machine"), 400, "UnknownParameter",
                    "The parameter ImageType is not recognized");
            assertError(call("Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=a&Filter.1.Colour=red"), 400,
                    "UnknownParameter", "The parameter Filter.1.Colour is not recognized");
            assertError(call("Action=DescribeVpcs&Version=2016-11-15&VpcId.first=vpc-1"), 400,
                    "UnknownParameter", "The parameter VpcId.first is not recognized");
            // Names are case-sensitive: the member is Filter, not filter.
            assertError(call("Action=DescribeVpcs&Version=2016-11-15&filter.1.Name=a"), 400,
                    "UnknownParameter", "The parameter filter is not recognized");
            assertThat(inputs).isEmpty();
        }

        @Test
        void aMissingRequiredParameterIsNamedAsEc2NamesIt() {
            assertError(call("Action=CreateSecurityGroup&Version=2016-11-15&GroupName=web"), 400, "MissingParameter",
                    "The request must contain the parameter groupDescription");
            assertError(call("Action=DeleteVpc&Version=2016-11-15"), 400, "MissingParameter",
                    "The request must contain the parameter vpcId");
        }

        @Test
        void valuesOfTheWrongTypeAreInvalidParameterValues() {
            assertError(call("Action=DescribeVpcs&Version=2016-11-15&MaxResults=many"), 400, "InvalidParameterValue",
                    "Invalid value 'many' for MaxResults.");
            assertError(call("Action=DescribeVpcs&Version=2016-11-15&DryRun=maybe"), 400, "InvalidParameterValue",
                    "Invalid value 'maybe' for DryRun.");
            assertError(call("Action=DescribeVpcs&Version=2016-11-15&MaxResults=99999999999"), 400,
                    "InvalidParameterValue", "Invalid value '99999999999' for MaxResults.");
        }

        @Test
        void valuesOutsideTheModelAreInvalidParameterValues() {
            assertError(call("Action=DescribeVpcs&Version=2016-11-15&MaxResults=1"), 400, "InvalidParameterValue",
                    "Value ( 1 ) for parameter maxResults is invalid. Expecting a value greater than 5.");
            assertError(call("Action=DescribeVpcs&Version=2016-11-15&MaxResults=1001"), 400, "InvalidParameterValue",
                    "Value ( 1001 ) for parameter maxResults is invalid. Expecting a value less than 1000.");
            assertError(call("Action=CreateVpc&Version=2016-11-15&InstanceTenancy=shared"), 400,
                    "InvalidParameterValue", "Invalid value 'shared' for InstanceTenancy.");
            assertError(call("Action=CreateVpc&Version=2016-11-15&TagSpecification.1.ResourceType=bucket"), 400,
                    "InvalidParameterValue", "Invalid value 'bucket' for TagSpecification.1.ResourceType.");
        }

        @Test
        void anActionWithoutAHandlerIsInvalid() {
            assertError(call("Action=CreateSubnet&Version=2016-11-15&VpcId=vpc-1"), 400, "InvalidAction",
                    "The action CreateSubnet is not valid for this web service.");
            assertError(call("Action=RunInstances&Version=2016-11-15"), 400, "InvalidAction",
                    "The action RunInstances is not valid for this web service.");
        }
    }

    @Nested
    class Answers {

        @Test
        void outputIsWrittenByWalkingTheOutputShape() {
            handlers.answer(DescribeVpcsResult.builder().vpcs(List.of(
                    Vpc.builder().vpcId("vpc-1").cidrBlock("10.0.0.0/16").isDefault(true).state("available")
                            .tags(List.of(new Tag("Name", "a<b & \"c\""))).build(),
                    Vpc.builder().vpcId("vpc-2").isDefault(false).tags(List.of()).build())).build());

            HttpResponse response = call("Action=DescribeVpcs&Version=2016-11-15");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Type")).contains("text/xml;charset=UTF-8");
            assertThat(response.header("x-amzn-RequestId")).contains("req-1");
            assertThat(response.bodyAsString()).isEqualTo(XML_HEAD + "<DescribeVpcsResponse" + NS + ">"
                    + "<requestId>req-1</requestId><vpcSet>"
                    + "<item><cidrBlock>10.0.0.0/16</cidrBlock><isDefault>true</isDefault><state>available</state>"
                    + "<tagSet><item><key>Name</key><value>a&lt;b &amp; \"c\"</value></item></tagSet>"
                    + "<vpcId>vpc-1</vpcId></item>"
                    + "<item><isDefault>false</isDefault><tagSet></tagSet><vpcId>vpc-2</vpcId></item>"
                    + "</vpcSet></DescribeVpcsResponse>");
        }

        @Test
        void timestampsAreIsoWithMillisecondsAndNumbersPlain() {
            handlers.answer(DescribeNetworkInterfacesResult.builder().networkInterfaces(List.of(NetworkInterface.builder()
                    .networkInterfaceId("eni-1").attachment(NetworkInterfaceAttachment.builder()
                            .attachTime(Instant.parse("2026-12-07T01:02:03Z")).deviceIndex(1).deleteOnTermination(true)
                            .build()).build())).build());

            String body = call("Action=DescribeNetworkInterfaces&Version=2016-11-15").bodyAsString();

            assertThat(body).contains("<networkInterfaceSet><item><attachment><attachTime>2026-12-07T01:02:03.000Z"
                    + "</attachTime><deleteOnTermination>true</deleteOnTermination><deviceIndex>1</deviceIndex>"
                    + "</attachment><networkInterfaceId>eni-1</networkInterfaceId></item></networkInterfaceSet>");
        }

        @Test
        void aTreeWithIsoTimestampsIsWrittenToo() {
            handlers.answer(Map.of("NetworkInterfaces", List.of(Map.of("Attachment",
                    Map.of("AttachTime", "2026-12-07T01:02:03.4Z")))));

            assertThat(call("Action=DescribeNetworkInterfaces&Version=2016-11-15").bodyAsString())
                    .contains("<attachTime>2026-12-07T01:02:03.400Z</attachTime>");
        }

        @Test
        void anEmptyOutputHasOnlyTheRequestId() {
            assertThat(call("Action=DescribeVpcs&Version=2016-11-15").bodyAsString()).isEqualTo(XML_HEAD
                    + "<DescribeVpcsResponse" + NS + "><requestId>req-1</requestId></DescribeVpcsResponse>");
        }

        @Test
        void anOperationWithoutOutputAnswersReturnTrue() {
            Ec2ProtocolEndpoint deleting = new Ec2ProtocolEndpoint(EC2, Map.of("DeleteVpc", (ctx, in) -> null));

            HttpResponse response = deleting.handle(form("Action=DeleteVpc&Version=2016-11-15&VpcId=vpc-1"),
                    Signing.ALICE, "us-east-1", "req-1");

            assertThat(response.bodyAsString()).isEqualTo(XML_HEAD + "<DeleteVpcResponse" + NS
                    + "><requestId>req-1</requestId><return>true</return></DeleteVpcResponse>");
        }

        @Test
        void membersTheShapeDoesNotHaveAreNotWritten() {
            handlers.answer(Map.of("Vpcs", List.of(Map.of("VpcId", "vpc-1", "Secret", "x")), "Other", 1));

            assertThat(call("Action=DescribeVpcs&Version=2016-11-15").bodyAsString()).isEqualTo(XML_HEAD
                    + "<DescribeVpcsResponse" + NS + "><requestId>req-1</requestId>"
                    + "<vpcSet><item><vpcId>vpc-1</vpcId></item></vpcSet></DescribeVpcsResponse>");
        }
    }

    @Nested
    class Errors {

        @Test
        void handlerErrorsKeepTheirCodeMessageAndStatus() {
            assertError(call("Action=DeleteVpc&Version=2016-11-15&VpcId=vpc-1"), 400, "InvalidVpcID.NotFound",
                    "The vpc ID 'vpc-1' does not exist");
        }

        @Test
        void anUnexpectedFailureIsLeftToTheFrontDoor() {
            assertThatThrownBy(() -> call("Action=DeleteSubnet&Version=2016-11-15&SubnetId=subnet-1"))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        void theInternalErrorTellsNothing() {
            assertError(endpoint.internalError("req-1"), 500, "InternalError", "An internal error has occurred");
        }

        @Test
        void signatureFailuresGetEc2Codes() {
            record Case(SigV4Exception.Reason reason, int status, String code, String message) {
            }
            List<Case> cases = List.of(
                    new Case(SigV4Exception.Reason.SIGNATURE_MISMATCH, 401, "AuthFailure",
                            "AWS was not able to validate the provided access credentials"),
                    new Case(SigV4Exception.Reason.UNRECOGNIZED_CLIENT, 401, "AuthFailure",
                            "AWS was not able to validate the provided access credentials"),
                    new Case(SigV4Exception.Reason.INVALID_CREDENTIAL_SCOPE, 401, "AuthFailure",
                            "AWS was not able to validate the provided access credentials"),
                    new Case(SigV4Exception.Reason.SIGNATURE_EXPIRED, 400, "RequestExpired", "Request has expired."),
                    new Case(SigV4Exception.Reason.SIGNATURE_NOT_YET_CURRENT, 400, "RequestExpired",
                            "Request has expired."),
                    new Case(SigV4Exception.Reason.EXPIRED_TOKEN, 400, "RequestExpired", "Request has expired."),
                    new Case(SigV4Exception.Reason.MISSING_AUTHENTICATION, 401, "MissingAuthenticationToken",
                            "The request must contain either a valid (registered) AWS access key ID or X.509 certificate."),
                    new Case(SigV4Exception.Reason.INCOMPLETE_SIGNATURE, 400, "IncompleteSignature", "bad header"));
            for (Case c : cases) {
                assertError(endpoint.error(new SigV4Exception(c.reason(), "bad header"), "req-1"), c.status(), c.code(),
                        c.message());
            }
        }
    }

    @Nested
    class Accepting {

        @Test
        void aFormPostOrAGetNamingAnOperationOfThisVersion() {
            assertThat(endpoint.accepts(form("Action=DescribeVpcs&Version=2016-11-15"))).isTrue();
            assertThat(endpoint.accepts(HttpRequest.post(Headers.of("Content-Type",
                    "application/x-www-form-urlencoded"), "Version=2016-11-15&Action=CreateVpc"))).isTrue();
            assertThat(endpoint.accepts(new HttpRequest("GET", "/", "Action=DescribeVpcs&Version=2016-11-15",
                    Headers.empty(), new byte[0]))).isTrue();
            // An operation of the spec without a handler is still EC2's, and answered InvalidAction;
            // so is an action EC2 has and Stevedore does not serve, so that clients read EC2's error.
            assertThat(endpoint.accepts(form("Action=CreateSubnet&Version=2016-11-15"))).isTrue();
            assertThat(endpoint.accepts(form("Action=RunInstances&Version=2016-11-15"))).isTrue();
        }

        @Test
        void notOtherServicesOrVersions() {
            assertThat(endpoint.accepts(form("Action=GetCallerIdentity&Version=2011-06-15"))).isFalse();
            assertThat(endpoint.accepts(form("Action=DescribeVpcs&Version=2015-10-01"))).isFalse();
            assertThat(endpoint.accepts(form("Action=DescribeVpcs"))).isFalse();
            assertThat(endpoint.accepts(JsonProtocolEndpointTest.call("ListClusters", "{}"))).isFalse();
            assertThat(endpoint.accepts(HttpRequest.post(Headers.of("Content-Type", "application/json"),
                    "Action=DescribeVpcs&Version=2016-11-15"))).isFalse();
        }

        @Test
        void neverThrows() {
            assertThat(endpoint.accepts(form("Action=%zz&Version=2016-11-15"))).isFalse();
            assertThat(endpoint.accepts(HttpRequest.post(Headers.empty(), new byte[] {(byte) 0xff, '=', '%'}))).isFalse();
        }

        @Test
        void signsAsEc2() {
            assertThat(endpoint.signingName()).isEqualTo("ec2");
        }
    }

    @Test
    void onlyEc2SpecsAndTheirOperations() {
        assertThatThrownBy(() -> new Ec2ProtocolEndpoint(JsonProtocolEndpointTest.ECS, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not ec2");
        assertThatThrownBy(() -> new Ec2ProtocolEndpoint(EC2, Map.of("RunInstances", handlers.recording())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ec2-2016-11-15 has no operation RunInstances");
        assertThat(Optional.of(endpoint.spec())).contains(EC2);
    }

    /** Traits the VPC operations do not use but the EC2 protocol has: queryName, flattened lists. */
    @Nested
    class OtherTraits {

        private final ServiceSpec toy = ServiceSpec.parse("toy-2016-11-15", new ByteArrayInputStream("""
                {"metadata": {"protocol": "ec2", "apiVersion": "2016-11-15", "endpointPrefix": "ec2",
                              "xmlNamespace": "http://ec2.amazonaws.com/doc/2016-11-15/"},
                 "operations": {"Echo": {"http": {"method": "POST", "requestUri": "/"}, "input": "In", "output": "Out"}},
                 "shapes": {"In": {"type": "structure", "members": {
                               "PrivateIpAddresses": {"shape": "Ips", "locationName": "privateIpAddressesSet",
                                                      "queryName": "PrivateIpAddresses"},
                               "At": {"shape": "T"}, "Weight": {"shape": "D"}, "Count": {"shape": "N"}}},
                            "Out": {"type": "structure", "members": {
                               "Flat": {"shape": "Ips", "locationName": "ip", "flattened": true},
                               "FlatShape": {"shape": "FlatIps", "locationName": "addr"},
                               "Nested": {"shape": "Ips", "locationName": "ipSet"},
                               "At": {"shape": "T", "locationName": "at"}}},
                            "Ips": {"type": "list", "member": {"shape": "S", "locationName": "item"}},
                            "FlatIps": {"type": "list", "member": {"shape": "S"}, "flattened": true},
                            "S": {"type": "string"}, "T": {"type": "timestamp"}, "D": {"type": "double"},
                            "N": {"type": "long"}}}""".getBytes(StandardCharsets.UTF_8)));

        private final Ec2ProtocolEndpoint echo = new Ec2ProtocolEndpoint(toy, Map.of("Echo", (ctx, in) -> {
            inputs.add(in.deepCopy());
            return Map.of("Flat", List.of("10.0.0.1", "10.0.0.2"), "FlatShape", List.of("a"),
                    "Nested", List.of("10.0.0.3"), "At", in.get("At"));
        }));

        @Test
        void aQueryNameIsTheParameterName() {
            HttpResponse response = echo.handle(form("Action=Echo&Version=2016-11-15&PrivateIpAddresses.1=10.0.0.1"
                    + "&At=2026-12-07T01:02:03.5%2B01:00&Weight=0.25&Count=9000000000"), Signing.ALICE, "us-east-1", "req-1");

            assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
            JsonNode in = inputs.get(0);
            assertThat(in.get("PrivateIpAddresses").get(0).asText()).isEqualTo("10.0.0.1");
            assertThat(AwsJson.convert(in.get("At"), Instant.class)).isEqualTo(Instant.parse("2026-12-07T00:02:03.5Z"));
            assertThat(in.get("Weight").doubleValue()).isEqualTo(0.25);
            assertThat(in.get("Count").longValue()).isEqualTo(9_000_000_000L);
            assertThat(response.bodyAsString()).endsWith("<requestId>req-1</requestId>"
                    + "<ip>10.0.0.1</ip><ip>10.0.0.2</ip><addr>a</addr><ipSet><item>10.0.0.3</item></ipSet>"
                    + "<at>2026-12-07T00:02:03.500Z</at></EchoResponse>");
        }

        @Test
        void theLocationNameIsNotAParameterNameWhenAQueryNameIsGiven() {
            HttpResponse response = echo.handle(form("Action=Echo&Version=2016-11-15&PrivateIpAddressesSet.1=10.0.0.1"),
                    Signing.ALICE, "us-east-1", "req-1");

            assertError(response, 400, "UnknownParameter", "The parameter PrivateIpAddressesSet is not recognized");
        }
    }

    /** Beside the ECS endpoint behind one front door, as the server will have them. */
    @Nested
    class ThroughTheFrontDoor {

        private final AwsFrontDoor door = new AwsFrontDoor(new SigV4Verifier(Signing.KEYS, Signing.CLOCK),
                List.of(new JsonProtocolEndpoint(JsonProtocolEndpointTest.ECS,
                        Map.of("ListClusters", (ctx, in) -> Map.of("clusterArns", List.of()))), endpoint));

        private HttpRequest signed(String body, Instant at) {
            return Signing.sdkSigned(Signing.formCall(), body, Signing.ALICE_CREDENTIALS, "us-east-1", "ec2", at);
        }

        @Test
        void eachRequestReachesItsProtocol() {
            HttpResponse ec2 = door.handle(signed("Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-1", Signing.NOW));
            HttpResponse ecs = door.handle(Signing.sdkSigned("ListClusters", "{}"));

            assertThat(ec2.status()).isEqualTo(200);
            assertThat(ec2.bodyAsString()).startsWith(XML_HEAD + "<DescribeVpcsResponse" + NS + "><requestId>"
                    + ec2.header("x-amzn-RequestId").orElseThrow() + "</requestId>");
            assertThat(inputs.get(0).get("VpcIds").get(0).asText()).isEqualTo("vpc-1");
            assertThat(ecs.bodyAsString()).isEqualTo("{\"clusterArns\":[]}");
        }

        @Test
        void signatureFailuresAreWrittenInEc2Xml() {
            HttpResponse stale = door.handle(signed("Action=DescribeVpcs&Version=2016-11-15",
                    Signing.NOW.minusSeconds(600)));
            HttpResponse unsigned = door.handle(form("Action=DescribeVpcs&Version=2016-11-15"));
            HttpResponse forEcs = door.handle(Signing.sdkSigned(Signing.formCall(), "Action=DescribeVpcs&Version=2016-11-15",
                    Signing.ALICE_CREDENTIALS, "us-east-1", "ecs", Signing.NOW));

            assertThat(stale.status()).isEqualTo(400);
            assertThat(stale.bodyAsString()).contains("<Code>RequestExpired</Code><Message>Request has expired.</Message>");
            assertThat(unsigned.status()).isEqualTo(401);
            assertThat(unsigned.bodyAsString()).contains("<Code>MissingAuthenticationToken</Code>");
            assertThat(forEcs.status()).isEqualTo(401);
            assertThat(forEcs.bodyAsString()).contains("<Code>AuthFailure</Code>");
            assertThat(inputs).isEmpty();
        }
    }
}
