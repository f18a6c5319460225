package dev.stevedore.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeSubnetsResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagDescription;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;
import software.amazon.awssdk.services.ec2.model.VpcState;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The EC2 VPC API through the unmodified AWS SDK for Java v2: its paginators follow our NextToken,
 * its waiters accept our states, its group rules round-trip, and our refusals arrive as
 * {@link Ec2Exception}s with EC2's codes and HTTP statuses.
 */
class Ec2SdkIT {
    static InProcessStevedore stevedore;
    static Ec2Client ec2;

    @BeforeAll
    static void start() {
        stevedore = InProcessStevedore.start();
        ec2 = stevedore.ec2();
    }

    @AfterAll
    static void stop() {
        ec2.close();
        stevedore.close();
    }

    @Test
    void paginatorsCollectEveryPageAndWaitersSeeVpcsAndSubnetsAvailable() {
        String vpcId = ec2.createVpc(b -> b.cidrBlock("10.80.0.0/16")).vpc().vpcId();
        assertThat(ec2.waiter().waitUntilVpcAvailable(b -> b.vpcIds(vpcId)).matched().response()).isPresent();
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String cidr = "10.80." + i + ".0/24";
            made.add(ec2.createSubnet(b -> b.vpcId(vpcId).cidrBlock(cidr).tagSpecifications(t -> t
                    .resourceType(ResourceType.SUBNET).tags(Tag.builder().key("sdk").value(cidr).build())))
                    .subnet().subnetId());
        }
        ec2.waiter().waitUntilSubnetAvailable(b -> b.subnetIds(made));

        Filter inVpc = Filter.builder().name("vpc-id").values(vpcId).build();
        List<DescribeSubnetsResponse> pages = ec2.describeSubnetsPaginator(b -> b.filters(inVpc).maxResults(5))
                .stream().toList();
        assertThat(pages).extracting(p -> p.subnets().size()).containsExactly(5, 2);
        assertThat(pages.getLast().nextToken()).isNull();
        assertThat(pages.stream().flatMap(p -> p.subnets().stream()).map(Subnet::subnetId))
                .containsExactlyInAnyOrderElementsOf(made);

