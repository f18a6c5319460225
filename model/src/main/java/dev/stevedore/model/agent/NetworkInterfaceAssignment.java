package dev.stevedore.model.agent;

import java.util.Objects;

/**
 * A network interface the control plane made for an {@code awsvpc} task: what the agent needs to
 * give the task's network namespace its address on the subnet. The same facts appear to users as
 * the task's {@code ElasticNetworkInterface} attachment; the subnet's CIDR block is here because
 * the agent builds the subnet's network on its host from it (the VPC router, the subnet's first
 * address plus one, is its gateway, as in AWS).
 *
 * @param attachmentArn       the task attachment this interface is, {@code arn:aws:ecs:…:attachment/…};
 *                            the agent reports its state under this ARN
 * @param networkInterfaceId  {@code eni-…}
 * @param macAddress          the interface's MAC address, {@code 0a:…}
 * @param privateIpv4Address  the task's address on the subnet
 * @param privateDnsName      {@code ip-a-b-c-d.ec2.internal} (or the Region's internal domain)
 * @param subnetId            {@code subnet-…}
 * @param subnetCidrBlock     the subnet's IPv4 CIDR block, e.g. {@code 172.31.16.0/20}
 */
public record NetworkInterfaceAssignment(
        String attachmentArn,
        String networkInterfaceId,
        String macAddress,
        String privateIpv4Address,
        String privateDnsName,
        String subnetId,
        String subnetCidrBlock) {

    public NetworkInterfaceAssignment {
        Objects.requireNonNull(attachmentArn, "attachmentArn");
        Objects.requireNonNull(networkInterfaceId, "networkInterfaceId");
        Objects.requireNonNull(macAddress, "macAddress");
        Objects.requireNonNull(privateIpv4Address, "privateIpv4Address");
        Objects.requireNonNull(privateDnsName, "privateDnsName");
        Objects.requireNonNull(subnetId, "subnetId");
        Objects.requireNonNull(subnetCidrBlock, "subnetCidrBlock");
    }
}
