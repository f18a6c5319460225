package dev.stevedore.control.ec2;

import dev.stevedore.control.state.Records;
import dev.stevedore.model.ec2.DescribeNetworkInterfacesRequest;
import dev.stevedore.model.ec2.DescribeNetworkInterfacesResult;
import dev.stevedore.model.ec2.Filter;
import dev.stevedore.model.ec2.GroupIdentifier;
import dev.stevedore.model.ec2.NetworkInterface;
import dev.stevedore.model.ec2.NetworkInterfacePrivateIpAddress;
import dev.stevedore.model.ec2.Tag;
import dev.stevedore.store.Txn;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkInterfacesTest extends Ec2ApiTestBase {

    /** Writes an interface as the Fargate path does: straight into the store. */
    String eni(int n, String subnet, String zone, String group, boolean requesterManaged) {
        String id = "eni-%017x".formatted(n);
        String ip = "10.0.0." + (10 + n);
        ec2.store.commit(Txn.builder().put(Ec2Keys.networkInterface(Ec2Harness.SCOPE, id), Records.encode(NetworkInterface.builder()
                .networkInterfaceId(id)
                .subnetId(subnet)
                .vpcId("vpc-0000000000000000a")
                .availabilityZone(zone)
                .privateIpAddress(ip)
                .privateIpAddresses(List.of(NetworkInterfacePrivateIpAddress.builder().primary(true).privateIpAddress(ip).build()))
                .status("in-use")
                .requesterManaged(requesterManaged)
                .description("arn:aws:ecs:us-east-1:123456789012:attachment/" + n)
                .groups(List.of(new GroupIdentifier(group, "g")))
                .macAddress("02:00:00:00:00:%02x".formatted(n))
                .interfaceType("interface")
                .tagSet(n % 2 == 0 ? List.of(new Tag("parity", "even")) : null)
                .build())).build());
        return id;
    }

    List<String> describe(Filter... filters) {
        return ec2.call("DescribeNetworkInterfaces", DescribeNetworkInterfacesRequest.builder().filters(List.of(filters)).build(),
                DescribeNetworkInterfacesResult.class).networkInterfaces().stream().map(NetworkInterface::networkInterfaceId).toList();
    }

    static Filter f(String name, String value) {
        return new Filter(name, List.of(value));
    }

    @Test
    void filtersReachEveryDocumentedField() {
        String a = eni(1, "subnet-0000000000000000a", "us-east-1a", "sg-0000000000000000a", true);
        String b = eni(2, "subnet-0000000000000000b", "us-east-1b", "sg-0000000000000000b", false);
        assertThat(describe()).containsExactly(a, b);
        assertThat(describe(f("network-interface-id", b))).containsExactly(b);
        assertThat(describe(f("subnet-id", "subnet-0000000000000000a"))).containsExactly(a);
        assertThat(describe(f("vpc-id", "vpc-0000000000000000a"))).containsExactly(a, b);
        assertThat(describe(f("availability-zone", "us-east-1b"))).containsExactly(b);
        assertThat(describe(f("private-ip-address", "10.0.0.11"))).containsExactly(a);
        assertThat(describe(f("addresses.private-ip-address", "10.0.0.12"))).containsExactly(b);
        assertThat(describe(f("status", "in-use"))).containsExactly(a, b);
        assertThat(describe(f("requester-managed", "true"))).containsExactly(a);
        assertThat(describe(f("description", "*attachment/2"))).containsExactly(b);
        assertThat(describe(f("group-id", "sg-0000000000000000b"))).containsExactly(b);
        assertThat(describe(f("mac-address", "02:00:00:00:00:01"))).containsExactly(a);
        assertThat(describe(f("tag:parity", "even"))).containsExactly(b);
        ec2.fails("DescribeNetworkInterfaces", DescribeNetworkInterfacesRequest.builder().filters(List.of(f("colour", "x"))).build(),
                "InvalidParameterValue");
    }

    @Test
    void idsMustExistAndCannotBeCombinedWithMaxResults() {
        String a = eni(1, "subnet-0000000000000000a", "us-east-1a", "sg-0000000000000000a", true);
        assertThat(ec2.call("DescribeNetworkInterfaces", DescribeNetworkInterfacesRequest.builder().networkInterfaceIds(List.of(a)).build(),
                DescribeNetworkInterfacesResult.class).networkInterfaces()).hasSize(1);
        assertThat(ec2.fails("DescribeNetworkInterfaces", DescribeNetworkInterfacesRequest.builder()
                .networkInterfaceIds(List.of("eni-0123456789abcdef0")).build(), "InvalidNetworkInterfaceID.NotFound").getMessage())
                .isEqualTo("The networkInterface ID 'eni-0123456789abcdef0' does not exist");
        ec2.fails("DescribeNetworkInterfaces", DescribeNetworkInterfacesRequest.builder().networkInterfaceIds(List.of(a)).maxResults(5).build(),
                "InvalidParameterCombination");
    }

    @Test
    void pages() {
        for (int i = 1; i <= 7; i++) {
            eni(i, "subnet-0000000000000000a", "us-east-1a", "sg-0000000000000000a", true);
        }
        DescribeNetworkInterfacesResult first = ec2.call("DescribeNetworkInterfaces",
                DescribeNetworkInterfacesRequest.builder().maxResults(5).build(), DescribeNetworkInterfacesResult.class);
        DescribeNetworkInterfacesResult second = ec2.call("DescribeNetworkInterfaces",
                DescribeNetworkInterfacesRequest.builder().maxResults(5).nextToken(first.nextToken()).build(), DescribeNetworkInterfacesResult.class);
        assertThat(first.networkInterfaces()).hasSize(5);
        assertThat(second.networkInterfaces()).hasSize(2);
        assertThat(second.nextToken()).isNull();
    }
}
