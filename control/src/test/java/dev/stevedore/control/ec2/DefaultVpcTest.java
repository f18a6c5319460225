package dev.stevedore.control.ec2;

import dev.stevedore.model.ec2.DescribeSecurityGroupsRequest;
import dev.stevedore.model.ec2.DescribeSecurityGroupsResult;
import dev.stevedore.model.ec2.DescribeSubnetsRequest;
import dev.stevedore.model.ec2.DescribeSubnetsResult;
import dev.stevedore.model.ec2.DescribeVpcsRequest;
import dev.stevedore.model.ec2.DescribeVpcsResult;
import dev.stevedore.model.ec2.SecurityGroup;
import dev.stevedore.model.ec2.Subnet;
import dev.stevedore.model.ec2.Vpc;
import dev.stevedore.control.ecs.EcsScope;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultVpcTest extends Ec2ApiTestBase {

    @Test
    void aNewScopeHasTheDefaultVpcOfANewAwsAccount() {
        List<Vpc> vpcs = ec2.call("DescribeVpcs", DescribeVpcsRequest.builder().build(), DescribeVpcsResult.class).vpcs();
        assertThat(vpcs).singleElement().satisfies(v -> {
            assertThat(v.cidrBlock()).isEqualTo("172.31.0.0/16");
            assertThat(v.isDefault()).isTrue();
            assertThat(v.state()).isEqualTo("available");
        });
        String vpcId = vpcs.getFirst().vpcId();
        List<Subnet> subnets = ec2.call("DescribeSubnets", DescribeSubnetsRequest.builder().build(), DescribeSubnetsResult.class).subnets();
        assertThat(subnets).extracting(Subnet::cidrBlock)
                .containsExactlyInAnyOrder("172.31.0.0/20", "172.31.16.0/20", "172.31.32.0/20");
        assertThat(subnets).extracting(Subnet::availabilityZone)
                .containsExactlyInAnyOrder("us-east-1a", "us-east-1b", "us-east-1c");
        assertThat(subnets).allSatisfy(s -> {
            assertThat(s.vpcId()).isEqualTo(vpcId);
            assertThat(s.defaultForAz()).isTrue();
            assertThat(s.mapPublicIpOnLaunch()).isTrue();
            assertThat(s.availableIpAddressCount()).isEqualTo(4091);
        });
        List<SecurityGroup> groups = ec2.call("DescribeSecurityGroups", DescribeSecurityGroupsRequest.builder().build(),
                DescribeSecurityGroupsResult.class).securityGroups();
        assertThat(groups).singleElement().satisfies(g -> {
            assertThat(g.groupName()).isEqualTo("default");
            assertThat(g.vpcId()).isEqualTo(vpcId);
        });
    }

    @Test
    void eachRegionHasItsOwn() {
        String east = ec2.call("DescribeVpcs", DescribeVpcsRequest.builder().build()).at("/Vpcs/0/VpcId").asText();
        String west = ec2.call("DescribeVpcs", DescribeVpcsRequest.builder().build(), "us-west-2").at("/Vpcs/0/VpcId").asText();
        assertThat(west).isNotEqualTo(east);
        assertThat(ec2.call("DescribeSubnets", DescribeSubnetsRequest.builder().build(), "us-west-2").findValuesAsText("AvailabilityZone"))
                .containsExactlyInAnyOrder("us-west-2a", "us-west-2b", "us-west-2c");
    }

    @Test
    void concurrentFirstUseMakesItOnce() throws Exception {
        EcsScope scope = new EcsScope(Ec2Harness.ACCOUNT, "eu-west-1");
        CyclicBarrier start = new CyclicBarrier(2);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Runnable firstUse = () -> {
            try {
                start.await();
                DefaultVpc.ensure(ec2.store, scope);
            } catch (Throwable t) {
                failures.add(t);
            }
        };
        Thread a = Thread.ofPlatform().start(firstUse);
        Thread b = Thread.ofPlatform().start(firstUse);
        a.join();
        b.join();
        assertThat(failures).isEmpty();
        assertThat(ec2.stored(Ec2Keys.vpcs(scope), Vpc.class)).hasSize(1);
        assertThat(ec2.stored(Ec2Keys.subnets(scope), Subnet.class)).hasSize(3);
        assertThat(ec2.stored(Ec2Keys.securityGroups(scope), SecurityGroup.class)).hasSize(1);

        DefaultVpc.ensure(ec2.store, scope);
        assertThat(ec2.stored(Ec2Keys.vpcs(scope), Vpc.class)).hasSize(1);
    }

    @Test
    void aDeletedDefaultVpcStaysDeleted() {
        List<Subnet> subnets = ec2.call("DescribeSubnets", DescribeSubnetsRequest.builder().build(), DescribeSubnetsResult.class).subnets();
        subnets.forEach(s -> ec2.call("DeleteSubnet", new dev.stevedore.model.ec2.DeleteSubnetRequest(null, s.subnetId())));
        ec2.call("DeleteVpc", new dev.stevedore.model.ec2.DeleteVpcRequest(null, subnets.getFirst().vpcId()));
        assertThat(ec2.call("DescribeVpcs", DescribeVpcsRequest.builder().build(), DescribeVpcsResult.class).vpcs()).isEmpty();
        ec2.fails("CreateSecurityGroup", dev.stevedore.model.ec2.CreateSecurityGroupRequest.builder()
                .groupName("x").description("x").build(), "VPCIdNotSpecified");
    }
}
