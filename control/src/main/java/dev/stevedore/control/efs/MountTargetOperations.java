package dev.stevedore.control.efs;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ec2.AddressClaim;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ec2.InterfaceNames;
import dev.stevedore.control.ec2.Ipv4Cidr;
import dev.stevedore.control.ec2.VpcDirectory;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ec2.GroupIdentifier;
import dev.stevedore.model.ec2.NetworkInterface;
import dev.stevedore.model.ec2.SecurityGroup;
import dev.stevedore.model.efs.CreateMountTargetRequest;
import dev.stevedore.model.efs.DeleteMountTargetRequest;
import dev.stevedore.model.efs.DescribeMountTargetsRequest;
import dev.stevedore.model.efs.DescribeMountTargetsResponse;
import dev.stevedore.model.efs.MountTargetDescription;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CreateMountTarget, DescribeMountTargets and DeleteMountTarget. A mount target takes an address of
 * its subnet the way a task's interface does (a claim under the subnet's address keys, created on
 * the condition that it is absent, with the interface record, in one transaction), so it counts
 * against the subnet's free addresses and shows in DescribeNetworkInterfaces. Without an address asked
 * for it takes the highest free one: the placement applier hands out the lowest first and keeps its
 * own view of a subnet's claims, so the two rarely reach for the same address.
 */
final class MountTargetOperations {
    private static final int DEFAULT_MAX_ITEMS = 10;
    private static final String IPV4_ONLY = "IPV4_ONLY";
    /** Who EC2 says asked for a mount target's interface. */
    private static final String REQUESTER_ID = "amazon-elasticfilesystem";

    private final StateStore store;
    private final VpcDirectory vpcs;

