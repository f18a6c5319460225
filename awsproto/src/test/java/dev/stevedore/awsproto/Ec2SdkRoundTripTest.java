package dev.stevedore.awsproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.model.ec2.AuthorizeSecurityGroupIngressResult;
import dev.stevedore.model.ec2.CreateVpcRequest;
import dev.stevedore.model.ec2.CreateVpcResult;
import dev.stevedore.model.ec2.DescribeNetworkInterfacesResult;
import dev.stevedore.model.ec2.DescribeVpcsResult;
import dev.stevedore.model.ec2.NetworkInterface;
import dev.stevedore.model.ec2.NetworkInterfaceAttachment;
import dev.stevedore.model.ec2.SecurityGroupRule;
import dev.stevedore.model.ec2.VpcCidrBlockAssociation;
import dev.stevedore.model.ec2.VpcCidrBlockState;
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
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupIngressResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Tenancy;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcState;

/**
 * The real AWS SDK for Java v2 EC2 client (and, where installed, the AWS CLI v2) against an
 * {@link Ec2ProtocolEndpoint} behind the front door, over HTTP on 127.0.0.1, signed and verified for real.
 */
class Ec2SdkRoundTripTest {

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final Instant ATTACHED = Instant.parse("2026-12-07T01:02:03.456Z");

    private final RecordingHandlers handlers = new RecordingHandlers();
    private final List<ObjectNode> inputs = handlers.inputs();
    private final List<CallContext> calls = handlers.calls();

    private final Ec2ProtocolEndpoint ec2 = new Ec2ProtocolEndpoint(ServiceSpec.load("ec2-2016-11-15"), Map.of(
            "DescribeVpcs", handlers.recording((ctx, in) -> DescribeVpcsResult.builder().vpcs(List.of(
                    dev.stevedore.model.ec2.Vpc.builder().vpcId("vpc-1").cidrBlock("10.0.0.0/16").state("available")
                            .isDefault(true).ownerId(ctx.principal().accountId())
                            .cidrBlockAssociationSet(List.of(VpcCidrBlockAssociation.builder()
                                    .associationId("vpc-cidr-assoc-1").cidrBlock("10.0.0.0/16")
                                    .cidrBlockState(new VpcCidrBlockState("associated", null)).build()))
                            .tags(List.of(new dev.stevedore.model.ec2.Tag("Name", "main & <only>"))).build(),
                    dev.stevedore.model.ec2.Vpc.builder().vpcId("vpc-2").isDefault(false).tags(List.of()).build()))
                    .build()),
            "CreateVpc", handlers.recording((ctx, in) -> {
                CreateVpcRequest request = AwsJson.convert(in, CreateVpcRequest.class);
                return new CreateVpcResult(dev.stevedore.model.ec2.Vpc.builder().vpcId("vpc-new")
                        .cidrBlock(request.cidrBlock()).instanceTenancy(request.instanceTenancy()).state("pending")
                        .isDefault(false).tags(request.tagSpecifications().get(0).tags()).build());
            }),
            "DescribeNetworkInterfaces", handlers.recording((ctx, in) -> DescribeNetworkInterfacesResult.builder()
                    .networkInterfaces(List.of(NetworkInterface.builder().networkInterfaceId("eni-1")
                            .attachment(NetworkInterfaceAttachment.builder().attachTime(ATTACHED)
                                    .deleteOnTermination(true).deviceIndex(1).status("attached").build())
                            .build())).build()),
            "DeleteVpc", handlers.recording((ctx, in) -> {
                throw AwsException.clientError("InvalidVpcID.NotFound",
                        "The vpc ID '" + in.get("VpcId").asText() + "' does not exist");
            }),
            "DeleteSubnet", handlers.recording((ctx, in) -> null),
            "AuthorizeSecurityGroupIngress", handlers.recording((ctx, in) -> new AuthorizeSecurityGroupIngressResult(true,
                    List.of(SecurityGroupRule.builder().securityGroupRuleId("sgr-1").groupId(in.get("GroupId").asText())
                            .isEgress(false).ipProtocol("tcp").fromPort(443).toPort(443).cidrIpv4("0.0.0.0/0")
                            .build()))),
            "CreateSecurityGroup", handlers.recording((ctx, in) -> Map.of("GroupId", "sg-1"))));

