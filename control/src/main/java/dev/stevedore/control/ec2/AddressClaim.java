package dev.stevedore.control.ec2;

import java.util.Objects;

/**
 * Who holds an address of a subnet (the value at {@link Ec2Keys#subnetAddress}).
 *
 * @param networkInterfaceId the interface the address is the primary private address of
 * @param taskArn            the task the interface was made for; for an interface made for
 *                           something else (an EFS mount target), that thing's ARN
 */
public record AddressClaim(String networkInterfaceId, String taskArn) {
    public AddressClaim {
        Objects.requireNonNull(networkInterfaceId, "networkInterfaceId");
        Objects.requireNonNull(taskArn, "taskArn");
    }

    /** Whether a task holds the address, so that its release follows the task's end. */
    public boolean heldByTask() {
        return taskArn.startsWith("arn:aws:ecs:") && taskArn.contains(":task/");
    }
}
