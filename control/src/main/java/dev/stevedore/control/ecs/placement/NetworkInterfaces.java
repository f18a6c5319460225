package dev.stevedore.control.ecs.placement;

import dev.stevedore.control.ec2.AddressClaim;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.task.TaskAttachments;
import dev.stevedore.model.ec2.GroupIdentifier;
import dev.stevedore.model.ec2.NetworkInterface;
import dev.stevedore.model.ec2.NetworkInterfaceAttachment;
import dev.stevedore.model.ec2.NetworkInterfacePrivateIpAddress;
import dev.stevedore.model.ecs.Task;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Makes the network interface of an {@code awsvpc} task once the applier has chosen its subnet and
 * address: the EC2 record DescribeNetworkInterfaces shows (requester-managed, described by the
 * task's attachment ARN, as ECS's interfaces are), the subnet address claim, and the task with its
 * {@code ElasticNetworkInterface} attachment, all written in the batch that creates the task.
 */
final class NetworkInterfaces {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The account ECS's own interfaces name as their requester; ours are made by the platform, not a user. */
    static final String REQUESTER_ID = "amazon-ecs";

    private NetworkInterfaces() {
    }

    /** What one task's interface writes. */
    record Grant(Task task, String eniKey, NetworkInterface eni, String claimKey, AddressClaim claim,
                 String attachmentKey, TaskAttachments.AttachmentIndex attachmentIndex, AddressHold hold) {
    }

    /** The address a task holds, so the applier can give it back once the task has stopped. */
    record AddressHold(EcsScope scope, String subnetId, String address, String networkInterfaceId, String attachmentId) {
    }

    /**
     * @param host the EC2 instance the interface is attached to (a task on a cluster's own instance
     *             takes one of its network interfaces); empty on the platform, whose interfaces are
     *             attached to hosts no user sees
     */
    static Grant grant(EcsScope scope, Task task, TaskNetwork network, TaskNetwork.SubnetChoice subnet,
                       String address, Optional<String> host, Instant now) {
        String eniId = "eni-" + hex(9).substring(0, 17);
        String attachmentId = UUID.randomUUID().toString();
        String attachmentArn = scope.arnPrefix() + "attachment/" + attachmentId;
        String mac = "0a:" + String.join(":", HexFormat.of().formatHex(bytes(5)).split("(?<=\\G..)"));
        String dnsName = privateDnsName(scope.region(), address);
        NetworkInterface eni = NetworkInterface.builder()
                .networkInterfaceId(eniId)
                .subnetId(subnet.subnetId())
                .vpcId(subnet.vpcId())
                .availabilityZone(subnet.availabilityZone())
                .description(attachmentArn)
                .interfaceType("interface")
                .macAddress(mac)
                .ownerId(scope.accountId())
                .privateIpAddress(address)
                .privateDnsName(dnsName)
                .privateIpAddresses(List.of(NetworkInterfacePrivateIpAddress.builder()
                        .primary(true).privateIpAddress(address).privateDnsName(dnsName).build()))
                .groups(network.securityGroups().stream()
                        .map(g -> GroupIdentifier.builder().groupId(g.groupId()).groupName(g.groupName()).build())
                        .toList())
                .requesterId(REQUESTER_ID)
                .requesterManaged(true)
                .sourceDestCheck(true)
                .status("in-use")
                .attachment(attachment(scope, host, now))
                .ipv6Addresses(List.of())
                .tagSet(List.of())
                .build();
        Task attached = TaskAttachments.withInterface(task, attachmentId, subnet.subnetId(), subnet.availabilityZone(),
                eniId, mac, dnsName, address);
        return new Grant(attached,
                Ec2Keys.networkInterface(scope, eniId), eni,
                Ec2Keys.subnetAddress(scope, subnet.subnetId(), address), new AddressClaim(eniId, task.taskArn()),
                EcsKeys.attachment(scope, attachmentId), new TaskAttachments.AttachmentIndex(task.taskArn()),
                new AddressHold(scope, subnet.subnetId(), address, eniId, attachmentId));
    }

    private static NetworkInterfaceAttachment attachment(EcsScope scope, Optional<String> host, Instant now) {
        NetworkInterfaceAttachment.Builder attachment = NetworkInterfaceAttachment.builder()
                .attachTime(now)
                .deleteOnTermination(false)
                .deviceIndex(1)
                .networkCardIndex(0)
                .status("attached");
        host.ifPresentOrElse(
                id -> attachment.attachmentId("eni-attach-" + hex(9).substring(0, 17)).instanceId(id)
                        .instanceOwnerId(scope.accountId()),
                () -> attachment.attachmentId("ela-attach-" + hex(4)).instanceOwnerId(REQUESTER_ID));
        return attachment.build();
    }

    /** EC2's private DNS name of an address: {@code ip-10-0-1-23.ec2.internal} in us-east-1, {@code ….REGION.compute.internal} elsewhere. */
    static String privateDnsName(String region, String address) {
        String host = "ip-" + address.replace('.', '-');
        return "us-east-1".equals(region) ? host + ".ec2.internal" : host + "." + region + ".compute.internal";
    }

    private static String hex(int bytes) {
        return HexFormat.of().formatHex(bytes(bytes));
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
