package dev.stevedore.control.ec2;

import dev.stevedore.control.state.Records;
import dev.stevedore.model.ec2.CreateSubnetRequest;
import dev.stevedore.model.ec2.CreateSubnetResult;
import dev.stevedore.model.ec2.CreateVpcRequest;
import dev.stevedore.model.ec2.CreateVpcResult;
import dev.stevedore.model.ec2.DeleteSubnetRequest;
import dev.stevedore.model.ec2.DescribeSubnetsRequest;
import dev.stevedore.model.ec2.DescribeSubnetsResult;
import dev.stevedore.model.ec2.Filter;
import dev.stevedore.model.ec2.Subnet;
import dev.stevedore.model.ec2.Tag;
import dev.stevedore.model.ec2.TagSpecification;
import dev.stevedore.store.Txn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SubnetsTest extends Ec2ApiTestBase {
    String vpcId;

    @BeforeEach
    void createVpc() {
        vpcId = newVpc("10.0.0.0/16");
    }

    Subnet create(String cidr) {
        return ec2.call("CreateSubnet", CreateSubnetRequest.builder().vpcId(vpcId).cidrBlock(cidr).build(), CreateSubnetResult.class).subnet();
    }

    List<Subnet> describe(Filter... filters) {
        return ec2.call("DescribeSubnets", DescribeSubnetsRequest.builder().filters(List.of(filters)).build(),
                DescribeSubnetsResult.class).subnets();
    }

    @Test
    void createdSubnetHasItsZoneBlockTagsAndFreeAddresses() {
        Subnet s = ec2.call("CreateSubnet", CreateSubnetRequest.builder().vpcId(vpcId).cidrBlock("10.0.1.0/24")
                .availabilityZone("us-east-1b")
                .tagSpecifications(List.of(new TagSpecification("subnet", List.of(new Tag("Name", "app"))))).build(),
                CreateSubnetResult.class).subnet();
        assertThat(s.subnetId()).matches("subnet-[0-9a-f]{17}");
        assertThat(s.subnetArn()).isEqualTo("arn:aws:ec2:us-east-1:123456789012:subnet/" + s.subnetId());
        assertThat(s.availabilityZone()).isEqualTo("us-east-1b");
        assertThat(s.availabilityZoneId()).isEqualTo("use1-az2");
        assertThat(s.availableIpAddressCount()).isEqualTo(251);
        assertThat(s.defaultForAz()).isFalse();
        assertThat(s.mapPublicIpOnLaunch()).isFalse();
        assertThat(s.state()).isEqualTo("available");
        assertThat(s.tags()).containsExactly(new Tag("Name", "app"));

        Subnet byZoneId = ec2.call("CreateSubnet", CreateSubnetRequest.builder().vpcId(vpcId).cidrBlock("10.0.2.0/28")
                .availabilityZoneId("use1-az3").build(), CreateSubnetResult.class).subnet();
        assertThat(byZoneId.availabilityZone()).isEqualTo("us-east-1c");
        assertThat(byZoneId.availableIpAddressCount()).isEqualTo(11);
        assertThat(create("10.0.3.0/24").availabilityZone()).isEqualTo("us-east-1a");
    }

    @Test
    void blocksOutsideTheVpcOrOverlappingOrOfTheWrongSizeAreRefused() {
        create("10.0.0.0/24");
        ec2.fails("CreateSubnet", CreateSubnetRequest.builder().vpcId(vpcId).cidrBlock("10.1.0.0/24").build(), "InvalidSubnet.Range");
        ec2.fails("CreateSubnet", CreateSubnetRequest.builder().vpcId(vpcId).cidrBlock("10.0.0.0/29").build(), "InvalidSubnet.Range");
        ec2.fails("CreateSubnet", CreateSubnetRequest.builder().vpcId(vpcId).cidrBlock("10.0.0.0/15").build(), "InvalidSubnet.Range");
        assertThat(ec2.fails("CreateSubnet", CreateSubnetRequest.builder().vpcId(vpcId).cidrBlock("10.0.0.128/25").build(),
                "InvalidSubnet.Conflict").getMessage()).isEqualTo("The CIDR '10.0.0.128/25' conflicts with another subnet");
        ec2.fails("CreateSubnet", CreateSubnetRequest.builder().vpcId(vpcId).cidrBlock("10.0.0.0/").build(), "InvalidParameterValue");
        // Host bits are cleared, as EC2 does, before the block is checked against its siblings.
        ec2.fails("CreateSubnet", CreateSubnetRequest.builder().vpcId(vpcId).cidrBlock("10.0.0.77/24").build(), "InvalidSubnet.Conflict");
        assertThat(create("10.0.9.77/24").cidrBlock()).isEqualTo("10.0.9.0/24");
        ec2.fails("CreateSubnet", CreateSubnetRequest.builder().vpcId("vpc-0123456789abcdef0").cidrBlock("10.0.5.0/24").build(),
                "InvalidVpcID.NotFound");
        assertThat(ec2.fails("CreateSubnet", CreateSubnetRequest.builder().vpcId(vpcId).cidrBlock("10.0.5.0/24")
                .availabilityZone("us-east-1z").build(), "InvalidParameterValue").getMessage())
                .isEqualTo("Value (us-east-1z) for parameter availabilityZone is invalid. Subnets can currently only be created "
                        + "in the following availability zones: us-east-1a, us-east-1b, us-east-1c.");
        ec2.fails("CreateSubnet", CreateSubnetRequest.builder().vpcId(vpcId).cidrBlock("10.0.5.0/24")
                .availabilityZone("eu-west-1a").build(), "InvalidParameterValue");
        ec2.fails("CreateSubnet", CreateSubnetRequest.builder().vpcId(vpcId).cidrBlock("10.0.5.0/24")
                .availabilityZoneId("use1-az9").build(), "InvalidParameterValue");
    }

    @Test
    void overlappingSubnetsCreatedAtOnceCannotBothSucceed() throws Exception {
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.ConcurrentLinkedQueue<Throwable> outcomes = new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (String cidr : List.of("10.0.0.0/24", "10.0.0.0/25")) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    create(cidr);
                } catch (Throwable t) {
                    outcomes.add(t);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(outcomes).singleElement().satisfies(t -> assertThat(t).isInstanceOf(dev.stevedore.awsproto.AwsException.class)
                .extracting(e -> ((dev.stevedore.awsproto.AwsException) e).code()).isEqualTo("InvalidSubnet.Conflict"));
        assertThat(describe(new Filter("vpc-id", List.of(vpcId)))).hasSize(1);
    }

    @Test
    void describeFiltersAndPages() {
        Subnet a = create("10.0.0.0/24");
        Subnet b = create("10.0.1.0/24");
        assertThat(describe(new Filter("vpc-id", List.of(vpcId)))).extracting(Subnet::subnetId).containsExactlyInAnyOrder(a.subnetId(), b.subnetId());
        assertThat(describe(new Filter("cidr-block", List.of("10.0.1.0/24")))).extracting(Subnet::subnetId).containsExactly(b.subnetId());
        assertThat(describe(new Filter("cidr", List.of("10.0.0.0/24")))).extracting(Subnet::subnetId).containsExactly(a.subnetId());
        assertThat(describe(new Filter("subnet-id", List.of(a.subnetId())))).hasSize(1);
        assertThat(describe(new Filter("default-for-az", List.of("true")))).hasSize(3)
                .allSatisfy(s -> assertThat(s.mapPublicIpOnLaunch()).isTrue());
        assertThat(describe(new Filter("availability-zone", List.of(a.availabilityZone())), new Filter("vpc-id", List.of(vpcId))))
                .extracting(Subnet::subnetId).containsExactly(a.subnetId());
        assertThat(describe(new Filter("availability-zone-id", List.of("use1-az1")))).hasSize(2);
        assertThat(describe(new Filter("state", List.of("available")))).hasSize(5);
        ec2.fails("DescribeSubnets", DescribeSubnetsRequest.builder().filters(List.of(new Filter("nope", List.of("x")))).build(),
                "InvalidParameterValue");
        ec2.fails("DescribeSubnets", DescribeSubnetsRequest.builder().subnetIds(List.of("subnet-0123456789abcdef0")).build(),
                "InvalidSubnetID.NotFound");

        List<String> seen = new ArrayList<>();
        DescribeSubnetsResult page = ec2.call("DescribeSubnets", DescribeSubnetsRequest.builder().maxResults(5).build(), DescribeSubnetsResult.class);
        assertThat(page.nextToken()).isNull();
        page = ec2.call("DescribeSubnets", DescribeSubnetsRequest.builder().maxResults(5).build(), DescribeSubnetsResult.class);
        page.subnets().forEach(s -> seen.add(s.subnetId()));
        create("10.0.2.0/24");
        page = ec2.call("DescribeSubnets", DescribeSubnetsRequest.builder().maxResults(5).build(), DescribeSubnetsResult.class);
        assertThat(page.subnets()).hasSize(5);
        assertThat(page.nextToken()).isNotNull();
        DescribeSubnetsResult rest = ec2.call("DescribeSubnets", DescribeSubnetsRequest.builder().maxResults(5).nextToken(page.nextToken()).build(),
                DescribeSubnetsResult.class);
        assertThat(rest.subnets()).hasSize(1);
        assertThat(rest.nextToken()).isNull();
        assertThat(seen).hasSize(5);
    }

    @Test
    void claimedAddressesCountAgainstTheSubnetAndKeepItFromBeingDeleted() {
        Subnet s = create("10.0.0.0/24");
        claim(s.subnetId(), "10.0.0.4");
        claim(s.subnetId(), "10.0.0.5");
        assertThat(describe(new Filter("subnet-id", List.of(s.subnetId())))).singleElement()
                .satisfies(d -> assertThat(d.availableIpAddressCount()).isEqualTo(249));
        assertThat(new VpcDirectory(ec2.store).freeAddressCount(Ec2Harness.SCOPE, s.subnetId())).hasValue(249L);

        assertThat(ec2.fails("DeleteSubnet", new DeleteSubnetRequest(null, s.subnetId()), "DependencyViolation").getMessage())
                .isEqualTo("The subnet '" + s.subnetId() + "' has dependencies and cannot be deleted.");
        ec2.store.commit(Txn.builder()
                .delete(Ec2Keys.subnetAddress(Ec2Harness.SCOPE, s.subnetId(), "10.0.0.4"))
                .delete(Ec2Keys.subnetAddress(Ec2Harness.SCOPE, s.subnetId(), "10.0.0.5"))
                .build());
        ec2.call("DeleteSubnet", new DeleteSubnetRequest(null, s.subnetId()));
        assertThat(describe(new Filter("vpc-id", List.of(vpcId)))).isEmpty();
        ec2.fails("DeleteSubnet", new DeleteSubnetRequest(null, s.subnetId()), "InvalidSubnetID.NotFound");
    }

    @Test
    void directoryAnswersASubnetsPlacement() {
        Subnet s = create("10.0.8.0/22");
        VpcDirectory directory = new VpcDirectory(ec2.store);
        assertThat(directory.subnet(Ec2Harness.SCOPE, s.subnetId())).hasValueSatisfying(p -> {
            assertThat(p.vpcId()).isEqualTo(vpcId);
            assertThat(p.availabilityZone()).isEqualTo(s.availabilityZone());
            assertThat(p.cidr().toString()).isEqualTo("10.0.8.0/22");
        });
        assertThat(directory.subnet(Ec2Harness.SCOPE, "subnet-0123456789abcdef0")).isEmpty();
        var defaultGroup = directory.defaultSecurityGroup(Ec2Harness.SCOPE, vpcId).orElseThrow();
        assertThat(defaultGroup.groupName()).isEqualTo("default");
        assertThat(defaultGroup.vpcId()).isEqualTo(vpcId);
        assertThat(directory.securityGroup(Ec2Harness.SCOPE, defaultGroup.groupId())).hasValue(defaultGroup);
        assertThat(directory.securityGroup(Ec2Harness.SCOPE, "sg-0123456789abcdef0")).isEmpty();
        assertThat(directory.freeAddressCount(Ec2Harness.SCOPE, "subnet-0123456789abcdef0")).isEmpty();
    }

    void claim(String subnetId, String ip) {
        ec2.store.commit(Txn.builder()
                .put(Ec2Keys.subnetAddress(Ec2Harness.SCOPE, subnetId, ip),
                        Records.encode(new AddressClaim("eni-0123456789abcdef0", "arn:aws:ecs:us-east-1:123456789012:task/c/t")))
                .build());
    }
}
