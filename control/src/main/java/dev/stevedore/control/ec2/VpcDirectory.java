package dev.stevedore.control.ec2;

import dev.stevedore.control.ec2.securitygroup.SecurityGroups;
import dev.stevedore.control.ec2.subnet.Subnets;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.model.ec2.SecurityGroup;
import dev.stevedore.model.ec2.Vpc;
import dev.stevedore.model.ec2.Subnet;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the rest of the control plane (the Fargate path giving awsvpc tasks their interfaces) reads
 * of the VPC records: a subnet's placement, a security group, a VPC's default group, a subnet's
 * free addresses. Every
 * lookup first makes sure the scope's default VPC exists, so a task can name a default subnet
 * before any EC2 call was made in its Region.
 */
public final class VpcDirectory {
    private final StateStore store;

    public VpcDirectory(StateStore store) {
        this.store = store;
    }

    /** Where a subnet is: its VPC, zone and address block. */
    public record SubnetPlacement(String subnetId, String vpcId, String availabilityZone, String availabilityZoneId,
                                  Ipv4Cidr cidr, boolean mapPublicIpOnLaunch) {
    }

    public Optional<SubnetPlacement> subnet(EcsScope scope, String subnetId) {
        return subnetRecord(scope, subnetId).map(s -> new SubnetPlacement(s.subnetId(), s.vpcId(), s.availabilityZone(),
                s.availabilityZoneId(), Subnets.cidrOf(s), Boolean.TRUE.equals(s.mapPublicIpOnLaunch())));
    }

    /** A VPC's IPv4 blocks (its primary one and any associated); empty if there is no such VPC. */
    public Optional<List<Ipv4Cidr>> vpcBlocks(EcsScope scope, String vpcId) {
        DefaultVpc.ensure(store, scope);
        return Ec2Records.one(store, Ec2Keys.vpc(scope, vpcId), Vpc.class).map(vpc -> {
            List<String> blocks = new ArrayList<>();
            blocks.add(vpc.cidrBlock());
            if (vpc.cidrBlockAssociationSet() != null) {
                vpc.cidrBlockAssociationSet().forEach(a -> blocks.add(a.cidrBlock()));
            }
            return blocks.stream().distinct().flatMap(b -> Ipv4Cidr.parse(b).stream()).toList();
        });
    }

    public Optional<SecurityGroup> securityGroup(EcsScope scope, String groupId) {
        DefaultVpc.ensure(store, scope);
        return Ec2Records.one(store, Ec2Keys.securityGroup(scope, groupId), SecurityGroup.class);
    }

    /**
     * A VPC's default security group: the one ECS gives an awsvpc task whose network configuration
     * names no security group. Empty if there is no such VPC.
     */
    public Optional<SecurityGroup> defaultSecurityGroup(EcsScope scope, String vpcId) {
        DefaultVpc.ensure(store, scope);
        return Ec2Records.all(store, Ec2Keys.securityGroups(scope), SecurityGroup.class).stream()
                .filter(g -> vpcId.equals(g.vpcId()) && SecurityGroups.isDefault(g))
                .findFirst();
    }

    /** Addresses still free in the subnet (AWS's five reserved ones and claimed ones taken away); empty if no such subnet. */
    public Optional<Long> freeAddressCount(EcsScope scope, String subnetId) {
        return subnetRecord(scope, subnetId).map(s -> Subnets.freeAddresses(store, scope, s));
    }

    private Optional<Subnet> subnetRecord(EcsScope scope, String subnetId) {
        DefaultVpc.ensure(store, scope);
        return Ec2Records.one(store, Ec2Keys.subnet(scope, subnetId), Subnet.class);
    }
}
