package dev.stevedore.control.ec2;

import dev.stevedore.control.ecs.EcsScope;

/**
 * Where each EC2 (VPC) record lives in the store: {@code /ec2/{account}/{region}/…}, beside and
 * apart from the ECS records under {@code /ecs/}, so the cluster feed never sees them.
 *
 * <p>Values are the JSON of the generated {@code dev.stevedore.model.ec2} records ({@code Vpc},
 * {@code Subnet}, {@code SecurityGroup}, {@code NetworkInterface}), tags included in each; an
 * address claim is an {@link AddressClaim}.
 */
public final class Ec2Keys {
    private Ec2Keys() {
    }

    public static String prefix(EcsScope s) {
        return "/ec2/" + s.accountId() + "/" + s.region() + "/";
    }

    public static String vpcs(EcsScope s) {
        return prefix(s) + "vpcs/";
    }

    public static String vpc(EcsScope s, String vpcId) {
        return vpcs(s) + vpcId;
    }

    public static String subnets(EcsScope s) {
        return prefix(s) + "subnets/";
    }

    public static String subnet(EcsScope s, String subnetId) {
        return subnets(s) + subnetId;
    }

    public static String securityGroups(EcsScope s) {
        return prefix(s) + "security-groups/";
    }

    public static String securityGroup(EcsScope s, String groupId) {
        return securityGroups(s) + groupId;
    }

    public static String networkInterfaces(EcsScope s) {
        return prefix(s) + "network-interfaces/";
    }

    public static String networkInterface(EcsScope s, String eniId) {
        return networkInterfaces(s) + eniId;
    }

    /**
     * The addresses taken in a subnet, one key each. Whoever gives a task an address creates its key
     * on the condition that it does not exist, in the same transaction as the interface record, so
     * no address is ever handed out twice; a subnet with any key here is in use.
     */
    public static String subnetAddresses(EcsScope s, String subnetId) {
        return prefix(s) + "subnet-addresses/" + subnetId + "/";
    }

    public static String subnetAddress(EcsScope s, String subnetId, String ipv4Address) {
        return subnetAddresses(s, subnetId) + ipv4Address;
    }

    /** Written once the scope's default VPC, its default subnets and default security group exist; holds the VPC id. */
    public static String defaultVpcMarker(EcsScope s) {
        return prefix(s) + "default-vpc";
    }
}