        List<TagDescription> tags = ec2.describeTagsPaginator(b -> b.maxResults(5)
                .filters(Filter.builder().name("key").values("sdk").build())).tags().stream().toList();
        assertThat(tags).hasSize(7).extracting(TagDescription::resourceId).containsExactlyInAnyOrderElementsOf(made);
        assertThat(ec2.describeVpcs(b -> b.vpcIds(vpcId)).vpcs().getFirst().state()).isEqualTo(VpcState.AVAILABLE);
    }

    @Test
    void aRuleNamingAnotherGroupRoundTripsThroughTheSdk() {
        String vpcId = ec2.createVpc(b -> b.cidrBlock("10.81.0.0/16")).vpc().vpcId();
        String web = ec2.createSecurityGroup(b -> b.vpcId(vpcId).groupName("web").description("web")).groupId();
        String db = ec2.createSecurityGroup(b -> b.vpcId(vpcId).groupName("db").description("db")).groupId();

        var authorized = ec2.authorizeSecurityGroupIngress(b -> b.groupId(db).ipPermissions(IpPermission.builder()
                .ipProtocol("tcp").fromPort(5432).toPort(5432)
                .userIdGroupPairs(UserIdGroupPair.builder().groupId(web).description("from web").build()).build()));
        assertThat(authorized.returnValue()).isTrue();
        assertThat(authorized.securityGroupRules()).singleElement().satisfies(rule -> {
            assertThat(rule.securityGroupRuleId()).startsWith("sgr-");
            assertThat(rule.referencedGroupInfo().groupId()).isEqualTo(web);
            assertThat(rule.isEgress()).isFalse();
        });

        SecurityGroup described = ec2.describeSecurityGroupsPaginator(b -> b.maxResults(5)
                        .filters(Filter.builder().name("vpc-id").values(vpcId).build()))
                .securityGroups().stream().filter(g -> g.groupId().equals(db)).findFirst().orElseThrow();
        assertThat(described.ipPermissions()).singleElement().satisfies(p -> {
            assertThat(p.fromPort()).isEqualTo(5432);
            assertThat(p.userIdGroupPairs()).singleElement().satisfies(pair -> {
                assertThat(pair.groupId()).isEqualTo(web);
                assertThat(pair.userId()).isEqualTo(InProcessStevedore.ACCOUNT);
                assertThat(pair.description()).isEqualTo("from web");
            });
        });
        // A group another group's rule names is in use.
        assertThatThrownBy(() -> ec2.deleteSecurityGroup(b -> b.groupId(web)))
                .isInstanceOfSatisfying(Ec2Exception.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("DependencyViolation"));
    }

    @Test
    void blocksWithHostBitsSetAreMadeInTheirCanonicalForm() {
        var vpc = ec2.createVpc(b -> b.cidrBlock("10.85.7.9/16")).vpc();
        assertThat(vpc.cidrBlock()).isEqualTo("10.85.0.0/16");
        var subnet = ec2.createSubnet(b -> b.vpcId(vpc.vpcId()).cidrBlock("10.85.1.200/24")).subnet();
        assertThat(subnet.cidrBlock()).isEqualTo("10.85.1.0/24");
    }

    @Test
    void refusalsArriveAsEc2ExceptionsWithEc2sCodes() {
        String vpcId = ec2.createVpc(b -> b.cidrBlock("10.82.0.0/16")).vpc().vpcId();
        ec2.createSubnet(b -> b.vpcId(vpcId).cidrBlock("10.82.0.0/24"));
        AccountState before = AccountState.of(ec2);

        assertCode(() -> ec2.describeVpcs(b -> b.vpcIds("vpc-0000000000000000a")), "InvalidVpcID.NotFound", 400,
                "The vpc ID 'vpc-0000000000000000a' does not exist");
        assertCode(() -> ec2.describeSubnets(b -> b.subnetIds("subnet-0000000000000000a")), "InvalidSubnetID.NotFound", 400,
                "The subnet ID 'subnet-0000000000000000a' does not exist");
        assertCode(() -> ec2.createSubnet(b -> b.vpcId(vpcId).cidrBlock("10.82.0.0/25")), "InvalidSubnet.Conflict", 400,
                "The CIDR '10.82.0.0/25' conflicts with another subnet");
        assertCode(() -> ec2.describeSubnets(b -> b.maxResults(3)), "InvalidParameterValue", 400,
                "Expecting a value greater than 5.");
        assertCode(() -> ec2.describeSecurityGroups(b -> b.groupIds("sg-0000000000000000a")), "InvalidGroup.NotFound",
                400, "The security group 'sg-0000000000000000a' does not exist");
        // A dry run that would succeed is still an error, with HTTP 412, and makes nothing.
        assertCode(() -> ec2.createVpc(b -> b.cidrBlock("10.83.0.0/16").dryRun(true)), "DryRunOperation", 412,
                "Request would have succeeded, but DryRun flag is set.");
        String defaultGroup = ec2.describeSecurityGroups(b -> b.filters(
                        Filter.builder().name("vpc-id").values(vpcId).build(),
                        Filter.builder().name("group-name").values("default").build()))
                .securityGroups().getFirst().groupId();
        assertCode(() -> ec2.deleteSecurityGroup(b -> b.groupId(defaultGroup)), "CannotDelete", 400,
                "cannot be deleted by a user");

        assertThat(AccountState.of(ec2)).isEqualTo(before);
    }

    private static void assertCode(Runnable call, String code, int status, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(Ec2Exception.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorMessage()).contains(message);
            assertThat(e.requestId()).isNotBlank();
        });
    }
}
