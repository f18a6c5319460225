package dev.stevedore.control.ec2.subnet;

import dev.stevedore.control.ec2.AvailabilityZones;
import dev.stevedore.control.ec2.Ec2Ids;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ec2.Ipv4Cidr;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.model.ec2.BlockPublicAccessStates;
import dev.stevedore.model.ec2.PrivateDnsNameOptionsOnLaunch;
import dev.stevedore.model.ec2.Subnet;
import dev.stevedore.model.ec2.Tag;
import dev.stevedore.store.StateStore;

import java.util.List;

/**
 * How a subnet record is made and how many addresses it has left. The stored record leaves
 * {@code AvailableIpAddressCount} out: it changes with every address taken, so it is counted from
 * the subnet's address keys when the subnet is described.
 */
public final class Subnets {
    private Subnets() {
    }

    public static Subnet newSubnet(EcsScope scope, String subnetId, String vpcId, Ipv4Cidr cidr,
                                   AvailabilityZones.Zone zone, boolean defaultForAz, List<Tag> tags) {
        return Subnet.builder()
                .subnetId(subnetId)
                .subnetArn(Ec2Ids.arn(scope, "subnet", subnetId))
                .vpcId(vpcId)
                .ownerId(scope.accountId())
                .state("available")
                .cidrBlock(cidr.toString())
                .availabilityZone(zone.name())
                .availabilityZoneId(zone.id())
                .defaultForAz(defaultForAz)
                .mapPublicIpOnLaunch(defaultForAz)
                .assignIpv6AddressOnCreation(false)
                .ipv6CidrBlockAssociationSet(List.of())
                .mapCustomerOwnedIpOnLaunch(false)
                .enableDns64(false)
                .ipv6Native(false)
                .privateDnsNameOptionsOnLaunch(PrivateDnsNameOptionsOnLaunch.builder()
                        .hostnameType("ip-name")
                        .enableResourceNameDnsARecord(false)
                        .enableResourceNameDnsAAAARecord(false)
                        .build())
                .blockPublicAccessStates(BlockPublicAccessStates.builder().internetGatewayBlockMode("off").build())
                .tags(tags)
                .build();
    }

    public static Ipv4Cidr cidrOf(Subnet subnet) {
        return Ipv4Cidr.parse(subnet.cidrBlock())
                .orElseThrow(() -> new IllegalStateException("stored subnet " + subnet.subnetId() + " has no CIDR block"));
    }

    /** Addresses of the block less AWS's five reserved ones and those already claimed. */
    public static long freeAddresses(StateStore store, EcsScope scope, Subnet subnet) {
        long claimed = store.range(Ec2Keys.subnetAddresses(scope, subnet.subnetId())).size();
        return Math.max(0, cidrOf(subnet).usableCount() - claimed);
    }

    /** The subnet as Describe answers it, with its free address count. */
    public static Subnet withAvailableCount(StateStore store, EcsScope scope, Subnet subnet) {
        return subnet.toBuilder().availableIpAddressCount((int) freeAddresses(store, scope, subnet)).build();
    }
}
