package dev.stevedore.control.ec2.networkinterface;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ec2.Ec2Errors;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ec2.Ec2Records;
import dev.stevedore.control.ec2.query.Filters;
import dev.stevedore.control.ec2.query.Paging;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.model.ec2.DescribeNetworkInterfacesRequest;
import dev.stevedore.model.ec2.DescribeNetworkInterfacesResult;
import dev.stevedore.model.ec2.GroupIdentifier;
import dev.stevedore.model.ec2.NetworkInterface;
import dev.stevedore.model.ec2.NetworkInterfacePrivateIpAddress;
import dev.stevedore.store.StateStore;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DescribeNetworkInterfaces over the interfaces the Fargate path records for awsvpc tasks (this
 * API never creates one).
 */
public final class NetworkInterfaceQueries {
    private static final Filters<NetworkInterface> FILTERS = Filters.<NetworkInterface>tagged(NetworkInterface::tagSet)
            .on("network-interface-id", NetworkInterface::networkInterfaceId)
            .on("subnet-id", NetworkInterface::subnetId)
            .on("vpc-id", NetworkInterface::vpcId)
            .on("availability-zone", NetworkInterface::availabilityZone)
            .on("private-ip-address", NetworkInterface::privateIpAddress)
            .onEach("addresses.private-ip-address", n -> addresses(n).stream().map(NetworkInterfacePrivateIpAddress::privateIpAddress).toList())
            .onEach("addresses.primary", n -> addresses(n).stream().map(NetworkInterfacePrivateIpAddress::primary).toList())
            .on("private-dns-name", NetworkInterface::privateDnsName)
            .on("status", NetworkInterface::status)
            .on("requester-managed", NetworkInterface::requesterManaged)
            .on("requester-id", NetworkInterface::requesterId)
            .on("description", NetworkInterface::description)
            .onEach("group-id", n -> groups(n).stream().map(GroupIdentifier::groupId).toList())
            .onEach("group-name", n -> groups(n).stream().map(GroupIdentifier::groupName).toList())
            .on("mac-address", NetworkInterface::macAddress)
            .on("owner-id", NetworkInterface::ownerId)
            .on("interface-type", NetworkInterface::interfaceType)
            .on("source-dest-check", NetworkInterface::sourceDestCheck)
            .on("attachment.status", n -> n.attachment() == null ? null : n.attachment().status())
            .build();

    private final StateStore store;

    public NetworkInterfaceQueries(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of("DescribeNetworkInterfaces", Operations.typed(DescribeNetworkInterfacesRequest.class, this::describe));
    }

    DescribeNetworkInterfacesResult describe(CallContext ctx, DescribeNetworkInterfacesRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        Paging.refuseIdsWithMaxResults(request.networkInterfaceIds(), "networkInterfaceIdSet", request.maxResults());
        var filter = FILTERS.compile(request.filters());
        List<NetworkInterface> all = Ec2Records.all(store, Ec2Keys.networkInterfaces(scope), NetworkInterface.class);
        List<String> ids = Optional.ofNullable(request.networkInterfaceIds()).orElse(List.of());
        List<String> missing = ids.stream()
                .filter(id -> all.stream().noneMatch(n -> n.networkInterfaceId().equals(id)))
                .distinct()
                .toList();
        if (!missing.isEmpty()) {
            throw Ec2Errors.networkInterfaceNotFound(missing);
        }
        List<NetworkInterface> matching = all.stream()
                .filter(n -> ids.isEmpty() || ids.contains(n.networkInterfaceId()))
                .filter(filter)
                .toList();
        Paging.Page<NetworkInterface> page = Paging.page(matching, NetworkInterface::networkInterfaceId,
                "DescribeNetworkInterfaces", request.filters(), request.maxResults(), request.nextToken(), Paging.Bounds.DESCRIBE);
        return new DescribeNetworkInterfacesResult(page.items(), page.nextTokenOrNull());
    }

    private static List<NetworkInterfacePrivateIpAddress> addresses(NetworkInterface n) {
        return Optional.ofNullable(n.privateIpAddresses()).orElse(List.of());
    }

    private static List<GroupIdentifier> groups(NetworkInterface n) {
        return Optional.ofNullable(n.groups()).orElse(List.of());
    }
}
