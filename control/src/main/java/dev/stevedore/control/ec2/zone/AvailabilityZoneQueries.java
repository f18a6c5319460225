package dev.stevedore.control.ec2.zone;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ec2.AvailabilityZones;
import dev.stevedore.control.ec2.Ec2Errors;
import dev.stevedore.control.ec2.query.Filters;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.model.ec2.AvailabilityZone;
import dev.stevedore.model.ec2.DescribeAvailabilityZonesRequest;
import dev.stevedore.model.ec2.DescribeAvailabilityZonesResult;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** DescribeAvailabilityZones: the three zones of the caller's Region (see {@link AvailabilityZones}). */
public final class AvailabilityZoneQueries {
    private static final Filters<AvailabilityZone> FILTERS = Filters.<AvailabilityZone>untagged()
            .on("zone-name", AvailabilityZone::zoneName)
            .on("zone-id", AvailabilityZone::zoneId)
            .on("state", AvailabilityZone::state)
            .on("region-name", AvailabilityZone::regionName)
            .on("zone-type", AvailabilityZone::zoneType)
            .on("group-name", AvailabilityZone::groupName)
            .on("network-border-group", AvailabilityZone::networkBorderGroup)
            .on("opt-in-status", AvailabilityZone::optInStatus)
            .build();

    public Map<String, JsonOperation> operations() {
        return Map.of("DescribeAvailabilityZones", Operations.typed(DescribeAvailabilityZonesRequest.class, this::describe));
    }

    DescribeAvailabilityZonesResult describe(CallContext ctx, DescribeAvailabilityZonesRequest request) {
        String region = EcsScope.of(ctx).region();
        List<String> names = Optional.ofNullable(request.zoneNames()).orElse(List.of());
        List<String> ids = Optional.ofNullable(request.zoneIds()).orElse(List.of());
        List<String> unknownNames = names.stream().filter(n -> AvailabilityZones.byName(region, n).isEmpty()).toList();
        if (!unknownNames.isEmpty()) {
            throw Ec2Errors.invalidParameterValue("Invalid availability zone: [" + String.join(", ", unknownNames) + "]");
        }
        List<String> unknownIds = ids.stream().filter(i -> AvailabilityZones.byId(region, i).isEmpty()).toList();
        if (!unknownIds.isEmpty()) {
            throw Ec2Errors.invalidParameterValue("Invalid availability zone ID: [" + String.join(", ", unknownIds) + "]");
        }
        var filter = FILTERS.compile(request.filters());
        List<AvailabilityZone> zones = AvailabilityZones.of(region).stream()
                .filter(z -> (names.isEmpty() && ids.isEmpty()) || names.contains(z.name()) || ids.contains(z.id()))
                .map(z -> AvailabilityZone.builder()
                        .zoneName(z.name())
                        .zoneId(z.id())
                        .state("available")
                        .optInStatus("opt-in-not-required")
                        .messages(List.of())
                        .regionName(region)
                        // The zone group, as EC2 names a Region's group of Availability Zones.
                        .groupName(region + "-zg-1")
                        .networkBorderGroup(region)
                        .zoneType("availability-zone")
                        .build())
                .filter(filter)
                .toList();
        return new DescribeAvailabilityZonesResult(zones);
    }
}
