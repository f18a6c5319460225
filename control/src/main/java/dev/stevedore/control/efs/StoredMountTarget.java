package dev.stevedore.control.efs;

import dev.stevedore.model.efs.MountTargetDescription;

import java.util.List;

/**
 * A mount target as the store keeps it: the address it holds in its subnet (claimed under the EC2
 * subnet's address keys, like a task's) and the network interface shown for it.
 */
record StoredMountTarget(String mountTargetId, String fileSystemId, String subnetId, String vpcId,
                         String availabilityZoneName, String availabilityZoneId, String ipAddress,
                         String networkInterfaceId, List<String> securityGroups, String lifeCycleState) {

    StoredMountTarget {
        securityGroups = List.copyOf(securityGroups);
    }

    MountTargetDescription describe(String ownerId) {
        return MountTargetDescription.builder().ownerId(ownerId).mountTargetId(mountTargetId)
                .fileSystemId(fileSystemId).subnetId(subnetId).vpcId(vpcId).lifeCycleState(lifeCycleState)
                .ipAddress(ipAddress).networkInterfaceId(networkInterfaceId)
                .availabilityZoneName(availabilityZoneName).availabilityZoneId(availabilityZoneId).build();
    }
}
