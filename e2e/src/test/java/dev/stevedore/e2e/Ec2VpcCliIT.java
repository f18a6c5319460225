package dev.stevedore.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The EC2 VPC API through the real AWS CLI v2, as a user types it: the default network of a fresh
 * account, VPCs and subnets with tags, filters, the CLI's own paging and waiters, security groups and
 * their rules, tags, Availability Zones, and refusals that change nothing. Each test makes its own VPC,
 * so the tests share one server without depending on each other. What a test only needs to exist is
 * made with the SDK: each CLI run costs about a second of start-up.
 */
@StartEarly
class Ec2VpcCliIT {
    static InProcessStevedore stevedore;
    static AwsCli aws;
    static Ec2Client ec2;

    @BeforeAll
    static void start() {
        stevedore = InProcessStevedore.start();
        aws = new AwsCli(stevedore.plane.endpoint());
        ec2 = stevedore.ec2();
    }

    @AfterAll
    static void stop() {
        ec2.close();
        stevedore.close();
    }

    @Test
    void aFreshAccountHasTheDefaultVpcWithADefaultSubnetPerZoneAndTheDefaultSecurityGroup() {
        JsonNode vpcs = aws.ok("ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true");
        assertThat(vpcs.get("Vpcs")).hasSize(1);
        JsonNode vpc = vpcs.at("/Vpcs/0");
        String vpcId = vpc.path("VpcId").asText();
        assertThat(vpcId).matches("vpc-[0-9a-f]{17}");
        assertThat(vpc.path("CidrBlock").asText()).isEqualTo("172.31.0.0/16");
        assertThat(vpc.path("State").asText()).isEqualTo("available");
        assertThat(vpc.path("OwnerId").asText()).isEqualTo(InProcessStevedore.ACCOUNT);
        assertThat(vpc.path("IsDefault").asBoolean()).isTrue();

        JsonNode subnets = aws.ok("ec2", "describe-subnets", "--filters", "Name=vpc-id,Values=" + vpcId,
                "Name=default-for-az,Values=true", "--query",
                "sort_by(Subnets, &AvailabilityZone)[].[AvailabilityZone,CidrBlock,AvailableIpAddressCount,MapPublicIpOnLaunch]");
        assertThat(subnets.toString()).isEqualTo("[[\"us-east-1a\",\"172.31.0.0/20\",4091,true],"
                + "[\"us-east-1b\",\"172.31.16.0/20\",4091,true],[\"us-east-1c\",\"172.31.32.0/20\",4091,true]]");

        JsonNode groups = aws.ok("ec2", "describe-security-groups", "--filters", "Name=vpc-id,Values=" + vpcId,
                "Name=group-name,Values=default");
        assertThat(groups.get("SecurityGroups")).hasSize(1);
        JsonNode group = groups.at("/SecurityGroups/0");
        String groupId = group.path("GroupId").asText();
        assertThat(groupId).matches("sg-[0-9a-f]{17}");
        assertThat(group.path("Description").asText()).isEqualTo("default VPC security group");
        // Members of the group reach each other; everything may leave.
        assertThat(group.at("/IpPermissions/0/IpProtocol").asText()).isEqualTo("-1");
        assertThat(group.at("/IpPermissions/0/UserIdGroupPairs/0/GroupId").asText()).isEqualTo(groupId);
        assertThat(group.at("/IpPermissionsEgress/0/IpRanges/0/CidrIp").asText()).isEqualTo("0.0.0.0/0");

        // No task has run: no interface exists (FargateSubnetsIT shows the ones tasks get).
        assertThat(aws.ok("ec2", "describe-network-interfaces").get("NetworkInterfaces")).isEmpty();

        JsonNode zones = aws.ok("ec2", "describe-availability-zones", "--query",
                "AvailabilityZones[?State=='available'].[ZoneName,ZoneId,RegionName]");
        assertThat(zones.toString()).isEqualTo("[[\"us-east-1a\",\"use1-az1\",\"us-east-1\"],"
                + "[\"us-east-1b\",\"use1-az2\",\"us-east-1\"],[\"us-east-1c\",\"use1-az3\",\"us-east-1\"]]");
        JsonNode one = aws.ok("ec2", "describe-availability-zones", "--zone-names", "us-east-1b");
        assertThat(one.at("/AvailabilityZones/0/ZoneType").asText()).isEqualTo("availability-zone");
        assertThat(one.at("/AvailabilityZones/0/GroupName").asText()).isEqualTo("us-east-1-zg-1");
        assertThat(one.get("AvailabilityZones")).hasSize(1);
    }

