package dev.stevedore.control.ecs.placement;

import dev.stevedore.control.ec2.AddressClaim;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ec2.InterfaceNames;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.task.TaskAttachments;
import dev.stevedore.model.ec2.GroupIdentifier;
import dev.stevedore.model.ec2.NetworkInterface;
import dev.stevedore.model.ec2.NetworkInterfaceAttachment;
import dev.stevedore.model.ecs.Task;

import java.time.Instant;
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
        String eniId = InterfaceNames.newInterfaceId();
        String attachmentId = UUID.randomUUID().toString();
        String attachmentArn = scope.arnPrefix() + "attachment/" + attachmentId;
        NetworkInterface eni = InterfaceNames.requesterManaged(eniId, subnet.subnetId(), subnet.vpcId(),
                        subnet.availabilityZone(), scope.accountId(), scope.region(), address,
                        network.securityGroups().stream().map(g -> GroupIdentifier.builder().groupId(g.groupId())
                                .groupName(g.groupName()).build()).toList(), REQUESTER_ID)
                .description(attachmentArn)
                .attachment(attachment(scope, host, now))
                .build();
        Task attached = TaskAttachments.withInterface(task, attachmentId, subnet.subnetId(), subnet.availabilityZone(),
                eniId, eni.macAddress(), eni.privateDnsName(), address);
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
                id -> attachment.attachmentId("eni-attach-" + InterfaceNames.hex(9).substring(0, 17)).instanceId(id)
                        .instanceOwnerId(scope.accountId()),
                () -> attachment.attachmentId("ela-attach-" + InterfaceNames.hex(4)).instanceOwnerId(REQUESTER_ID));
        return attachment.build();
    }
}
