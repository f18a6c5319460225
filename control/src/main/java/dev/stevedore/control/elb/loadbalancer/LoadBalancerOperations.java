package dev.stevedore.control.elb.loadbalancer;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ec2.VpcDirectory;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.elb.AttributeSchema;
import dev.stevedore.control.elb.ElbArns;
import dev.stevedore.control.elb.ElbErrors;
import dev.stevedore.control.elb.ElbKeys;
import dev.stevedore.control.elb.ElbRecords;
import dev.stevedore.control.elb.listener.ListenerRecord;
import dev.stevedore.control.elb.query.Paging;
import dev.stevedore.control.elb.tags.Tags;
import dev.stevedore.control.iam.query.Listing;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ec2.SecurityGroup;
import dev.stevedore.model.elbv2.AvailabilityZone;
import dev.stevedore.model.elbv2.CreateLoadBalancerInput;
import dev.stevedore.model.elbv2.CreateLoadBalancerOutput;
import dev.stevedore.model.elbv2.DeleteLoadBalancerInput;
import dev.stevedore.model.elbv2.DeleteLoadBalancerOutput;
import dev.stevedore.model.elbv2.DescribeLoadBalancerAttributesInput;
import dev.stevedore.model.elbv2.DescribeLoadBalancerAttributesOutput;
import dev.stevedore.model.elbv2.DescribeLoadBalancersInput;
import dev.stevedore.model.elbv2.DescribeLoadBalancersOutput;
import dev.stevedore.model.elbv2.LoadBalancer;
import dev.stevedore.model.elbv2.LoadBalancerAttribute;
import dev.stevedore.model.elbv2.LoadBalancerState;
import dev.stevedore.model.elbv2.ModifyLoadBalancerAttributesInput;
import dev.stevedore.model.elbv2.ModifyLoadBalancerAttributesOutput;
import dev.stevedore.model.elbv2.SubnetMapping;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CreateLoadBalancer, DescribeLoadBalancers, DeleteLoadBalancer and the load balancer's attributes. Only
 * application load balancers on IPv4 are served. A load balancer is {@code provisioning} in the answer to
 * CreateLoadBalancer and {@code active} from then on: its record is committed before the answer, and the
 * data plane serves it as soon as it reads it.
 */
public final class LoadBalancerOperations {
    /** ELB's default quota of load balancers per Region. */
    static final int PER_REGION = 50;

    /** Application load balancer attributes with ALB's defaults and ranges. */
    public static final AttributeSchema ATTRIBUTES = new AttributeSchema("Load balancer")
            .bool("access_logs.s3.enabled", false)
            .key("access_logs.s3.bucket", "", v -> true, "a bucket name")
            .key("access_logs.s3.prefix", "", v -> true, "a prefix")
            .bool("connection_logs.s3.enabled", false)
            .key("connection_logs.s3.bucket", "", v -> true, "a bucket name")
            .key("connection_logs.s3.prefix", "", v -> true, "a prefix")
            .bool("deletion_protection.enabled", false)
            .range("idle_timeout.timeout_seconds", 60, 1, 4000)
            .range("client_keep_alive.seconds", 3600, 60, 604800)
            .oneOf("routing.http.desync_mitigation_mode", "defensive", "monitor", "defensive", "strictest")
            .bool("routing.http.drop_invalid_header_fields.enabled", false)
            .bool("routing.http.preserve_host_header.enabled", false)
            .bool("routing.http.x_amzn_tls_version_and_cipher_suite.enabled", false)
            .bool("routing.http.xff_client_port.enabled", false)
            .oneOf("routing.http.xff_header_processing.mode", "append", "append", "preserve", "remove")
            .bool("routing.http2.enabled", true)
            .bool("waf.fail_open.enabled", false)
            .bool("zonal_shift.config.enabled", false);

    private final StateStore store;
    private final Clock clock;
    private final VpcDirectory vpcs;
    private final LoopbackAddresses addresses;

