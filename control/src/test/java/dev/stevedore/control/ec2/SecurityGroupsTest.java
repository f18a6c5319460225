package dev.stevedore.control.ec2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.ec2.AuthorizeSecurityGroupEgressRequest;
import dev.stevedore.model.ec2.AuthorizeSecurityGroupIngressRequest;
import dev.stevedore.model.ec2.AuthorizeSecurityGroupIngressResult;
import dev.stevedore.model.ec2.CreateSecurityGroupRequest;
import dev.stevedore.model.ec2.CreateVpcRequest;
import dev.stevedore.model.ec2.CreateVpcResult;
import dev.stevedore.model.ec2.DeleteSecurityGroupRequest;
import dev.stevedore.model.ec2.DescribeSecurityGroupsRequest;
import dev.stevedore.model.ec2.DescribeSecurityGroupsResult;
import dev.stevedore.model.ec2.Filter;
import dev.stevedore.model.ec2.GroupIdentifier;
import dev.stevedore.model.ec2.IpPermission;
import dev.stevedore.model.ec2.IpRange;
import dev.stevedore.model.ec2.NetworkInterface;
import dev.stevedore.model.ec2.RevokeSecurityGroupEgressRequest;
import dev.stevedore.model.ec2.RevokeSecurityGroupIngressRequest;
import dev.stevedore.model.ec2.RevokeSecurityGroupIngressResult;
import dev.stevedore.model.ec2.SecurityGroup;
import dev.stevedore.model.ec2.Tag;
import dev.stevedore.model.ec2.TagSpecification;
import dev.stevedore.model.ec2.UserIdGroupPair;
import dev.stevedore.store.Txn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityGroupsTest extends Ec2ApiTestBase {
    String vpcId;

    @BeforeEach
    void createVpc() {
        vpcId = newVpc("10.0.0.0/16");
    }

    String create(String name, String vpc) {
        return ec2.call("CreateSecurityGroup", CreateSecurityGroupRequest.builder().groupName(name).description(name + " group")
                .vpcId(vpc).build()).at("/GroupId").asText();
    }

    SecurityGroup describe(String groupId) {
        return ec2.call("DescribeSecurityGroups", DescribeSecurityGroupsRequest.builder().groupIds(List.of(groupId)).build(),
                DescribeSecurityGroupsResult.class).securityGroups().getFirst();
    }

    static IpPermission tcp(int from, int to, String cidr) {
        return IpPermission.builder().ipProtocol("tcp").fromPort(from).toPort(to).ipRanges(List.of(new IpRange(cidr, null))).build();
    }

    @Test
    void createdGroupLetsEverythingOutAndNothingIn() {
        JsonNode created = ec2.call("CreateSecurityGroup", CreateSecurityGroupRequest.builder().groupName("web").description("web tier")
                .vpcId(vpcId).tagSpecifications(List.of(new TagSpecification("security-group", List.of(new Tag("tier", "web"))))).build());
        String groupId = created.at("/GroupId").asText();
        assertThat(groupId).matches("sg-[0-9a-f]{17}");
        assertThat(created.at("/SecurityGroupArn").asText()).isEqualTo("arn:aws:ec2:us-east-1:123456789012:security-group/" + groupId);
        SecurityGroup group = describe(groupId);
        assertThat(group.groupName()).isEqualTo("web");
        assertThat(group.description()).isEqualTo("web tier");
        assertThat(group.vpcId()).isEqualTo(vpcId);
        assertThat(group.ipPermissions()).isEmpty();
        assertThat(group.ipPermissionsEgress()).singleElement().satisfies(p -> {
            assertThat(p.ipProtocol()).isEqualTo("-1");
            assertThat(p.ipRanges()).extracting(IpRange::cidrIp).containsExactly("0.0.0.0/0");
            assertThat(p.ipv6Ranges()).isEmpty();
            assertThat(p.userIdGroupPairs()).isEmpty();
            assertThat(p.prefixListIds()).isEmpty();
        });
        assertThat(group.tags()).containsExactly(new Tag("tier", "web"));
    }

    @Test
    void withoutAVpcTheGroupGoesToTheDefaultVpcAndNamesAreUniquePerVpc() {
        String inDefault = create("app", null);
        String defaultVpc = DefaultVpc.find(ec2.store, Ec2Harness.SCOPE).orElseThrow().vpcId();
        assertThat(describe(inDefault).vpcId()).isEqualTo(defaultVpc);
        create("app", vpcId);
        assertThat(ec2.fails("CreateSecurityGroup", CreateSecurityGroupRequest.builder().groupName("APP").description("x").build(),
                "InvalidGroup.Duplicate").getMessage()).isEqualTo("The security group 'APP' already exists for VPC '" + defaultVpc + "'");
        ec2.fails("CreateSecurityGroup", CreateSecurityGroupRequest.builder().groupName("default").description("x").vpcId(vpcId).build(),
                "InvalidGroup.Reserved");
        ec2.fails("CreateSecurityGroup", CreateSecurityGroupRequest.builder().groupName("sg-1").description("x").build(), "InvalidParameterValue");
        ec2.fails("CreateSecurityGroup", CreateSecurityGroupRequest.builder().description("x").build(), "MissingParameter");
        ec2.fails("CreateSecurityGroup", CreateSecurityGroupRequest.builder().groupName("x").build(), "MissingParameter");
        ec2.fails("CreateSecurityGroup", CreateSecurityGroupRequest.builder().groupName("x").description("x")
                .vpcId("vpc-0123456789abcdef0").build(), "InvalidVpcID.NotFound");

        DescribeSecurityGroupsResult byName = ec2.call("DescribeSecurityGroups",
                DescribeSecurityGroupsRequest.builder().groupNames(List.of("app", "default")).build(), DescribeSecurityGroupsResult.class);
        assertThat(byName.securityGroups()).extracting(SecurityGroup::vpcId).containsOnly(defaultVpc).hasSize(2);
        assertThat(ec2.fails("DescribeSecurityGroups", DescribeSecurityGroupsRequest.builder().groupNames(List.of("nope")).build(),
                "InvalidGroup.NotFound").getMessage()).isEqualTo("The security group 'nope' does not exist in default VPC '" + defaultVpc + "'");
        assertThat(ec2.fails("DescribeSecurityGroups", DescribeSecurityGroupsRequest.builder().groupIds(List.of("sg-0123456789abcdef0")).build(),
                "InvalidGroup.NotFound").getMessage()).isEqualTo("The security group 'sg-0123456789abcdef0' does not exist");
        assertThat(ec2.call("DescribeSecurityGroups", DescribeSecurityGroupsRequest.builder().groupIds(List.of(inDefault)).maxResults(5).build(),
                DescribeSecurityGroupsResult.class).securityGroups()).hasSize(1);
        assertThat(ec2.fails("DescribeSecurityGroups", DescribeSecurityGroupsRequest.builder().groupIds(List.of("web")).build(),
                "InvalidGroupId.Malformed").getMessage()).isEqualTo("Invalid id: \"web\" (expecting \"sg-...\")");
        ec2.fails("DeleteSecurityGroup", DeleteSecurityGroupRequest.builder().groupId("web").build(), "InvalidGroupId.Malformed");
    }

    @Test
    void describeFiltersAndPages() {
        String web = create("web", vpcId);
        create("db", vpcId);
        assertThat(groups(new Filter("group-name", List.of("web")))).containsExactly(web);
        assertThat(groups(new Filter("vpc-id", List.of(vpcId)))).hasSize(3);
        assertThat(groups(new Filter("description", List.of("web*")))).containsExactly(web);
        assertThat(groups(new Filter("group-id", List.of(web)))).containsExactly(web);
        assertThat(groups(new Filter("owner-id", List.of(Ec2Harness.ACCOUNT)))).hasSize(4);
        ec2.fails("DescribeSecurityGroups", DescribeSecurityGroupsRequest.builder().filters(List.of(new Filter("ip-protocol", List.of("x")))).build(),
                "InvalidParameterValue");
        for (int i = 0; i < 4; i++) {
            create("g" + i, vpcId);
        }
        DescribeSecurityGroupsResult first = ec2.call("DescribeSecurityGroups", DescribeSecurityGroupsRequest.builder().maxResults(5).build(),
                DescribeSecurityGroupsResult.class);
        DescribeSecurityGroupsResult second = ec2.call("DescribeSecurityGroups", DescribeSecurityGroupsRequest.builder().maxResults(5)
                .nextToken(first.nextToken()).build(), DescribeSecurityGroupsResult.class);
        assertThat(first.securityGroups()).hasSize(5);
        assertThat(second.securityGroups()).hasSize(3);
        assertThat(second.nextToken()).isNull();
    }

    List<String> groups(Filter filter) {
        return ec2.call("DescribeSecurityGroups", DescribeSecurityGroupsRequest.builder().filters(List.of(filter)).build(),
                DescribeSecurityGroupsResult.class).securityGroups().stream().map(SecurityGroup::groupId).toList();
    }

    @Test
    void rulesAreAddedOnceAndRevokedByPropertiesOrById() {
        String web = create("web", vpcId);
        String lb = create("lb", vpcId);
        AuthorizeSecurityGroupIngressResult added = ec2.call("AuthorizeSecurityGroupIngress", AuthorizeSecurityGroupIngressRequest.builder()
                .groupId(web)
                .ipPermissions(List.of(tcp(80, 80, "10.0.0.0/8"),
                        IpPermission.builder().ipProtocol("6").fromPort(8080).toPort(8080)
                                .userIdGroupPairs(List.of(UserIdGroupPair.builder().groupId(lb).build())).build()))
                .build(), AuthorizeSecurityGroupIngressResult.class);
        assertThat(added.return_()).isTrue();
        assertThat(added.securityGroupRules()).hasSize(2).allSatisfy(r -> {
            assertThat(r.securityGroupRuleId()).matches("sgr-[0-9a-f]{17}");
            assertThat(r.groupId()).isEqualTo(web);
            assertThat(r.isEgress()).isFalse();
            assertThat(r.ipProtocol()).isEqualTo("tcp");
        });
        assertThat(added.securityGroupRules().get(1).referencedGroupInfo().groupId()).isEqualTo(lb);

        SecurityGroup group = describe(web);
        assertThat(group.ipPermissions()).hasSize(2);
        assertThat(groups(new Filter("ip-permission.from-port", List.of("8080")))).containsExactly(web);
        assertThat(groups(new Filter("ip-permission.cidr", List.of("10.0.0.0/8")))).containsExactly(web);
        assertThat(groups(new Filter("ip-permission.group-id", List.of(lb)))).containsExactly(web);
        assertThat(groups(new Filter("egress.ip-permission.protocol", List.of("-1")))).contains(web, lb);
        assertThat(group.ipPermissions().getFirst().ipRanges()).extracting(IpRange::cidrIp).containsExactly("10.0.0.0/8");

        assertThat(ec2.fails("AuthorizeSecurityGroupIngress", AuthorizeSecurityGroupIngressRequest.builder().groupId(web)
                .ipPermissions(List.of(tcp(80, 80, "10.0.0.0/8"))).build(), "InvalidPermission.Duplicate").getMessage())
                .isEqualTo("the specified rule \"peer: 10.0.0.0/8, TCP, from port: 80, to port: 80, ALLOW\" already exists");
        ec2.fails("AuthorizeSecurityGroupIngress", AuthorizeSecurityGroupIngressRequest.builder().groupId(web)
                .ipPermissions(List.of(tcp(90, 80, "10.0.0.0/8"))).build(), "InvalidParameterValue");
        ec2.fails("AuthorizeSecurityGroupIngress", AuthorizeSecurityGroupIngressRequest.builder().groupId(web)
                .ipPermissions(List.of(tcp(443, 443, "10.0.0.1/8"))).build(), "InvalidParameterValue");
        ec2.fails("AuthorizeSecurityGroupIngress", AuthorizeSecurityGroupIngressRequest.builder().groupId(web)
                .ipPermissions(List.of(IpPermission.builder().ipProtocol("bogus").build())).build(), "InvalidParameterValue");
        ec2.fails("AuthorizeSecurityGroupIngress", AuthorizeSecurityGroupIngressRequest.builder().groupId("sg-0123456789abcdef0")
                .ipPermissions(List.of(tcp(443, 443, "10.0.0.0/8"))).build(), "InvalidGroup.NotFound");
        ec2.fails("AuthorizeSecurityGroupIngress", AuthorizeSecurityGroupIngressRequest.builder().groupId(web)
                .ipPermissions(List.of(IpPermission.builder().ipProtocol("tcp").fromPort(1).toPort(1)
                        .userIdGroupPairs(List.of(UserIdGroupPair.builder().groupId("sg-0123456789abcdef0").build())).build())).build(),
                "InvalidGroup.NotFound");

        ec2.fails("RevokeSecurityGroupIngress", RevokeSecurityGroupIngressRequest.builder().groupId(web)
                .ipPermissions(List.of(tcp(80, 80, "10.0.0.0/8"), tcp(22, 22, "10.0.0.0/8"))).build(), "InvalidPermission.NotFound");
        RevokeSecurityGroupIngressResult revoked = ec2.call("RevokeSecurityGroupIngress", RevokeSecurityGroupIngressRequest.builder()
                .groupId(web).ipPermissions(List.of(tcp(80, 80, "10.0.0.0/8"))).build(), RevokeSecurityGroupIngressResult.class);
        assertThat(revoked.return_()).isTrue();
        assertThat(revoked.revokedSecurityGroupRules()).singleElement()
                .satisfies(r -> assertThat(r.securityGroupRuleId()).isEqualTo(added.securityGroupRules().getFirst().securityGroupRuleId()));
        ec2.call("RevokeSecurityGroupIngress", RevokeSecurityGroupIngressRequest.builder().groupId(web)
                .securityGroupRuleIds(List.of(added.securityGroupRules().get(1).securityGroupRuleId())).build());
        assertThat(describe(web).ipPermissions()).isEmpty();
    }

    @Test
    void inTheDefaultVpcRevokingAnUnknownRuleAnswersItBack() {
        String app = create("app", null);
        RevokeSecurityGroupIngressResult result = ec2.call("RevokeSecurityGroupIngress", RevokeSecurityGroupIngressRequest.builder()
                .groupName("app").ipPermissions(List.of(tcp(22, 22, "0.0.0.0/0"))).build(), RevokeSecurityGroupIngressResult.class);
        assertThat(result.return_()).isTrue();
        assertThat(result.unknownIpPermissions()).singleElement().satisfies(p -> assertThat(p.fromPort()).isEqualTo(22));
        assertThat(describe(app).ipPermissions()).isEmpty();
    }

    @Test
    void egressRulesHaveTheirOwnList() {
        String web = create("web", vpcId);
        ec2.call("RevokeSecurityGroupEgress", RevokeSecurityGroupEgressRequest.builder().groupId(web)
                .ipPermissions(List.of(IpPermission.builder().ipProtocol("-1").ipRanges(List.of(new IpRange("0.0.0.0/0", null))).build()))
                .build());
        assertThat(describe(web).ipPermissionsEgress()).isEmpty();
        ec2.call("AuthorizeSecurityGroupEgress", AuthorizeSecurityGroupEgressRequest.builder().groupId(web)
                .ipPermissions(List.of(tcp(443, 443, "0.0.0.0/0"))).build());
        ec2.fails("AuthorizeSecurityGroupEgress", AuthorizeSecurityGroupEgressRequest.builder().groupId(web)
                .ipPermissions(List.of(tcp(443, 443, "0.0.0.0/0"))).build(), "InvalidPermission.Duplicate");
        SecurityGroup group = describe(web);
        assertThat(group.ipPermissionsEgress()).singleElement().satisfies(p -> assertThat(p.toPort()).isEqualTo(443));
        assertThat(group.ipPermissions()).isEmpty();
    }

    @Test
    void defaultGroupsReferencedGroupsAndGroupsInUseCannotBeDeleted() {
        String defaultGroup = groups(new Filter("vpc-id", List.of(vpcId))).getFirst();
        assertThat(ec2.fails("DeleteSecurityGroup", DeleteSecurityGroupRequest.builder().groupId(defaultGroup).build(), "CannotDelete")
                .getMessage()).isEqualTo("the specified group: \"" + defaultGroup + "\" name: \"default\" cannot be deleted by a user");

        String web = create("web", vpcId);
        String lb = create("lb", vpcId);
        ec2.call("AuthorizeSecurityGroupIngress", AuthorizeSecurityGroupIngressRequest.builder().groupId(web)
                .ipPermissions(List.of(IpPermission.builder().ipProtocol("tcp").fromPort(80).toPort(80)
                        .userIdGroupPairs(List.of(UserIdGroupPair.builder().groupId(lb).build())).build())).build());
        assertThat(ec2.fails("DeleteSecurityGroup", DeleteSecurityGroupRequest.builder().groupId(lb).build(), "DependencyViolation")
                .getMessage()).isEqualTo("resource " + lb + " has a dependent object");

        String eni = "eni-0123456789abcdef0";
        ec2.store.commit(Txn.builder().put(Ec2Keys.networkInterface(Ec2Harness.SCOPE, eni), Records.encode(NetworkInterface.builder()
                .networkInterfaceId(eni).vpcId(vpcId).groups(List.of(new GroupIdentifier(web, "web"))).build())).build());
        ec2.fails("DeleteSecurityGroup", DeleteSecurityGroupRequest.builder().groupId(web).build(), "DependencyViolation");
        ec2.store.commit(Txn.builder().delete(Ec2Keys.networkInterface(Ec2Harness.SCOPE, eni)).build());

        ec2.call("DeleteSecurityGroup", DeleteSecurityGroupRequest.builder().groupId(web).build());
        ec2.call("DeleteSecurityGroup", DeleteSecurityGroupRequest.builder().groupId(lb).build());
        ec2.fails("DeleteSecurityGroup", DeleteSecurityGroupRequest.builder().groupId(lb).build(), "InvalidGroup.NotFound");

        create("byname", null);
        JsonNode deleted = ec2.call("DeleteSecurityGroup", DeleteSecurityGroupRequest.builder().groupName("byname").build());
        assertThat(deleted.at("/Return").asBoolean()).isTrue();
        assertThat(deleted.at("/GroupId").asText()).startsWith("sg-");
    }
}
