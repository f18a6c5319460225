package dev.stevedore.control.elb.targetgroup;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ec2.VpcDirectory;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.elb.ElbArns;
import dev.stevedore.control.elb.ElbErrors;
import dev.stevedore.control.elb.ElbKeys;
import dev.stevedore.control.elb.ElbRecords;
import dev.stevedore.control.elb.query.Paging;
import dev.stevedore.control.elb.tags.Tags;
import dev.stevedore.control.iam.query.Listing;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.elbv2.CreateTargetGroupInput;
import dev.stevedore.model.elbv2.CreateTargetGroupOutput;
import dev.stevedore.model.elbv2.DeleteTargetGroupInput;
import dev.stevedore.model.elbv2.DeleteTargetGroupOutput;
import dev.stevedore.model.elbv2.DescribeTargetGroupAttributesInput;
import dev.stevedore.model.elbv2.DescribeTargetGroupAttributesOutput;
import dev.stevedore.model.elbv2.DescribeTargetGroupsInput;
import dev.stevedore.model.elbv2.DescribeTargetGroupsOutput;
import dev.stevedore.model.elbv2.ModifyTargetGroupAttributesInput;
import dev.stevedore.model.elbv2.ModifyTargetGroupAttributesOutput;
import dev.stevedore.model.elbv2.ModifyTargetGroupInput;
import dev.stevedore.model.elbv2.ModifyTargetGroupOutput;
import dev.stevedore.model.elbv2.TargetGroup;
import dev.stevedore.model.elbv2.TargetGroupAttribute;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * CreateTargetGroup, DescribeTargetGroups, ModifyTargetGroup, DeleteTargetGroup and the group's attributes.
 * Target groups of type {@code instance} or {@code ip} with protocol HTTP are served.
 */
public final class TargetGroupOperations {
    private final StateStore store;
    private final VpcDirectory vpcs;