    private final LoopbackHttpServer server = new LoopbackHttpServer(
            new AwsFrontDoor(new SigV4Verifier(Signing.KEYS, Clock.systemUTC()), List.of(ec2)));
    private final List<Ec2Client> clients = new ArrayList<>();

    private Ec2Client client(String accessKey, String secret) {
        Ec2Client client = Ec2Client.builder()
                .httpClient(Apache5HttpClient.create())
                .endpointOverride(server.uri())
                .region(Region.EU_WEST_3)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        clients.add(client);
        return client;
    }

    private Ec2Client alice() {
        return client("AKIDALICE", "alice/secret+key");
    }

    @AfterEach
    void close() {
        clients.forEach(Ec2Client::close);
        server.close();
    }

    @Test
    void describeVpcsSendsFiltersAndParsesListsTagsAndBooleans() {
        List<Vpc> vpcs = alice().describeVpcs(b -> b.vpcIds("vpc-1", "vpc-2")
                .filters(Filter.builder().name("vpc-id").values("vpc-1", "vpc-2").build(),
                        Filter.builder().name("state").values("available").build())
                .maxResults(5)).vpcs();

        assertThat(vpcs).hasSize(2);
        Vpc first = vpcs.get(0);
        assertThat(first.vpcId()).isEqualTo("vpc-1");
        assertThat(first.state()).isEqualTo(VpcState.AVAILABLE);
        assertThat(first.isDefault()).isTrue();
        assertThat(first.ownerId()).isEqualTo("123456789012");
        assertThat(first.tags()).containsExactly(Tag.builder().key("Name").value("main & <only>").build());
        assertThat(first.cidrBlockAssociationSet().get(0).cidrBlockState().stateAsString()).isEqualTo("associated");
        assertThat(vpcs.get(1).isDefault()).isFalse();
        assertThat(vpcs.get(1).tags()).isEmpty();
        assertThat(vpcs.get(1).cidrBlock()).isNull();

        assertThat(calls.getFirst().region()).isEqualTo("eu-west-3");
        assertThat(calls.getFirst().principal()).isEqualTo(Signing.ALICE);
        assertThat(inputs.getFirst()).isEqualTo(AwsJson.mapper().valueToTree(Map.of(
                "VpcIds", List.of("vpc-1", "vpc-2"), "MaxResults", 5,
                "Filters", List.of(Map.of("Name", "vpc-id", "Values", List.of("vpc-1", "vpc-2")),
                        Map.of("Name", "state", "Values", List.of("available"))))));
    }

