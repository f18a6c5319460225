package dev.stevedore.control.elb.target;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ec2.Ipv4Cidr;
import dev.stevedore.control.ec2.VpcDirectory;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.elb.ElbErrors;
import dev.stevedore.control.elb.ElbRecords;
import dev.stevedore.control.elb.TargetHealth;
import dev.stevedore.control.elb.TargetRef;
import dev.stevedore.control.elb.targetgroup.TargetGroupRecord;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.elbv2.DeregisterTargetsInput;
import dev.stevedore.model.elbv2.DeregisterTargetsOutput;
import dev.stevedore.model.elbv2.DescribeTargetHealthInput;
import dev.stevedore.model.elbv2.DescribeTargetHealthOutput;
import dev.stevedore.model.elbv2.RegisterTargetsInput;
import dev.stevedore.model.elbv2.RegisterTargetsOutput;
import dev.stevedore.model.elbv2.TargetDescription;
import dev.stevedore.model.elbv2.TargetHealthDescription;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** RegisterTargets, DeregisterTargets and DescribeTargetHealth. */
public final class TargetOperations {
    /** ELB's quota of targets per target group of an application load balancer. */
    public static final int PER_TARGET_GROUP = 1000;

    private final StateStore store;
    private final Clock clock;
    private final VpcDirectory vpcs;
    private final Registrations registrations;