    public TargetGroupOperations(StateStore store, VpcDirectory vpcs) {
        this.store = store;
        this.vpcs = vpcs;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateTargetGroup", Operations.typed(CreateTargetGroupInput.class, this::create),
                "DescribeTargetGroups", Operations.typed(DescribeTargetGroupsInput.class, this::describe),
                "ModifyTargetGroup", Operations.typed(ModifyTargetGroupInput.class, this::modify),
                "DeleteTargetGroup", Operations.typed(DeleteTargetGroupInput.class, this::delete),
                "DescribeTargetGroupAttributes",
                Operations.typed(DescribeTargetGroupAttributesInput.class, this::describeAttributes),
                "ModifyTargetGroupAttributes",
                Operations.typed(ModifyTargetGroupAttributesInput.class, this::modifyAttributes));
    }

    CreateTargetGroupOutput create(CallContext ctx, CreateTargetGroupInput request) {
        EcsScope scope = EcsScope.of(ctx);
        String name = request.name();
        checkName(name);
        String targetType = request.targetType() == null ? "instance" : request.targetType();
        if (!targetType.equals("instance") && !targetType.equals("ip")) {
            throw ElbErrors.notImplemented("target groups of target type '" + targetType + "'");
        }
        if (request.protocol() == null) {
            throw ElbErrors.validation("A protocol must be specified");
        }
        if (!request.protocol().equals("HTTP")) {
            throw ElbErrors.notImplemented("target groups of protocol '" + request.protocol() + "'");
        }
        if (request.port() == null) {
            throw ElbErrors.validation("A port must be specified");
        }
        if (request.vpcId() == null) {
            throw ElbErrors.validation("A VPC ID must be specified");
        }
        if (vpcs.vpcBlocks(scope, request.vpcId()).isEmpty()) {
            throw ElbErrors.validation("The VPC ID '" + request.vpcId() + "' is not found");
        }
        if (request.protocolVersion() != null && !request.protocolVersion().equals("HTTP1")) {
            throw ElbErrors.notImplemented("the protocol version '" + request.protocolVersion() + "'");
        }
        if (request.ipAddressType() != null && !request.ipAddressType().equals("ipv4")) {
            throw ElbErrors.notImplemented("the IP address type '" + request.ipAddressType() + "'");
        }
        if (request.targetControlPort() != null) {
            throw ElbErrors.notImplemented("target control ports");
        }
        if (Boolean.FALSE.equals(request.healthCheckEnabled())) {
            throw ElbErrors.validation("Health check enabled must be true for target groups with target type '"
                    + targetType + "'");
        }
        HealthCheckSettings settings = HealthCheckSettings.DEFAULTS.with(request.healthCheckProtocol(),
                request.healthCheckPort(), request.healthCheckPath(), request.healthCheckIntervalSeconds(),
                request.healthCheckTimeoutSeconds(), request.healthyThresholdCount(), request.unhealthyThresholdCount(),
                request.matcher());
        var tags = Tags.given(request.tags());
        return StoreTx.run(store, tx -> {
            String key = ElbKeys.targetGroup(scope, name);
            var existing = tx.read(key, TargetGroupRecord.class);
            TargetGroup wanted = settings.applyTo(TargetGroup.builder()
                    .targetGroupName(name)
                    .protocol("HTTP")
                    .protocolVersion("HTTP1")
                    .port(request.port())
                    .vpcId(request.vpcId())
                    .targetType(targetType)
                    .ipAddressType("ipv4")
                    .healthCheckEnabled(true)).build();
            if (existing.isPresent()) {
                // Idempotent, as ELB's: the same settings again answer the group made.
                TargetGroup made = existing.get().targetGroup();
                if (made.toBuilder().targetGroupArn(null).build().equals(wanted)) {
                    return new CreateTargetGroupOutput(List.of(answered(tx, scope, existing.get())));
                }
                throw ElbErrors.of("DuplicateTargetGroupName",
                        "A target group with the same name '" + name + "' exists, but with different settings");
            }
            if (ElbRecords.targetGroups(tx, scope).size() >= 3000) {
                throw ElbErrors.of("TooManyTargetGroups", "The maximum number of target groups has been reached");
            }
            TargetGroup made = wanted.toBuilder().targetGroupArn(ElbArns.targetGroup(scope, name, ElbArns.newId())).build();
            TargetGroupRecord record = new TargetGroupRecord(made, Map.of(), tags);
            tx.put(key, record);
            return new CreateTargetGroupOutput(List.of(made.toBuilder().loadBalancerArns(List.of()).build()));
        });
    }

    DescribeTargetGroupsOutput describe(CallContext ctx, DescribeTargetGroupsInput request) {
        EcsScope scope = EcsScope.of(ctx);
        List<String> names = request.names() == null ? List.of() : request.names();
        List<String> arns = request.targetGroupArns() == null ? List.of() : request.targetGroupArns();
        int criteria = (names.isEmpty() ? 0 : 1) + (arns.isEmpty() ? 0 : 1) + (request.loadBalancerArn() == null ? 0 : 1);
        if (criteria > 1) {
            throw ElbErrors.validation(
                    "Target group names, target group ARNs, and a load balancer ARN cannot be specified at the same time");
        }
        List<TargetGroup> answered = StoreTx.run(store, tx -> {
            List<TargetGroupRecord> all = ElbRecords.targetGroups(tx, scope);
            List<TargetGroupRecord> chosen;
            if (!names.isEmpty()) {
                List<String> missing = names.stream()
                        .filter(n -> all.stream().noneMatch(tg -> tg.name().equals(n))).distinct().toList();
                if (!missing.isEmpty()) {
                    throw ElbErrors.of("TargetGroupNotFound", "Target groups '" + missing + "' not found");
                }
                chosen = all.stream().filter(tg -> names.contains(tg.name())).toList();
            } else if (!arns.isEmpty()) {
                chosen = new ArrayList<>();
                for (String arn : new LinkedHashSet<>(arns)) {
                    chosen.add(ElbRecords.requireTargetGroup(tx, scope, arn));
                }
            } else if (request.loadBalancerArn() != null) {
                ElbRecords.requireLoadBalancer(tx, scope, request.loadBalancerArn());
                chosen = all.stream().filter(tg -> ElbRecords.loadBalancersUsing(tx, scope, tg.arn())
                        .contains(request.loadBalancerArn())).toList();
            } else {
                chosen = all;
            }
            return chosen.stream().map(tg -> answered(tx, scope, tg)).toList();
        });
        List<TargetGroup> sorted = answered.stream().sorted(Comparator.comparing(TargetGroup::targetGroupName)).toList();
        Listing.Page<TargetGroup> page = Paging.page(sorted, TargetGroup::targetGroupName, request.marker(),
                request.pageSize());
        return new DescribeTargetGroupsOutput(page.markerOrNull(), page.items());
    }

    ModifyTargetGroupOutput modify(CallContext ctx, ModifyTargetGroupInput request) {
        EcsScope scope = EcsScope.of(ctx);
        if (Boolean.FALSE.equals(request.healthCheckEnabled())) {
            throw ElbErrors.validation("Health check enabled must be true for target groups with target type "
                    + "'instance' or 'ip'");
        }
        return StoreTx.run(store, tx -> {
            TargetGroupRecord tg = ElbRecords.requireTargetGroup(tx, scope, request.targetGroupArn());
            HealthCheckSettings settings = HealthCheckSettings.of(tg.targetGroup()).with(request.healthCheckProtocol(),
                    request.healthCheckPort(), request.healthCheckPath(), request.healthCheckIntervalSeconds(),
                    request.healthCheckTimeoutSeconds(), request.healthyThresholdCount(),
                    request.unhealthyThresholdCount(), request.matcher());
            TargetGroupRecord next = tg.withTargetGroup(settings.applyTo(tg.targetGroup().toBuilder()).build());
            tx.put(ElbKeys.targetGroup(scope, tg.name()), next);
            return new ModifyTargetGroupOutput(List.of(answered(tx, scope, next)));
        });
    }

    /** Deletes the group and its registrations; ResourceInUse while a listener or rule forwards to it. */
    DeleteTargetGroupOutput delete(CallContext ctx, DeleteTargetGroupInput request) {
        EcsScope scope = EcsScope.of(ctx);
        StoreTx.run(store, tx -> {
            var found = ElbRecords.targetGroup(tx, scope, request.targetGroupArn());
            if (found.isEmpty()) {
                return null;
            }
            TargetGroupRecord tg = found.get();
            if (!ElbRecords.loadBalancersUsing(tx, scope, tg.arn()).isEmpty()) {
                throw ElbErrors.of("ResourceInUse", "Target group '" + tg.arn()
                        + "' is currently in use by a listener or a rule");
            }
            store.range(ElbKeys.targetsOf(scope, tg.name())).forEach(kv -> tx.delete(kv.key()));
            tx.delete(ElbKeys.targetGroup(scope, tg.name()));
            return null;
        });
        return new DeleteTargetGroupOutput();
    }

    DescribeTargetGroupAttributesOutput describeAttributes(CallContext ctx, DescribeTargetGroupAttributesInput request) {
        EcsScope scope = EcsScope.of(ctx);
        TargetGroupRecord tg = StoreTx.run(store, tx -> ElbRecords.requireTargetGroup(tx, scope, request.targetGroupArn()));
        return new DescribeTargetGroupAttributesOutput(attributesOf(tg.attributes()));
    }

    ModifyTargetGroupAttributesOutput modifyAttributes(CallContext ctx, ModifyTargetGroupAttributesInput request) {
        EcsScope scope = EcsScope.of(ctx);
        List<Map.Entry<String, String>> changes = request.attributes().stream()
                .map(a -> Map.entry(a.key() == null ? "" : a.key(), a.value() == null ? "" : a.value())).toList();
        TargetGroupRecord next = StoreTx.run(store, tx -> {
            TargetGroupRecord tg = ElbRecords.requireTargetGroup(tx, scope, request.targetGroupArn());
            TargetGroupRecord modified = tg.withAttributes(TargetGroupAttributes.modified(tg.attributes(), changes));
            tx.put(ElbKeys.targetGroup(scope, tg.name()), modified);
            return modified;
        });
        return new ModifyTargetGroupAttributesOutput(attributesOf(next.attributes()));
    }

    private static List<TargetGroupAttribute> attributesOf(Map<String, String> set) {
        return TargetGroupAttributes.SCHEMA.effective(set).entrySet().stream()
                .map(e -> new TargetGroupAttribute(e.getKey(), e.getValue())).toList();
    }

    /** The wire group with its LoadBalancerArns: the load balancers whose listeners or rules forward to it. */
    public static TargetGroup answered(StoreTx tx, EcsScope scope, TargetGroupRecord record) {
        return record.targetGroup().toBuilder().loadBalancerArns(ElbRecords.loadBalancersUsing(tx, scope, record.arn()))
                .build();
    }

    static void checkName(String name) {
        if (name.length() > 32) {
            throw ElbErrors.validation("Target group name '" + name + "' cannot be longer than '32' characters");
        }
        if (!name.matches("[a-zA-Z0-9-]+")) {
            throw ElbErrors.validation("Target group name '" + name
                    + "' can only contain characters that are alphanumeric characters or hyphens(-)");
        }
        if (name.startsWith("-") || name.endsWith("-")) {
            throw ElbErrors.validation("Target group name '" + name + "' cannot begin or end with '-' character");
        }
    }
}