    @Test
    void createVpcEchoesTagSpecificationsThroughTheGeneratedRecords() {
        Vpc vpc = alice().createVpc(b -> b.cidrBlock("10.1.0.0/16").instanceTenancy(Tenancy.DEFAULT)
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.VPC)
                        .tags(Tag.builder().key("Name").value("web tier").build(),
                                Tag.builder().key("cost+centre").value("a=b&c").build()).build())).vpc();

        assertThat(vpc.vpcId()).isEqualTo("vpc-new");
        assertThat(vpc.cidrBlock()).isEqualTo("10.1.0.0/16");
        assertThat(vpc.instanceTenancy()).isEqualTo(Tenancy.DEFAULT);
        assertThat(vpc.state()).isEqualTo(VpcState.PENDING);
        assertThat(vpc.tags()).containsExactly(Tag.builder().key("Name").value("web tier").build(),
                Tag.builder().key("cost+centre").value("a=b&c").build());
    }

    @Test
    void securityGroupRulesNestListsInStructuresInLists() {
        AuthorizeSecurityGroupIngressResponse response = alice().authorizeSecurityGroupIngress(b -> b.groupId("sg-1")
                .ipPermissions(IpPermission.builder().ipProtocol("tcp").fromPort(443).toPort(443)
                        .ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").description("anyone").build(),
                                IpRange.builder().cidrIp("10.0.0.0/8").build()).build()));

        assertThat(response.returnValue()).isTrue();
        assertThat(response.securityGroupRules()).singleElement().satisfies(rule -> {
            assertThat(rule.groupId()).isEqualTo("sg-1");
            assertThat(rule.isEgress()).isFalse();
            assertThat(rule.fromPort()).isEqualTo(443);
        });
        assertThat(inputs.getFirst()).isEqualTo(AwsJson.mapper().valueToTree(Map.of("GroupId", "sg-1",
                "IpPermissions", List.of(Map.of("IpProtocol", "tcp", "FromPort", 443, "ToPort", 443,
                        "IpRanges", List.of(Map.of("CidrIp", "0.0.0.0/0", "Description", "anyone"),
                                Map.of("CidrIp", "10.0.0.0/8")))))));
    }

    @Test
    void timestampsAndNumbersParse() {
        var eni = alice().describeNetworkInterfaces(b -> b.networkInterfaceIds("eni-1"))
                .networkInterfaces().get(0);

        assertThat(eni.attachment().attachTime()).isEqualTo(ATTACHED);
        assertThat(eni.attachment().deleteOnTermination()).isTrue();
        assertThat(eni.attachment().deviceIndex()).isEqualTo(1);
        assertThat(inputs.getFirst().get("NetworkInterfaceIds").get(0).asText()).isEqualTo("eni-1");
    }

    @Test
    void anOperationWithoutOutputSucceeds() {
        assertThat(alice().deleteSubnet(b -> b.subnetId("subnet-1")).sdkHttpResponse().statusCode()).isEqualTo(200);
        assertThat(inputs.getFirst().get("SubnetId").asText()).isEqualTo("subnet-1");
    }

    @Test
    void handlerErrorsReachTheSdkWithCodeAndRequestId() {
        assertThatThrownBy(() -> alice().deleteVpc(b -> b.vpcId("vpc-1")))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidVpcID.NotFound");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The vpc ID 'vpc-1' does not exist");
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.requestId()).matches(UUID).isEqualTo(calls.getFirst().requestId());
                });
    }

    @Test
    void aMissingParameterIsRefusedBeforeTheHandler() {
        assertThatThrownBy(() -> alice().createSecurityGroup(b -> b.groupName("web")))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MissingParameter");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("The request must contain the parameter groupDescription");
                });
        assertThat(calls).isEmpty();
    }

    @Test
    void aWrongSecretIsAnAuthFailure() {
        assertThatThrownBy(() -> client("AKIDALICE", "wrong").describeVpcs())
                .isInstanceOfSatisfying(Ec2Exception.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AuthFailure");
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.requestId()).matches(UUID);
                });
        assertThatThrownBy(() -> client("AKIDMALLORY", "x").describeVpcs())
                .isInstanceOfSatisfying(Ec2Exception.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AuthFailure"));
        assertThat(calls).isEmpty();
    }

    @Test
    void theAwsCliDescribesVpcsAndReportsErrors() throws IOException {
        Assumptions.assumeTrue(AwsCli.installed().isPresent(), "AWS CLI v2 not installed");

        AwsCli.Result described = AwsCli.run(server.uri(), "ec2", "describe-vpcs", "--vpc-ids", "vpc-1", "--filters",
                "Name=vpc-id,Values=vpc-1,vpc-2");
        AwsCli.Result deleted = AwsCli.run(server.uri(), "ec2", "delete-vpc", "--vpc-id", "vpc-1");
        AwsCli.Result created = AwsCli.run(server.uri(), "ec2", "create-vpc", "--cidr-block", "10.2.0.0/16", "--tag-specifications",
                "ResourceType=vpc,Tags=[{Key=Name,Value=web tier+1},{Key=team,Value=a&b}]");

        assertThat(described.exitCode()).as(described.stderr()).isZero();
        JsonNode vpcs = AwsJson.mapper().readTree(described.stdout()).get("Vpcs");
        assertThat(vpcs.get(0).get("VpcId").asText()).isEqualTo("vpc-1");
        assertThat(vpcs.get(0).get("IsDefault").booleanValue()).isTrue();
        assertThat(vpcs.get(0).get("Tags").get(0).get("Value").asText()).isEqualTo("main & <only>");
        assertThat(inputs.getFirst().get("Filters").get(0).get("Values")).hasSize(2);
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        JsonNode tags = AwsJson.mapper().readTree(created.stdout()).get("Vpc").get("Tags");
        assertThat(tags.get(0).get("Value").asText()).isEqualTo("web tier+1");
        assertThat(tags.get(1).get("Value").asText()).isEqualTo("a&b");
        assertThat(deleted.exitCode()).isNotZero();
        assertThat(deleted.stderr()).contains("An error occurred (InvalidVpcID.NotFound) when calling the DeleteVpc "
                + "operation: The vpc ID 'vpc-1' does not exist");
    }
}