    public LoadBalancerOperations(StateStore store, Clock clock, VpcDirectory vpcs, LoopbackAddresses addresses) {
        this.store = store;
        this.clock = clock;
        this.vpcs = vpcs;
        this.addresses = addresses;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateLoadBalancer", Operations.typed(CreateLoadBalancerInput.class, this::create),
                "DescribeLoadBalancers", Operations.typed(DescribeLoadBalancersInput.class, this::describe),
                "DeleteLoadBalancer", Operations.typed(DeleteLoadBalancerInput.class, this::delete),
                "DescribeLoadBalancerAttributes",
                Operations.typed(DescribeLoadBalancerAttributesInput.class, this::describeAttributes),
                "ModifyLoadBalancerAttributes",
                Operations.typed(ModifyLoadBalancerAttributesInput.class, this::modifyAttributes));
    }

    CreateLoadBalancerOutput create(CallContext ctx, CreateLoadBalancerInput request) {
        EcsScope scope = EcsScope.of(ctx);
        String name = request.name();
        checkName(name);
        String type = request.type() == null ? "application" : request.type();
        if (!type.equals("application")) {
            throw ElbErrors.notImplemented("load balancers of type '" + type + "'");
        }
        if (request.ipAddressType() != null && !request.ipAddressType().equals("ipv4")) {
            throw ElbErrors.notImplemented("the IP address type '" + request.ipAddressType() + "'");
        }
        if (request.ipamPools() != null) {
            throw ElbErrors.notImplemented("IPAM pools");
        }
        String scheme = request.scheme() == null ? "internet-facing" : request.scheme();
        List<AvailabilityZone> zones = zones(scope, request);
        String vpcId = vpcs.subnet(scope, zones.getFirst().subnetId()).orElseThrow().vpcId();
        List<String> securityGroups = securityGroups(scope, vpcId, request.securityGroups());
        List<dev.stevedore.model.elbv2.Tag> tags = Tags.given(request.tags());
        return StoreTx.run(store, tx -> {
            String key = ElbKeys.loadBalancer(scope, name);
            var existing = tx.read(key, LoadBalancerRecord.class);
            if (existing.isPresent()) {
                LoadBalancer lb = existing.get().loadBalancer();
                // ELB's CreateLoadBalancer is idempotent: the same request again answers the load balancer made.
                if (lb.scheme().equals(scheme) && subnetsOf(lb.availabilityZones()).equals(subnetsOf(zones))
                        && Set.copyOf(lb.securityGroups()).equals(Set.copyOf(securityGroups))) {
                    return new CreateLoadBalancerOutput(List.of(answered(existing.get(), "active")));
                }
                throw ElbErrors.of("DuplicateLoadBalancerName",
                        "A load balancer with the same name '" + name + "' exists, but with different settings");
            }
            if (ElbRecords.loadBalancers(tx, scope).size() >= PER_REGION) {
                throw ElbErrors.of("TooManyLoadBalancers", "The maximum number of load balancers has been reached");
            }
            String arn = ElbArns.loadBalancer(scope, name, ElbArns.newId());
            String address = addresses.claim(tx, arn);
            LoadBalancer lb = LoadBalancer.builder()
                    .loadBalancerArn(arn)
                    .loadBalancerName(name)
                    .dnsName(address)
                    .canonicalHostedZoneId(HostedZones.of(scope.region()))
                    .createdTime(clock.instant())
                    .scheme(scheme)
                    .vpcId(vpcId)
                    .type("application")
                    .availabilityZones(zones)
                    .securityGroups(securityGroups)
                    .ipAddressType("ipv4")
                    .build();
            LoadBalancerRecord record = new LoadBalancerRecord(lb, address, Map.of(), tags);
            tx.put(key, record);
            return new CreateLoadBalancerOutput(List.of(answered(record, "provisioning")));
        });
    }

    DescribeLoadBalancersOutput describe(CallContext ctx, DescribeLoadBalancersInput request) {
        EcsScope scope = EcsScope.of(ctx);
        List<String> names = orEmpty(request.names());
        List<String> arns = orEmpty(request.loadBalancerArns());
        if (!names.isEmpty() && !arns.isEmpty()) {
            throw ElbErrors.validation("Load balancer names and load balancer ARNs cannot be specified at the same time");
        }
        List<LoadBalancerRecord> found = StoreTx.run(store, tx -> {
            List<LoadBalancerRecord> all = new ArrayList<>(ElbRecords.loadBalancers(tx, scope));
            if (!names.isEmpty()) {
                List<String> missing = names.stream()
                        .filter(n -> all.stream().noneMatch(lb -> lb.name().equals(n))).distinct().toList();
                if (!missing.isEmpty()) {
                    throw ElbErrors.of("LoadBalancerNotFound", "Load balancers '" + missing + "' not found");
                }
                return all.stream().filter(lb -> names.contains(lb.name())).toList();
            }
            if (!arns.isEmpty()) {
                Set<String> wanted = new LinkedHashSet<>(arns);
                List<LoadBalancerRecord> out = new ArrayList<>();
                for (String arn : wanted) {
                    out.add(ElbRecords.requireLoadBalancer(tx, scope, arn));
                }
                return out;
            }
            return all;
        });
        List<LoadBalancerRecord> sorted = found.stream().sorted(Comparator.comparing(LoadBalancerRecord::name)).toList();
        Listing.Page<LoadBalancerRecord> page = Paging.page(sorted, LoadBalancerRecord::name, request.marker(),
                request.pageSize());
        return new DescribeLoadBalancersOutput(page.items().stream().map(lb -> answered(lb, "active")).toList(),
                page.markerOrNull());
    }

    /** Deletes the load balancer with its listeners and rules; deleting one that is not there succeeds, as ELB's does. */
    DeleteLoadBalancerOutput delete(CallContext ctx, DeleteLoadBalancerInput request) {
        EcsScope scope = EcsScope.of(ctx);
        StoreTx.run(store, tx -> {
            var found = ElbRecords.loadBalancer(tx, scope, request.loadBalancerArn());
            if (found.isEmpty()) {
                return null;
            }
            LoadBalancerRecord lb = found.get();
            if ("true".equals(lb.attributes().get("deletion_protection.enabled"))) {
                throw ElbErrors.of("OperationNotPermitted", "Load balancer '" + lb.arn()
                        + "' cannot be deleted because deletion protection is enabled");
            }
            for (ListenerRecord listener : ElbRecords.listenersOf(tx, scope, lb.name())) {
                // Read, not only scanned: a CreateRule that rewrote the listener meanwhile makes this run again
                // and see its rule.
                ElbRecords.requireListener(tx, scope, listener.arn());
                ElbArns.parseListener(scope, listener.arn()).ifPresent(ref ->
                        tx.delete(ElbKeys.listener(scope, ref.loadBalancerName(), ref.id())));
            }
            store.range(ElbKeys.rulesOfLoadBalancer(scope, lb.name())).forEach(kv -> tx.delete(kv.key()));
            LoopbackAddresses.release(tx, lb.address());
            tx.delete(ElbKeys.loadBalancer(scope, lb.name()));
            return null;
        });
        return new DeleteLoadBalancerOutput();
    }

    DescribeLoadBalancerAttributesOutput describeAttributes(CallContext ctx, DescribeLoadBalancerAttributesInput request) {
        EcsScope scope = EcsScope.of(ctx);
        LoadBalancerRecord lb = StoreTx.run(store, tx -> ElbRecords.requireLoadBalancer(tx, scope, request.loadBalancerArn()));
        return new DescribeLoadBalancerAttributesOutput(attributesOf(lb.attributes()));
    }

    ModifyLoadBalancerAttributesOutput modifyAttributes(CallContext ctx, ModifyLoadBalancerAttributesInput request) {
        EcsScope scope = EcsScope.of(ctx);
        List<Map.Entry<String, String>> changes = request.attributes().stream()
                .map(a -> Map.entry(a.key() == null ? "" : a.key(), a.value() == null ? "" : a.value())).toList();
        LoadBalancerRecord next = StoreTx.run(store, tx -> {
            LoadBalancerRecord lb = ElbRecords.requireLoadBalancer(tx, scope, request.loadBalancerArn());
            LoadBalancerRecord modified = lb.withAttributes(ATTRIBUTES.modified(lb.attributes(), changes));
            tx.put(ElbKeys.loadBalancer(scope, lb.name()), modified);
            return modified;
        });
        return new ModifyLoadBalancerAttributesOutput(attributesOf(next.attributes()));
    }

    private static List<LoadBalancerAttribute> attributesOf(Map<String, String> set) {
        return ATTRIBUTES.effective(set).entrySet().stream()
                .map(e -> new LoadBalancerAttribute(e.getKey(), e.getValue())).toList();
    }

    static LoadBalancer answered(LoadBalancerRecord record, String state) {
        return record.loadBalancer().toBuilder().state(new LoadBalancerState(state, null)).build();
    }

    /** ELB's load balancer name rules: 1 to 32 alphanumerics and hyphens, no hyphen at either end, not "internal-…". */
    static void checkName(String name) {
        if (name.length() > 32) {
            throw ElbErrors.validation("Load balancer name '" + name + "' cannot be longer than '32' characters");
        }
        if (!name.matches("[a-zA-Z0-9-]+")) {
            throw ElbErrors.validation("Load balancer name '" + name
                    + "' can only contain characters that are alphanumeric characters or hyphens(-)");
        }
        if (name.startsWith("-") || name.endsWith("-")) {
            throw ElbErrors.validation("Load balancer name '" + name + "' cannot begin or end with '-' character");
        }
        if (name.startsWith("internal-")) {
            throw ElbErrors.validation("Load balancer name '" + name + "' cannot begin with 'internal-'");
        }
    }

    /** The zones of the subnets asked for: each subnet known, all in one VPC, one per zone, at least two zones. */
    private List<AvailabilityZone> zones(EcsScope scope, CreateLoadBalancerInput request) {
        List<String> subnets = new ArrayList<>(orEmpty(request.subnets()));
        for (SubnetMapping mapping : orEmpty(request.subnetMappings())) {
            if (mapping.allocationId() != null || mapping.privateIPv4Address() != null || mapping.iPv6Address() != null
                    || mapping.sourceNatIpv6Prefix() != null) {
                throw ElbErrors.validation("Subnet mappings of an application load balancer can only specify a subnet");
            }
            subnets.add(mapping.subnetId());
        }
        if (!orEmpty(request.subnets()).isEmpty() && !orEmpty(request.subnetMappings()).isEmpty()) {
            throw ElbErrors.validation("You can specify subnets or subnet mappings, not both");
        }
        List<AvailabilityZone> zones = new ArrayList<>();
        Set<String> vpcIds = new HashSet<>();
        Set<String> zoneNames = new HashSet<>();
        for (String subnetId : new LinkedHashSet<>(subnets)) {
            VpcDirectory.SubnetPlacement placement = vpcs.subnet(scope, subnetId).orElseThrow(() ->
                    ElbErrors.of("SubnetNotFound", "The subnet ID '" + subnetId + "' is not valid"));
            vpcIds.add(placement.vpcId());
            if (!zoneNames.add(placement.availabilityZone())) {
                throw ElbErrors.invalidConfiguration(
                        "A load balancer cannot be attached to multiple subnets in the same Availability Zone");
            }
            zones.add(AvailabilityZone.builder().zoneName(placement.availabilityZone()).subnetId(subnetId)
                    .loadBalancerAddresses(List.of()).build());
        }
        if (vpcIds.size() > 1) {
            throw ElbErrors.invalidConfiguration("The subnets must all belong to the same VPC");
        }
        if (zones.size() < 2) {
            throw ElbErrors.validation("At least two subnets in two different Availability Zones must be specified");
        }
        zones.sort(Comparator.comparing(AvailabilityZone::zoneName));
        return zones;
    }

    /** The groups asked for (each in the VPC), or the VPC's default group when none is. */
    private List<String> securityGroups(EcsScope scope, String vpcId, List<String> asked) {
        if (asked == null || asked.isEmpty()) {
            return vpcs.defaultSecurityGroup(scope, vpcId).map(SecurityGroup::groupId).stream().toList();
        }
        for (String groupId : asked) {
            boolean inVpc = vpcs.securityGroup(scope, groupId).filter(g -> vpcId.equals(g.vpcId())).isPresent();
            if (!inVpc) {
                throw ElbErrors.of("InvalidSecurityGroup", "Security group '" + groupId + "' does not exist in VPC '"
                        + vpcId + "'");
            }
        }
        return List.copyOf(new LinkedHashSet<>(asked));
    }

    private static Set<String> subnetsOf(List<AvailabilityZone> zones) {
        Set<String> out = new HashSet<>();
        zones.forEach(z -> out.add(z.subnetId()));
        return out;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