    public TargetOperations(StateStore store, Clock clock, VpcDirectory vpcs, Registrations registrations) {
        this.store = store;
        this.clock = clock;
        this.vpcs = vpcs;
        this.registrations = registrations;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "RegisterTargets", Operations.typed(RegisterTargetsInput.class, this::register),
                "DeregisterTargets", Operations.typed(DeregisterTargetsInput.class, this::deregister),
                "DescribeTargetHealth", Operations.typed(DescribeTargetHealthInput.class, this::describeHealth));
    }

    RegisterTargetsOutput register(CallContext ctx, RegisterTargetsInput request) {
        EcsScope scope = EcsScope.of(ctx);
        StoreTx.run(store, tx -> {
            TargetGroupRecord tg = ElbRecords.requireTargetGroup(tx, scope, request.targetGroupArn());
            Instant now = clock.instant();
            // First, so that the records of targets whose draining is over are deleted before any of them is
            // registered again in this transaction.
            Set<TargetRef> counted = new HashSet<>();
            registrations.current(tx, scope, tg, now).forEach(t -> counted.add(t.ref()));
            for (TargetDescription target : request.targets()) {
                Optional<String> zone = checkTarget(scope, tg, target);
                TargetRef ref = refOf(tg, target);
                registrations.register(tx, scope, tg, ref, zone, now);
                counted.add(ref);
            }
            if (counted.size() > PER_TARGET_GROUP) {
                throw ElbErrors.of("TooManyTargets", "You've reached the limit on the number of targets");
            }
            return null;
        });
        return new RegisterTargetsOutput();
    }

    DeregisterTargetsOutput deregister(CallContext ctx, DeregisterTargetsInput request) {
        EcsScope scope = EcsScope.of(ctx);
        StoreTx.run(store, tx -> {
            TargetGroupRecord tg = ElbRecords.requireTargetGroup(tx, scope, request.targetGroupArn());
            Instant now = clock.instant();
            List<String> notRegistered = new ArrayList<>();
            for (TargetDescription target : request.targets()) {
                TargetRef ref = refOf(tg, target);
                if (!registrations.deregister(tx, scope, tg, ref, now)) {
                    notRegistered.add("'Id=" + ref.id() + ",Port=" + ref.port() + "'");
                }
            }
            if (!notRegistered.isEmpty()) {
                throw ElbErrors.of("InvalidTarget", "The following targets are not registered in target group '"
                        + tg.arn() + "': " + String.join(", ", notRegistered));
            }
            return null;
        });
        return new DeregisterTargetsOutput();
    }

    DescribeTargetHealthOutput describeHealth(CallContext ctx, DescribeTargetHealthInput request) {
        EcsScope scope = EcsScope.of(ctx);
        return StoreTx.run(store, tx -> {
            TargetGroupRecord tg = ElbRecords.requireTargetGroup(tx, scope, request.targetGroupArn());
            Instant now = clock.instant();
            List<TargetRecord> current = registrations.current(tx, scope, tg, now);
            boolean inUse = !ElbRecords.loadBalancersUsing(tx, scope, tg.arn()).isEmpty();
            List<TargetHealthDescription> out = new ArrayList<>();
            if (request.targets() == null || request.targets().isEmpty()) {
                current.stream().sorted(Comparator.comparing(TargetRecord::id).thenComparingInt(TargetRecord::port))
                        .forEach(t -> out.add(description(tg, t.ref(), t.availabilityZone(),
                                registrations.health(tg, inUse, Optional.of(t)))));
            } else {
                for (TargetDescription asked : request.targets()) {
                    List<TargetRecord> matching = current.stream().filter(t -> t.id().equals(asked.id())
                            && (asked.port() == null || t.port() == asked.port())).toList();
                    if (matching.isEmpty()) {
                        out.add(description(tg, refOf(tg, asked), Optional.ofNullable(asked.availabilityZone()),
                                registrations.health(tg, inUse, Optional.empty())));
                    }
                    matching.forEach(t -> out.add(description(tg, t.ref(), t.availabilityZone(),
                            registrations.health(tg, inUse, Optional.of(t)))));
                }
            }
            return new DescribeTargetHealthOutput(out);
        });
    }

    static TargetHealthDescription description(TargetGroupRecord tg, TargetRef target, Optional<String> zone,
                                               TargetHealth health) {
        String healthCheckPort = tg.targetGroup().healthCheckPort().equals("traffic-port")
                ? Integer.toString(target.port()) : tg.targetGroup().healthCheckPort();
        return TargetHealthDescription.builder()
                .target(TargetDescription.builder().id(target.id()).port(target.port())
                        .availabilityZone(zone.orElse(null)).build())
                .healthCheckPort(healthCheckPort)
                .targetHealth(new dev.stevedore.model.elbv2.TargetHealth(
                        health.description().isEmpty() ? null : health.description(),
                        health.reason().isEmpty() ? null : health.reason(), health.state()))
                .build();
    }

    private static TargetRef refOf(TargetGroupRecord tg, TargetDescription target) {
        return new TargetRef(target.id(), target.port() == null ? tg.targetGroup().port() : target.port());
    }

    /**
     * Checks a target against its group's type: an instance that is registered with a cluster here, or an IPv4
     * address in the group's VPC (any zone given must then be the address's) or in a private range outside it
     * (zone {@code all}). Answers the zone to keep.
     */
    private Optional<String> checkTarget(EcsScope scope, TargetGroupRecord tg, TargetDescription target) {
        String id = target.id();
        if (tg.targetGroup().targetType().equals("instance")) {
            if (!id.matches("i-[0-9a-f]{8,17}") || !instanceExists(scope, id)) {
                throw ElbErrors.of("InvalidTarget", "The following targets are not valid instances: '" + id + "'");
            }
            return Optional.empty();
        }
        OptionalLong address = Ipv4Cidr.parseAddress(id);
        if (address.isEmpty()) {
            throw ElbErrors.validation("The IP address '" + id + "' is not a valid IPv4 address");
        }
        boolean inVpc = vpcs.vpcBlocks(scope, tg.targetGroup().vpcId()).orElse(List.of()).stream()
                .anyMatch(block -> block.contains(address.getAsLong()));
        String zone = target.availabilityZone();
        if (inVpc) {
            if ("all".equals(zone)) {
                throw ElbErrors.validation("The Availability Zone 'all' can only be specified for IP addresses outside "
                        + "the target group's VPC");
            }
            return Optional.ofNullable(zone);
        }
        if (!isPrivate(address.getAsLong())) {
            throw ElbErrors.of("InvalidTarget", "The IP address '" + id + "' is not within the target group's VPC or "
                    + "a private address range");
        }
        if (!"all".equals(zone)) {
            throw ElbErrors.validation("The Availability Zone must be 'all' for the IP address '" + id
                    + "', which is outside the target group's VPC");
        }
        return Optional.of("all");
    }

    /** RFC 1918 and RFC 6598 ranges: the addresses outside a VPC ELB takes as ip targets. */
    private static boolean isPrivate(long address) {
        return List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10").stream()
                .map(b -> Ipv4Cidr.parse(b).orElseThrow()).anyMatch(b -> b.contains(address));
    }

    private boolean instanceExists(EcsScope scope, String instanceId) {
        return store.range(scope.keyPrefix() + "ec2-instances/").stream()
                .anyMatch(kv -> kv.key().endsWith("/" + instanceId));
    }
}