    @Test
    void vpcsAndSubnetsAreMadeTaggedFilteredAndPagedAsTheCliExpects() {
        JsonNode created = aws.ok("ec2", "create-vpc", "--cidr-block", "10.20.0.0/16", "--tag-specifications",
                "ResourceType=vpc,Tags=[{Key=Name,Value=cli-paging},{Key=team,Value=blue}]");
        String vpcId = created.at("/Vpc/VpcId").asText();
        assertThat(created.at("/Vpc/CidrBlock").asText()).isEqualTo("10.20.0.0/16");
        assertThat(created.at("/Vpc/IsDefault").asBoolean()).isFalse();
        assertThat(created.at("/Vpc/Tags").toString()).contains("cli-paging");
        aws.ok("ec2", "wait", "vpc-available", "--vpc-ids", vpcId);

        JsonNode byTag = aws.ok("ec2", "describe-vpcs", "--filters", "Name=tag:Name,Values=cli-paging",
                "--query", "Vpcs[].[VpcId,State,CidrBlock]");
        assertThat(byTag.toString()).isEqualTo("[[\"" + vpcId + "\",\"available\",\"10.20.0.0/16\"]]");

        // Six subnets, so that pages of five need a second page.
        List<String> zones = List.of("us-east-1a", "us-east-1b", "us-east-1c", "us-east-1a", "us-east-1b", "us-east-1c");
        List<String> subnetIds = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            String tier = i < 3 ? "web" : "db";
            String cidr = "10.20." + i + ".0/24";
            if (i < 2) {
                JsonNode subnet = aws.ok("ec2", "create-subnet", "--vpc-id", vpcId, "--cidr-block", cidr,
                        "--availability-zone", zones.get(i), "--tag-specifications",
                        "[{\"ResourceType\":\"subnet\",\"Tags\":[{\"Key\":\"tier\",\"Value\":\"" + tier + "\"}"
                                + (i == 0 ? ",{\"Key\":\"first\",\"Value\":\"\"}" : "") + "]}]");
                assertThat(subnet.at("/Subnet/AvailableIpAddressCount").asInt()).as("a /24 less AWS's five").isEqualTo(251);
                assertThat(subnet.at("/Subnet/Tags/0/Value").asText()).isEqualTo(tier);
                subnetIds.add(subnet.at("/Subnet/SubnetId").asText());
            } else {
                int zone = i;
                subnetIds.add(ec2.createSubnet(b -> b.vpcId(vpcId).cidrBlock(cidr).availabilityZone(zones.get(zone))
                        .tagSpecifications(t -> t.resourceType(ResourceType.SUBNET)
                                .tags(Tag.builder().key("tier").value(tier).build()))).subnet().subnetId());
            }
        }
        aws.ok("ec2", "wait", "subnet-available", "--subnet-ids", subnetIds.get(0), subnetIds.get(5));

        String inVpc = "Name=vpc-id,Values=" + vpcId;
        assertThat(ids(aws.ok("ec2", "describe-subnets", "--filters", inVpc, "--page-size", "5"), "Subnets", "SubnetId"))
                .as("the CLI follows NextToken to the last page").containsExactlyInAnyOrderElementsOf(subnetIds);
        JsonNode firstPage = aws.ok("ec2", "describe-subnets", "--filters", inVpc, "--max-items", "4", "--page-size", "5");
        assertThat(firstPage.get("Subnets")).hasSize(4);
        assertThat(firstPage.path("NextToken").asText()).isNotEmpty();
        JsonNode rest = aws.ok("ec2", "describe-subnets", "--filters", inVpc, "--page-size", "5",
                "--starting-token", firstPage.path("NextToken").asText());
        Set<String> paged = new HashSet<>(ids(firstPage, "Subnets", "SubnetId"));
        paged.addAll(ids(rest, "Subnets", "SubnetId"));
        assertThat(rest.get("Subnets")).hasSize(2);
        assertThat(paged).containsExactlyInAnyOrderElementsOf(subnetIds);

