package dev.stevedore.control.ec2;

import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.awsproto.ServiceSpec;
import dev.stevedore.control.ec2.networkinterface.NetworkInterfaceQueries;
import dev.stevedore.control.ec2.securitygroup.RuleOperations;
import dev.stevedore.control.ec2.securitygroup.SecurityGroupOperations;
import dev.stevedore.control.ec2.subnet.SubnetOperations;
import dev.stevedore.control.ec2.tags.TagOperations;
import dev.stevedore.control.ec2.vpc.VpcOperations;
import dev.stevedore.control.ec2.zone.AvailabilityZoneQueries;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.store.StateStore;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The VPC part of the EC2 API: every operation of the committed EC2 spec, each answered by its
 * handler. Before any handler runs, the caller's scope is given its default VPC (see
 * {@link DefaultVpc}), as an AWS account has one in every Region from the start. A call with
 * {@code DryRun} is answered {@code DryRunOperation} without running.
 */
public final class Ec2Api {
    /** The name of the committed shape spec this API speaks. */
    public static final String SPEC_NAME = "ec2-2016-11-15";

    private final ServiceSpec spec;
    private final Map<String, JsonOperation> operations;

    public Ec2Api(StateStore store) {
        this.spec = ServiceSpec.load(SPEC_NAME);
        Map<String, JsonOperation> ops = new TreeMap<>();
        ops.putAll(new VpcOperations(store).operations());
        ops.putAll(new SubnetOperations(store).operations());
        ops.putAll(new SecurityGroupOperations(store).operations());
        ops.putAll(new RuleOperations(store).operations());
        ops.putAll(new NetworkInterfaceQueries(store).operations());
        ops.putAll(new AvailabilityZoneQueries().operations());
        ops.putAll(new TagOperations(store).operations());
        for (String name : ops.keySet()) {
            if (spec.operation(name).isEmpty()) {
                throw new IllegalStateException(name + " is not an operation of " + SPEC_NAME);
            }
        }
        for (String name : spec.operationNames()) {
            if (!ops.containsKey(name)) {
                throw new IllegalStateException(SPEC_NAME + " has " + name + ", which has no handler");
            }
        }
        Map<String, JsonOperation> withDefaults = new TreeMap<>();
        ops.forEach((name, op) -> withDefaults.put(name, (ctx, input) -> {
            if (input.path("DryRun").asBoolean(false)) {
                // Not a full dry run: the request's own checks are not made. Answering this rather
                // than ignoring the flag keeps a dry run from creating or deleting anything.
                throw Ec2Errors.dryRun();
            }
            DefaultVpc.ensure(store, EcsScope.of(ctx));
            return op.handle(ctx, input);
        }));
        this.operations = Collections.unmodifiableMap(withDefaults);
    }

    public ServiceSpec spec() {
        return spec;
    }

    /** What each operation needs to be allowed, for {@link dev.stevedore.awsproto.GuardedOperations}. */
    public Map<String, AccessRule> accessRules() {
        return Ec2AccessRules.rules();
    }

    /** A handler for every operation of the spec. */
    public Map<String, JsonOperation> operations() {
        return operations;
    }
}
