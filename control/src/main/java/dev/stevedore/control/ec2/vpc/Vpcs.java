package dev.stevedore.control.ec2.vpc;

import dev.stevedore.control.ec2.Ec2Ids;
import dev.stevedore.control.ec2.Ipv4Cidr;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.model.ec2.BlockPublicAccessStates;
import dev.stevedore.model.ec2.Tag;
import dev.stevedore.model.ec2.Vpc;
import dev.stevedore.model.ec2.VpcCidrBlockAssociation;
import dev.stevedore.model.ec2.VpcCidrBlockState;

import java.util.List;

/** How a VPC record is made, for CreateVpc and for the default VPC alike. */
public final class Vpcs {
    private Vpcs() {
    }

    /** An available VPC with one IPv4 block. */
    public static Vpc newVpc(EcsScope scope, String vpcId, Ipv4Cidr cidr, boolean isDefault, String tenancy, List<Tag> tags) {
        return Vpc.builder()
                .vpcId(vpcId)
                .ownerId(scope.accountId())
                .state("available")
                .cidrBlock(cidr.toString())
                .cidrBlockAssociationSet(List.of(VpcCidrBlockAssociation.builder()
                        .associationId(Ec2Ids.newId("vpc-cidr-assoc"))
                        .cidrBlock(cidr.toString())
                        .cidrBlockState(VpcCidrBlockState.builder().state("associated").build())
                        .build()))
                // EC2 writes "default" when no DHCP options set of the account's own is associated.
                .dhcpOptionsId("default")
                .instanceTenancy(tenancy)
                .isDefault(isDefault)
                .blockPublicAccessStates(BlockPublicAccessStates.builder().internetGatewayBlockMode("off").build())
                .tags(tags)
                .build();
    }

    public static Ipv4Cidr cidrOf(Vpc vpc) {
        return Ipv4Cidr.parse(vpc.cidrBlock())
                .orElseThrow(() -> new IllegalStateException("stored VPC " + vpc.vpcId() + " has no CIDR block"));
    }
}