        JsonNode webInB = aws.ok("ec2", "describe-subnets", "--filters", inVpc, "Name=availability-zone,Values=us-east-1b",
                "Name=tag:tier,Values=web", "--query", "Subnets[].SubnetId");
        assertThat(webInB.toString()).isEqualTo("[\"" + subnetIds.get(1) + "\"]");
        JsonNode withKey = aws.ok("ec2", "describe-subnets", "--filters", "Name=tag-key,Values=first",
                "--query", "Subnets[].CidrBlock");
        assertThat(withKey.toString()).isEqualTo("[\"10.20.0.0/24\"]");
        JsonNode db = aws.ok("ec2", "describe-subnets", "--filters", inVpc, "Name=tag:tier,Values=db",
                "--query", "length(Subnets)");
        assertThat(db.asInt()).isEqualTo(3);

        aws.ok("ec2", "delete-subnet", "--subnet-id", subnetIds.getFirst());
        subnetIds.subList(1, subnetIds.size()).forEach(id -> ec2.deleteSubnet(b -> b.subnetId(id)));
        aws.ok("ec2", "delete-vpc", "--vpc-id", vpcId);
        String gone = aws.fails("InvalidVpcID.NotFound", "ec2", "describe-vpcs", "--vpc-ids", vpcId);
        assertThat(gone).contains("The vpc ID '" + vpcId + "' does not exist");
        assertThat(aws.ok("ec2", "describe-subnets", "--filters", inVpc).get("Subnets")).isEmpty();
    }

    @Test
    void securityGroupRulesAreAuthorizedDescribedAndRevoked() {
        String vpcId = aws.ok("ec2", "create-vpc", "--cidr-block", "10.30.0.0/16").at("/Vpc/VpcId").asText();
        JsonNode created = aws.ok("ec2", "create-security-group", "--group-name", "cli-web", "--description", "web tier",
                "--vpc-id", vpcId, "--tag-specifications", "ResourceType=security-group,Tags=[{Key=app,Value=web}]");
        String groupId = created.path("GroupId").asText();
        assertThat(groupId).matches("sg-[0-9a-f]{17}");
        aws.ok("ec2", "wait", "security-group-exists", "--group-ids", groupId);

        JsonNode shorthand = aws.ok("ec2", "authorize-security-group-ingress", "--group-id", groupId,
                "--protocol", "tcp", "--port", "80", "--cidr", "10.0.0.0/8");
        assertThat(shorthand.path("Return").asBoolean()).isTrue();
        assertThat(shorthand.at("/SecurityGroupRules/0/SecurityGroupRuleId").asText()).startsWith("sgr-");
        assertThat(shorthand.at("/SecurityGroupRules/0/IsEgress").asBoolean()).isFalse();
        aws.ok("ec2", "authorize-security-group-ingress", "--group-id", groupId, "--ip-permissions",
                "[{\"IpProtocol\":\"tcp\",\"FromPort\":8000,\"ToPort\":8100,\"IpRanges\":[{\"CidrIp\":\"192.168.0.0/16\","
                        + "\"Description\":\"office\"},{\"CidrIp\":\"172.16.0.0/12\"}]}]");
        aws.ok("ec2", "authorize-security-group-egress", "--group-id", groupId, "--ip-permissions",
                "[{\"IpProtocol\":\"udp\",\"FromPort\":53,\"ToPort\":53,\"IpRanges\":[{\"CidrIp\":\"10.30.0.2/32\"}]}]");

        JsonNode group = aws.ok("ec2", "describe-security-groups", "--group-ids", groupId).at("/SecurityGroups/0");
        assertThat(group.path("GroupName").asText()).isEqualTo("cli-web");
        assertThat(group.path("VpcId").asText()).isEqualTo(vpcId);
        assertThat(group.at("/Tags/0/Key").asText()).isEqualTo("app");
        assertThat(rules(group.get("IpPermissions"))).containsExactlyInAnyOrder(
                "tcp 80-80 10.0.0.0/8", "tcp 8000-8100 192.168.0.0/16 (office)", "tcp 8000-8100 172.16.0.0/12");
        assertThat(rules(group.get("IpPermissionsEgress"))).containsExactlyInAnyOrder(
                "-1 -1--1 0.0.0.0/0", "udp 53-53 10.30.0.2/32");

        JsonNode byRule = aws.ok("ec2", "describe-security-groups", "--filters", "Name=vpc-id,Values=" + vpcId,
                "Name=ip-permission.from-port,Values=8000", "--query", "SecurityGroups[].GroupName");
        assertThat(byRule.toString()).isEqualTo("[\"cli-web\"]");

        String duplicate = aws.fails("InvalidPermission.Duplicate", "ec2", "authorize-security-group-ingress",
                "--group-id", groupId, "--protocol", "tcp", "--port", "80", "--cidr", "10.0.0.0/8");
        assertThat(duplicate).contains("10.0.0.0/8");

        aws.ok("ec2", "revoke-security-group-ingress", "--group-id", groupId, "--protocol", "tcp", "--port", "80",
                "--cidr", "10.0.0.0/8");
        aws.ok("ec2", "revoke-security-group-egress", "--group-id", groupId, "--ip-permissions",
                "[{\"IpProtocol\":\"udp\",\"FromPort\":53,\"ToPort\":53,\"IpRanges\":[{\"CidrIp\":\"10.30.0.2/32\"}]}]");
        JsonNode after = aws.ok("ec2", "describe-security-groups", "--group-ids", groupId).at("/SecurityGroups/0");
        assertThat(rules(after.get("IpPermissions"))).containsExactlyInAnyOrder(
                "tcp 8000-8100 192.168.0.0/16 (office)", "tcp 8000-8100 172.16.0.0/12");
        assertThat(rules(after.get("IpPermissionsEgress"))).containsExactly("-1 -1--1 0.0.0.0/0");

        aws.ok("ec2", "delete-security-group", "--group-id", groupId);
        aws.fails("InvalidGroup.NotFound", "ec2", "describe-security-groups", "--group-ids", groupId);
    }

    @Test
    void tagsAreCreatedListedAndDeletedOnVpcsSubnetsAndGroups() {
        String vpcId = ec2.createVpc(b -> b.cidrBlock("10.40.0.0/16")).vpc().vpcId();
        String subnetId = ec2.createSubnet(b -> b.vpcId(vpcId).cidrBlock("10.40.1.0/24")).subnet().subnetId();
        String groupId = ec2.createSecurityGroup(b -> b.groupName("cli-tags").description("tags").vpcId(vpcId)).groupId();

        aws.ok("ec2", "create-tags", "--resources", vpcId, subnetId, groupId,
                "--tags", "Key=env,Value=test", "Key=owner,Value=cli");
        JsonNode listed = aws.ok("ec2", "describe-tags", "--filters", "Name=key,Values=env",
                "Name=resource-id,Values=" + vpcId + "," + subnetId + "," + groupId,
                "--query", "Tags[].[ResourceType,ResourceId,Value]");
        assertThat(listed.toString()).contains("[\"vpc\",\"" + vpcId + "\",\"test\"]",
                "[\"subnet\",\"" + subnetId + "\",\"test\"]", "[\"security-group\",\"" + groupId + "\",\"test\"]");
        assertThat(listed).hasSize(3);

        // A value given to delete-tags must match; a key alone deletes whatever the value.
        aws.ok("ec2", "delete-tags", "--resources", vpcId, subnetId, "--tags", "Key=env", "Key=owner,Value=someone-else");
        JsonNode left = aws.ok("ec2", "describe-tags", "--filters",
                "Name=resource-id,Values=" + vpcId + "," + subnetId + "," + groupId,
                "--query", "sort_by(Tags, &Key)[].[ResourceId,Key]");
        assertThat(left).hasSize(4);
        assertThat(left.toString()).contains("[\"" + groupId + "\",\"env\"]", "[\"" + vpcId + "\",\"owner\"]",
                "[\"" + subnetId + "\",\"owner\"]", "[\"" + groupId + "\",\"owner\"]");
        JsonNode onVpc = aws.ok("ec2", "describe-vpcs", "--vpc-ids", vpcId, "--query", "Vpcs[0].Tags");
        assertThat(onVpc.toString()).isEqualTo("[{\"Key\":\"owner\",\"Value\":\"cli\"}]");
    }

    @Test
    void refusedRequestsAnswerEc2sErrorsAndChangeNothing() {
        String vpcId = ec2.createVpc(b -> b.cidrBlock("10.60.0.0/16")).vpc().vpcId();
        ec2.createSubnet(b -> b.vpcId(vpcId).cidrBlock("10.60.1.0/24"));
        String groupId = ec2.createSecurityGroup(b -> b.groupName("cli-refused").description("x").vpcId(vpcId)).groupId();
        ec2.authorizeSecurityGroupIngress(b -> b.groupId(groupId).ipProtocol("tcp").fromPort(22).toPort(22)
                .cidrIp("10.60.0.0/16"));
        AccountState before = AccountState.of(ec2);

        assertRefused(before, "InvalidVpcID.NotFound", "The vpc ID 'vpc-0123456789abcdef0' does not exist",
                "ec2", "create-subnet", "--vpc-id", "vpc-0123456789abcdef0", "--cidr-block", "10.60.2.0/24");
        assertRefused(before, "InvalidSubnet.Range", "The CIDR '10.61.0.0/24' is invalid.",
                "ec2", "create-subnet", "--vpc-id", vpcId, "--cidr-block", "10.61.0.0/24");
        assertRefused(before, "InvalidSubnet.Conflict", "The CIDR '10.60.1.128/25' conflicts with another subnet",
                "ec2", "create-subnet", "--vpc-id", vpcId, "--cidr-block", "10.60.1.128/25");
        assertRefused(before, "InvalidVpc.Range", "The CIDR '10.0.0.0/8' is invalid.",
                "ec2", "create-vpc", "--cidr-block", "10.0.0.0/8");
        assertRefused(before, "InvalidParameterValue",
                "Value (10.70.0.300/16) for parameter cidrBlock is invalid. This is not a valid CIDR block.",
                "ec2", "create-vpc", "--cidr-block", "10.70.0.300/16");
        assertRefused(before, "DependencyViolation", "The vpc '" + vpcId + "' has dependencies and cannot be deleted.",
                "ec2", "delete-vpc", "--vpc-id", vpcId);
        assertRefused(before, "InvalidGroup.Duplicate", "The security group 'cli-refused' already exists for VPC '" + vpcId + "'",
                "ec2", "create-security-group", "--group-name", "cli-refused", "--description", "y", "--vpc-id", vpcId);
        assertRefused(before, "InvalidPermission.Duplicate",
                "the specified rule \"peer: 10.60.0.0/16, TCP, from port: 22, to port: 22, ALLOW\" already exists",
                "ec2", "authorize-security-group-ingress", "--group-id", groupId, "--protocol", "tcp", "--port", "22",
                "--cidr", "10.60.0.0/16");
        // CidrBlock is optional in the model (IPAM pools), so the CLI sends the call and EC2 refuses it.
        assertRefused(before, "MissingParameter", "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.",
                "ec2", "create-vpc");
        // Every Action of EC2's version reaches Stevedore; one it does not serve is EC2's InvalidAction.
        assertRefused(before, "InvalidAction", "The action DescribeInstances is not valid for this web service.",
                "ec2", "describe-instances");
    }

    /** The CLI fails with EC2's code and message, and the account's network is as {@code before}. */
    private static void assertRefused(AccountState before, String code, String message, String... args) {
        String stderr = aws.fails(code, args);
        assertThat(stderr).contains(message);
        assertThat(AccountState.of(ec2)).as("after %s", String.join(" ", args)).isEqualTo(before);
    }

    private static List<String> ids(JsonNode answer, String list, String field) {
        List<String> out = new ArrayList<>();
        answer.path(list).forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    /** Each IPv4 range of each permission as {@code protocol from-to cidr (description)}. */
    private static List<String> rules(JsonNode permissions) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : permissions) {
            String head = p.path("IpProtocol").asText() + " " + p.path("FromPort").asInt(-1) + "-" + p.path("ToPort").asInt(-1);
            for (JsonNode range : p.path("IpRanges")) {
                out.add(head + " " + range.path("CidrIp").asText()
                        + (range.has("Description") ? " (" + range.path("Description").asText() + ")" : ""));
            }
        }
        return out;
    }
}
