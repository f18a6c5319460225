package dev.stevedore.control.ec2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.model.ec2.CreateSecurityGroupRequest;
import dev.stevedore.model.ec2.CreateSubnetRequest;
import dev.stevedore.model.ec2.CreateVpcRequest;
import dev.stevedore.model.ec2.CreateVpcResult;
import dev.stevedore.model.ec2.DeleteSecurityGroupRequest;
import dev.stevedore.model.ec2.DeleteSubnetRequest;
import dev.stevedore.model.ec2.DeleteVpcRequest;
import dev.stevedore.model.ec2.DescribeSecurityGroupsRequest;
import dev.stevedore.model.ec2.DescribeSecurityGroupsResult;
import dev.stevedore.model.ec2.DescribeVpcsRequest;
import dev.stevedore.model.ec2.DescribeVpcsResult;
import dev.stevedore.model.ec2.Filter;
import dev.stevedore.model.ec2.SecurityGroup;
import dev.stevedore.model.ec2.Tag;
import dev.stevedore.model.ec2.TagSpecification;
import dev.stevedore.model.ec2.Vpc;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VpcsTest extends Ec2ApiTestBase {

    static Filter filter(String name, String... values) {
        return new Filter(name, List.of(values));
    }

    Vpc createVpc(String cidr, Tag... tags) {
        CreateVpcRequest.Builder b = CreateVpcRequest.builder().cidrBlock(cidr);
        if (tags.length > 0) {
            b.tagSpecifications(List.of(new TagSpecification("vpc", List.of(tags))));
        }
        return ec2.call("CreateVpc", b.build(), CreateVpcResult.class).vpc();
    }

    List<Vpc> describe(DescribeVpcsRequest request) {
        return ec2.call("DescribeVpcs", request, DescribeVpcsResult.class).vpcs();
    }

    @Test
    void createdVpcIsAvailableWithItsBlockTagsAndADefaultSecurityGroup() {
        JsonNode created = ec2.call("CreateVpc", CreateVpcRequest.builder().cidrBlock("10.0.0.0/16")
                .tagSpecifications(List.of(new TagSpecification("vpc", List.of(new Tag("Name", "main"))))).build());
        String vpcId = created.at("/Vpc/VpcId").asText();
        assertThat(vpcId).matches("vpc-[0-9a-f]{17}");
        assertThat(created.at("/Vpc/State").asText()).isEqualTo("pending");
        assertThat(created.at("/Vpc/IsDefault").asBoolean(true)).isFalse();
        assertThat(created.at("/Vpc/CidrBlockAssociationSet/0/CidrBlockState/State").asText()).isEqualTo("associated");

        Vpc vpc = describe(DescribeVpcsRequest.builder().vpcIds(List.of(vpcId)).build()).getFirst();
        assertThat(vpc.state()).isEqualTo("available");
        assertThat(vpc.cidrBlock()).isEqualTo("10.0.0.0/16");
        assertThat(vpc.ownerId()).isEqualTo(Ec2Harness.ACCOUNT);
        assertThat(vpc.tags()).containsExactly(new Tag("Name", "main"));

        SecurityGroup group = ec2.call("DescribeSecurityGroups", DescribeSecurityGroupsRequest.builder()
                .filters(List.of(filter("vpc-id", vpcId))).build(), DescribeSecurityGroupsResult.class).securityGroups().getFirst();
        assertThat(group.groupName()).isEqualTo("default");
        assertThat(group.description()).isEqualTo("default VPC security group");
        assertThat(group.ipPermissions()).singleElement().satisfies(p -> {
            assertThat(p.ipProtocol()).isEqualTo("-1");
            assertThat(p.userIdGroupPairs()).singleElement().satisfies(pair -> assertThat(pair.groupId()).isEqualTo(group.groupId()));
        });
        assertThat(group.ipPermissionsEgress()).singleElement().satisfies(p -> {
            assertThat(p.ipProtocol()).isEqualTo("-1");
            assertThat(p.fromPort()).isNull();
            assertThat(p.ipRanges()).singleElement().satisfies(r -> assertThat(r.cidrIp()).isEqualTo("0.0.0.0/0"));
        });
    }

    @Test
    void blocksOutsideSixteenToTwentyEightOrMalformedAreRefused() {
        ec2.fails("CreateVpc", CreateVpcRequest.builder().cidrBlock("10.0.0.0/8").build(), "InvalidVpc.Range");
        assertThat(ec2.fails("CreateVpc", CreateVpcRequest.builder().build(), "MissingParameter").getMessage())
                .isEqualTo("Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.");
        ec2.fails("CreateVpc", CreateVpcRequest.builder().cidrBlock("10.0.0.0/29").build(), "InvalidVpc.Range");
        assertThat(ec2.fails("CreateVpc", CreateVpcRequest.builder().cidrBlock("10.0.0.0/33").build(), "InvalidParameterValue")
                .getMessage()).isEqualTo("Value (10.0.0.0/33) for parameter cidrBlock is invalid. This is not a valid CIDR block.");
        ec2.fails("CreateVpc", CreateVpcRequest.builder().cidrBlock("10.0.0.0/16")
                .tagSpecifications(List.of(new TagSpecification("subnet", List.of(new Tag("a", "b"))))).build(), "InvalidParameterValue");
        ec2.fails("CreateVpc", CreateVpcRequest.builder().cidrBlock("10.0.0.0/16")
                .tagSpecifications(List.of(new TagSpecification("vpc", List.of(new Tag("aws:x", "b"))))).build(), "InvalidParameterValue");
        assertThat(createVpc("10.0.0.0/28").cidrBlock()).isEqualTo("10.0.0.0/28");
    }

    @Test
    void aBlockWithHostBitsSetIsTakenInItsCanonicalForm() {
        Vpc vpc = createVpc("100.68.0.18/18");
        assertThat(vpc.cidrBlock()).isEqualTo("100.68.0.0/18");
        assertThat(vpc.cidrBlockAssociationSet()).extracting(a -> a.cidrBlock()).containsExactly("100.68.0.0/18");
    }

    @Test
    void describeFiltersByEveryDocumentedName() {
        Vpc a = createVpc("10.0.0.0/16", new Tag("env", "prod"), new Tag("team", "red"));
        Vpc b = createVpc("10.1.0.0/16", new Tag("env", "dev"));
        String defaultVpc = describe(DescribeVpcsRequest.builder().filters(List.of(filter("is-default", "true"))).build())
                .getFirst().vpcId();
        assertThat(ids(filter("vpc-id", a.vpcId()))).containsExactly(a.vpcId());
        assertThat(ids(filter("cidr", "10.1.0.0/16"))).containsExactly(b.vpcId());
        assertThat(ids(filter("cidr-block-association.cidr-block", "10.0.0.0/16"))).containsExactly(a.vpcId());
        assertThat(ids(filter("is-default", "false"))).containsExactlyInAnyOrder(a.vpcId(), b.vpcId());
        assertThat(ids(filter("state", "available"))).containsExactlyInAnyOrder(a.vpcId(), b.vpcId(), defaultVpc);
        assertThat(ids(filter("owner-id", Ec2Harness.ACCOUNT))).hasSize(3);
        assertThat(ids(filter("tag:env", "prod", "dev"))).containsExactlyInAnyOrder(a.vpcId(), b.vpcId());
        assertThat(ids(filter("tag:env", "pr*"))).containsExactly(a.vpcId());
        assertThat(ids(filter("tag-key", "team"))).containsExactly(a.vpcId());
        assertThat(ids(filter("tag:env", "dev"), filter("cidr", "10.0.0.0/16"))).isEmpty();
        assertThat(ec2.fails("DescribeVpcs", DescribeVpcsRequest.builder().filters(List.of(filter("colour", "x"))).build(),
                "InvalidParameterValue").getMessage()).isEqualTo("The filter 'colour' is invalid");
    }

    List<String> ids(Filter... filters) {
        return describe(DescribeVpcsRequest.builder().filters(List.of(filters)).build()).stream().map(Vpc::vpcId).toList();
    }

    @Test
    void aDryRunChangesNothing() {
        ec2.fails("CreateVpc", CreateVpcRequest.builder().cidrBlock("10.0.0.0/16").dryRun(true).build(), "DryRunOperation");
        assertThat(describe(DescribeVpcsRequest.builder().build())).hasSize(1);
    }

    @Test
    void unknownIdsAreNamedInTheError() {
        Vpc a = createVpc("10.0.0.0/16");
        assertThat(ec2.fails("DescribeVpcs", DescribeVpcsRequest.builder().vpcIds(List.of(a.vpcId(), "vpc-0123456789abcdef0")).build(),
                "InvalidVpcID.NotFound").getMessage()).isEqualTo("The vpc ID 'vpc-0123456789abcdef0' does not exist");
        ec2.fails("DeleteVpc", new DeleteVpcRequest(null, "vpc-0123456789abcdef0"), "InvalidVpcID.NotFound");
    }

    @Test
    void pagesCoverEveryVpcOnceInIdOrder() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            created.add(createVpc("10." + i + ".0.0/16").vpcId());
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            DescribeVpcsResult page = ec2.call("DescribeVpcs", DescribeVpcsRequest.builder()
                    .filters(List.of(filter("is-default", "false"))).maxResults(5).nextToken(token).build(), DescribeVpcsResult.class);
            assertThat(page.vpcs().size()).isLessThanOrEqualTo(5);
            page.vpcs().forEach(v -> seen.add(v.vpcId()));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(created.stream().sorted().toList());

        assertThat(ec2.fails("DescribeVpcs", DescribeVpcsRequest.builder().maxResults(4).build(), "InvalidParameterValue").getMessage())
                .isEqualTo("Value ( 4 ) for parameter maxResults is invalid. Expecting a value greater than 5.");
        ec2.fails("DescribeVpcs", DescribeVpcsRequest.builder().maxResults(1001).build(), "InvalidParameterValue");
        ec2.fails("DescribeVpcs", DescribeVpcsRequest.builder().nextToken("garbage").build(), "InvalidParameterValue");
    }

    @Test
    void aVpcWithSubnetsOrGroupsCannotBeDeletedAndTakesItsDefaultGroupWhenItGoes() {
        Vpc vpc = createVpc("10.0.0.0/16");
        String subnetId = ec2.call("CreateSubnet", CreateSubnetRequest.builder().vpcId(vpc.vpcId()).cidrBlock("10.0.1.0/24").build())
                .at("/Subnet/SubnetId").asText();
        String groupId = ec2.call("CreateSecurityGroup", CreateSecurityGroupRequest.builder()
                .vpcId(vpc.vpcId()).groupName("web").description("web").build()).at("/GroupId").asText();

        assertThat(ec2.fails("DeleteVpc", new DeleteVpcRequest(null, vpc.vpcId()), "DependencyViolation").getMessage())
                .isEqualTo("The vpc '" + vpc.vpcId() + "' has dependencies and cannot be deleted.");
        ec2.call("DeleteSubnet", new DeleteSubnetRequest(null, subnetId));
        ec2.fails("DeleteVpc", new DeleteVpcRequest(null, vpc.vpcId()), "DependencyViolation");
        ec2.call("DeleteSecurityGroup", DeleteSecurityGroupRequest.builder().groupId(groupId).build());

        ec2.call("DeleteVpc", new DeleteVpcRequest(null, vpc.vpcId()));
        assertThat(ec2.stored(Ec2Keys.vpcs(Ec2Harness.SCOPE), Vpc.class)).extracting(Vpc::vpcId).doesNotContain(vpc.vpcId());
        assertThat(ec2.stored(Ec2Keys.securityGroups(Ec2Harness.SCOPE), SecurityGroup.class))
                .noneMatch(g -> vpc.vpcId().equals(g.vpcId()));
    }
}
