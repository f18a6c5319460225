package dev.stevedore.control.ec2.subnet;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ec2.AvailabilityZones;
import dev.stevedore.control.ec2.Ec2Errors;
import dev.stevedore.control.ec2.Ec2Ids;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ec2.Ec2Records;
import dev.stevedore.control.ec2.Ipv4Cidr;
import dev.stevedore.control.ec2.query.Filters;
import dev.stevedore.control.ec2.query.Paging;
import dev.stevedore.control.ec2.tags.TagRules;
import dev.stevedore.control.ec2.vpc.Vpcs;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ec2.CreateSubnetRequest;
import dev.stevedore.model.ec2.CreateSubnetResult;
import dev.stevedore.model.ec2.DeleteSubnetRequest;
import dev.stevedore.model.ec2.DescribeSubnetsRequest;
import dev.stevedore.model.ec2.DescribeSubnetsResult;
import dev.stevedore.model.ec2.NetworkInterface;
import dev.stevedore.model.ec2.ResourceType;
import dev.stevedore.model.ec2.Subnet;
import dev.stevedore.model.ec2.Tag;
import dev.stevedore.model.ec2.Vpc;
import dev.stevedore.store.StateStore;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** CreateSubnet, DescribeSubnets and DeleteSubnet. */
public final class SubnetOperations {
    private static final int MIN_PREFIX = 16;
    private static final int MAX_PREFIX = 28;

    private static final Filters<Subnet> FILTERS = Filters.<Subnet>tagged(Subnet::tags)
            .on("subnet-id", Subnet::subnetId)
            .on("subnet-arn", Subnet::subnetArn)
            .on("vpc-id", Subnet::vpcId)
            .on("availability-zone", Subnet::availabilityZone)
            .on("availabilityZone", Subnet::availabilityZone)
            .on("availability-zone-id", Subnet::availabilityZoneId)
            .on("cidr-block", Subnet::cidrBlock)
            .on("cidr", Subnet::cidrBlock)
            .on("cidrBlock", Subnet::cidrBlock)
            .on("default-for-az", Subnet::defaultForAz)
            .on("defaultForAz", Subnet::defaultForAz)
            .on("map-public-ip-on-launch", Subnet::mapPublicIpOnLaunch)
            .on("available-ip-address-count", Subnet::availableIpAddressCount)
            .on("owner-id", Subnet::ownerId)
            .on("state", Subnet::state)
            .build();

    private final StateStore store;