    MountTargetOperations(StateStore store, VpcDirectory vpcs) {
        this.store = store;
        this.vpcs = vpcs;
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateMountTarget", Operations.typed(CreateMountTargetRequest.class, this::create),
                "DescribeMountTargets", Operations.typed(DescribeMountTargetsRequest.class, this::describe),
                "DeleteMountTarget", Operations.typed(DeleteMountTargetRequest.class, this::delete));
    }

    MountTargetDescription create(CallContext ctx, CreateMountTargetRequest r) {
        EfsScope scope = EfsScope.of(ctx);
        String fsId = EfsIds.fileSystemId(r.fileSystemId());
        if (r.ipAddressType() != null && !IPV4_ONLY.equals(r.ipAddressType()) || r.ipv6Address() != null) {
            throw EfsErrors.badRequest("Stevedore's subnets have IPv4 addresses only: IpAddressType must be IPV4_ONLY.");
        }
        VpcDirectory.SubnetPlacement subnet = vpcs.subnet(scope.ec2(), r.subnetId()).orElseThrow(() ->
                EfsErrors.SPEC.error("SubnetNotFound", "The subnet ID '" + r.subnetId() + "' does not exist"));
        List<SecurityGroup> groups = securityGroups(scope, subnet, r.securityGroups());
        Optional<Long> asked = Optional.ofNullable(r.ipAddress()).map(ip -> requestedAddress(subnet.cidr(), ip));
        String mountTargetId = EfsIds.newId("fsmt");
        String eniId = InterfaceNames.newInterfaceId();
        return StoreTx.run(store, tx -> {
            StoredFileSystem fs = FileSystemStore.available(tx, scope, fsId);
            if (!fs.availabilityZoneName().isEmpty() && !fs.availabilityZoneName().equals(subnet.availabilityZone())) {
                throw EfsErrors.SPEC.error("AvailabilityZonesMismatch", "The One Zone file system '" + fsId
                        + "' is in " + fs.availabilityZoneName() + "; the subnet is in " + subnet.availabilityZone() + ".");
            }
            for (StoredMountTarget other : tx.scan(scope.mountTargets(), StoredMountTarget.class)) {
                if (!other.fileSystemId().equals(fsId)) {
                    continue;
                }
                if (!other.vpcId().equals(subnet.vpcId())) {
                    throw EfsErrors.mountTargetConflict("requested subnet for new mount target is not in the same VPC "
                            + "as existing mount targets");
                }
                if (other.availabilityZoneName().equals(subnet.availabilityZone())) {
                    throw EfsErrors.mountTargetConflict("mount target already exists in this AZ");
                }
            }
            String address = Ipv4Cidr.formatAddress(asked.orElseGet(() -> highestFree(scope, subnet)));
            String claimKey = Ec2Keys.subnetAddress(scope.ec2(), subnet.subnetId(), address);
            if (tx.read(claimKey, AddressClaim.class).isPresent()) {
                throw EfsErrors.SPEC.error("IpAddressInUse", "Ip address " + address + " is already in use in subnet "
                        + subnet.subnetId());
            }
            StoredMountTarget mt = new StoredMountTarget(mountTargetId, fsId, subnet.subnetId(), subnet.vpcId(),
                    subnet.availabilityZone(), subnet.availabilityZoneId(), address, eniId,
                    groups.stream().map(SecurityGroup::groupId).toList(), "available");
            tx.put(claimKey, new AddressClaim(eniId, mountTargetArn(scope, mountTargetId)));
            tx.put(Ec2Keys.networkInterface(scope.ec2(), eniId), networkInterface(scope, mt, groups));
            tx.put(scope.mountTarget(mountTargetId), mt);
            // Rewritten so that two mount targets in one zone, or one racing DeleteFileSystem, cannot both commit.
            tx.put(scope.fileSystem(fsId), fs);
            return mt.describe(scope.accountId());
        });
    }

    private List<SecurityGroup> securityGroups(EfsScope scope, VpcDirectory.SubnetPlacement subnet, List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            return vpcs.defaultSecurityGroup(scope.ec2(), subnet.vpcId()).stream().toList();
        }
        if (ids.size() > 5) {
            throw EfsErrors.SPEC.error("SecurityGroupLimitExceeded", "A mount target can have at most 5 security groups.");
        }
        List<SecurityGroup> groups = new ArrayList<>();
        for (String id : new java.util.LinkedHashSet<>(ids)) {
            SecurityGroup group = vpcs.securityGroup(scope.ec2(), id)
                    .filter(g -> subnet.vpcId().equals(g.vpcId()))
                    .orElseThrow(() -> EfsErrors.SPEC.error("SecurityGroupNotFound",
                            "The security group '" + id + "' does not exist in VPC '" + subnet.vpcId() + "'"));
            groups.add(group);
        }
        return groups;
    }

    private static long requestedAddress(Ipv4Cidr cidr, String ip) {
        long address = Ipv4Cidr.parseAddress(ip).orElseThrow(() ->
                EfsErrors.badRequest("Invalid IP address '" + ip + "'"));
        if (address < cidr.firstUsable() || address > cidr.lastUsable()) {
            throw EfsErrors.badRequest("IP address " + ip + " is not a usable address of the subnet's block " + cidr);
        }
        return address;
    }

    // The choice is checked again in the transaction: the claim key is read, so it must still be absent.
    private long highestFree(EfsScope scope, VpcDirectory.SubnetPlacement subnet) {
        String prefix = Ec2Keys.subnetAddresses(scope.ec2(), subnet.subnetId());
        Set<String> taken = new HashSet<>();
        store.range(prefix).forEach(kv -> taken.add(kv.key().substring(prefix.length())));
        Ipv4Cidr cidr = subnet.cidr();
        for (long a = cidr.lastUsable(); a >= cidr.firstUsable(); a--) {
            if (!taken.contains(Ipv4Cidr.formatAddress(a))) {
                return a;
            }
        }
        throw EfsErrors.SPEC.error("NoFreeAddressesInSubnet",
                "The subnet '" + subnet.subnetId() + "' has no free IP addresses.");
    }

    private static String mountTargetArn(EfsScope scope, String mountTargetId) {
        return scope.arnPrefix() + "mount-target/" + mountTargetId;
    }

    private static NetworkInterface networkInterface(EfsScope scope, StoredMountTarget mt, List<SecurityGroup> groups) {
        return InterfaceNames.requesterManaged(mt.networkInterfaceId(), mt.subnetId(), mt.vpcId(),
                        mt.availabilityZoneName(), scope.accountId(), scope.region(), mt.ipAddress(),
                        groups.stream().map(g -> GroupIdentifier.builder().groupId(g.groupId())
                                .groupName(g.groupName()).build()).toList(), REQUESTER_ID)
                .description("EFS mount target for " + mt.fileSystemId() + " (" + mt.mountTargetId() + ")")
                .build();
    }

    DescribeMountTargetsResponse describe(CallContext ctx, DescribeMountTargetsRequest r) {
        EfsScope scope = EfsScope.of(ctx);
        long named = Stream.of(r.fileSystemId(), r.mountTargetId(), r.accessPointId()).filter(v -> v != null).count();
        if (named != 1) {
            throw EfsErrors.badRequest("Specify exactly one of FileSystemId, MountTargetId or AccessPointId.");
        }
        FileSystemStore records = new FileSystemStore(store, scope);
        List<StoredMountTarget> all = records.mountTargets();
        List<StoredMountTarget> chosen;
        if (r.mountTargetId() != null) {
            chosen = all.stream().filter(mt -> mt.mountTargetId().equals(r.mountTargetId())).toList();
            if (chosen.isEmpty()) {
                throw EfsErrors.mountTargetNotFound(r.mountTargetId());
            }
        } else {
            String fsId = r.fileSystemId() != null ? EfsIds.fileSystemId(r.fileSystemId())
                    : accessPointFileSystem(records, EfsIds.accessPointId(r.accessPointId()));
            if (records.find(fsId).isEmpty()) {
                throw EfsErrors.fileSystemNotFound(fsId);
            }
            chosen = all.stream().filter(mt -> mt.fileSystemId().equals(fsId)).toList();
        }
        Pages.Page<StoredMountTarget> page = Pages.page(chosen, StoredMountTarget::mountTargetId, r.marker(),
                r.maxItems(), DEFAULT_MAX_ITEMS);
        return DescribeMountTargetsResponse.builder()
                .mountTargets(page.items().stream().map(mt -> mt.describe(scope.accountId())).toList())
                .marker(r.marker())
                .nextMarker(page.nextOrNull())
                .build();
    }

    private static String accessPointFileSystem(FileSystemStore records, String accessPointId) {
        return records.accessPoints().stream().filter(ap -> ap.accessPointId().equals(accessPointId))
                .map(StoredAccessPoint::fileSystemId).findFirst()
                .orElseThrow(() -> EfsErrors.accessPointNotFound(accessPointId));
    }

    Object delete(CallContext ctx, DeleteMountTargetRequest r) {
        EfsScope scope = EfsScope.of(ctx);
        StoreTx.run(store, tx -> {
            StoredMountTarget mt = tx.read(scope.mountTarget(r.mountTargetId()), StoredMountTarget.class)
                    .orElseThrow(() -> EfsErrors.mountTargetNotFound(r.mountTargetId()));
            tx.delete(scope.mountTarget(mt.mountTargetId()));
            tx.delete(Ec2Keys.networkInterface(scope.ec2(), mt.networkInterfaceId()));
            tx.delete(Ec2Keys.subnetAddress(scope.ec2(), mt.subnetId(), mt.ipAddress()));
            return null;
        });
        return null;
    }
}