    public SubnetOperations(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateSubnet", Operations.typed(CreateSubnetRequest.class, this::create),
                "DescribeSubnets", Operations.typed(DescribeSubnetsRequest.class, this::describe),
                "DeleteSubnet", Operations.typed(DeleteSubnetRequest.class, this::delete));
    }

    CreateSubnetResult create(CallContext ctx, CreateSubnetRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        if (request.vpcId() == null) {
            throw Ec2Errors.missingParameter("vpcId");
        }
        if (request.cidrBlock() == null) {
            throw Ec2Errors.missingParameter("cidrBlock");
        }
        Ipv4Cidr cidr = Ipv4Cidr.parseCanonical(request.cidrBlock())
                .orElseThrow(() -> Ec2Errors.invalidCidr("cidrBlock", request.cidrBlock()));
        Optional<AvailabilityZones.Zone> asked = askedZone(scope, request);
        List<Tag> tags = TagRules.orAbsent(TagRules.fromSpecifications(request.tagSpecifications(), ResourceType.SUBNET));
        String subnetId = Ec2Ids.newId(Ec2Ids.SUBNET);
        Subnet created = StoreTx.run(store, tx -> {
            String vpcKey = Ec2Keys.vpc(scope, request.vpcId());
            Vpc vpc = tx.read(vpcKey, Vpc.class).orElseThrow(() -> Ec2Errors.vpcNotFound(List.of(request.vpcId())));
            if (cidr.prefixLength() < MIN_PREFIX || cidr.prefixLength() > MAX_PREFIX || !Vpcs.cidrOf(vpc).contains(cidr)) {
                throw Ec2Errors.of("InvalidSubnet.Range", "The CIDR '" + request.cidrBlock() + "' is invalid.");
            }
            List<Subnet> siblings = tx.scan(Ec2Keys.subnets(scope), Subnet.class).stream()
                    .filter(s -> vpc.vpcId().equals(s.vpcId()))
                    .toList();
            if (siblings.stream().anyMatch(s -> Subnets.cidrOf(s).overlaps(cidr))) {
                throw Ec2Errors.of("InvalidSubnet.Conflict", "The CIDR '" + request.cidrBlock() + "' conflicts with another subnet");
            }
            AvailabilityZones.Zone zone = asked.orElseGet(() -> leastUsedZone(scope, siblings));
            Subnet subnet = Subnets.newSubnet(scope, subnetId, vpc.vpcId(), cidr, zone, false, tags);
            tx.put(Ec2Keys.subnet(scope, subnetId), subnet);
            // Rewriting the VPC serialises subnet creation in it (the overlap check above read an
            // unconditioned scan) and makes a DeleteVpc racing with this one look again.
            tx.put(vpcKey, vpc);
            return subnet;
        });
        return new CreateSubnetResult(Subnets.withAvailableCount(store, scope, created));
    }

    DescribeSubnetsResult describe(CallContext ctx, DescribeSubnetsRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        var filter = FILTERS.compile(request.filters());
        List<Subnet> all = Ec2Records.all(store, Ec2Keys.subnets(scope), Subnet.class);
        List<String> ids = Optional.ofNullable(request.subnetIds()).orElse(List.of());
        List<String> missing = ids.stream().filter(id -> all.stream().noneMatch(s -> s.subnetId().equals(id))).distinct().toList();
        if (!missing.isEmpty()) {
            throw Ec2Errors.subnetNotFound(missing);
        }
        List<Subnet> matching = all.stream()
                .filter(s -> ids.isEmpty() || ids.contains(s.subnetId()))
                .map(s -> Subnets.withAvailableCount(store, scope, s))
                .filter(filter)
                .toList();
        Paging.Page<Subnet> page = Paging.page(matching, Subnet::subnetId, "DescribeSubnets", request.filters(),
                request.maxResults(), request.nextToken(), Paging.Bounds.DESCRIBE);
        return new DescribeSubnetsResult(page.nextTokenOrNull(), page.items());
    }

    Object delete(CallContext ctx, DeleteSubnetRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        if (request.subnetId() == null) {
            throw Ec2Errors.missingParameter("subnetId");
        }
        String subnetId = request.subnetId();
        StoreTx.run(store, tx -> {
            tx.read(Ec2Keys.subnet(scope, subnetId), Subnet.class)
                    .orElseThrow(() -> Ec2Errors.subnetNotFound(List.of(subnetId)));
            boolean claimed = !store.range(Ec2Keys.subnetAddresses(scope, subnetId), "", 1).isEmpty();
            boolean hasInterfaces = tx.scan(Ec2Keys.networkInterfaces(scope), NetworkInterface.class).stream()
                    .anyMatch(n -> subnetId.equals(n.subnetId()));
            if (claimed || hasInterfaces) {
                throw Ec2Errors.of("DependencyViolation",
                        "The subnet '" + subnetId + "' has dependencies and cannot be deleted.");
            }
            tx.delete(Ec2Keys.subnet(scope, subnetId));
            return null;
        });
        return null;
    }

    /** The zone a request names by name or id; EC2 lists the zones it could have named when it is not one. */
    private static Optional<AvailabilityZones.Zone> askedZone(EcsScope scope, CreateSubnetRequest request) {
        List<AvailabilityZones.Zone> zones = AvailabilityZones.of(scope.region());
        if (request.availabilityZone() != null && request.availabilityZoneId() != null) {
            throw Ec2Errors.invalidParameterCombination(
                    "The parameters 'availabilityZone' and 'availabilityZoneId' cannot be used together");
        }
        if (request.availabilityZone() != null) {
            return Optional.of(AvailabilityZones.byName(scope.region(), request.availabilityZone())
                    .orElseThrow(() -> invalidZone("availabilityZone", request.availabilityZone(),
                            zones.stream().map(AvailabilityZones.Zone::name).toList())));
        }
        if (request.availabilityZoneId() != null) {
            return Optional.of(AvailabilityZones.byId(scope.region(), request.availabilityZoneId())
                    .orElseThrow(() -> invalidZone("availabilityZoneId", request.availabilityZoneId(),
                            zones.stream().map(AvailabilityZones.Zone::id).toList())));
        }
        return Optional.empty();
    }

    private static dev.stevedore.awsproto.AwsException invalidZone(String parameter, String value, List<String> valid) {
        return Ec2Errors.invalidParameterValue("Value (" + value + ") for parameter " + parameter + " is invalid. "
                + "Subnets can currently only be created in the following availability zones: " + String.join(", ", valid) + ".");
    }

    /** Without a zone asked for, EC2 picks one; this spreads a VPC's subnets over the zones. */
    private static AvailabilityZones.Zone leastUsedZone(EcsScope scope, List<Subnet> siblings) {
        Map<String, Long> used = siblings.stream().collect(Collectors.groupingBy(Subnet::availabilityZone, Collectors.counting()));
        return AvailabilityZones.of(scope.region()).stream()
                .min(Comparator.comparingLong(z -> used.getOrDefault(z.name(), 0L)))
                .orElseThrow();
    }
}
