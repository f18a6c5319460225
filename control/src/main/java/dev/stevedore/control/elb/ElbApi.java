package dev.stevedore.control.elb;

import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.awsproto.ServiceSpec;
import dev.stevedore.control.ec2.Ipv4Cidr;
import dev.stevedore.control.ec2.VpcDirectory;
import dev.stevedore.control.elb.listener.ListenerOperations;
import dev.stevedore.control.elb.loadbalancer.LoadBalancerOperations;
import dev.stevedore.control.elb.loadbalancer.LoopbackAddresses;
import dev.stevedore.control.elb.rule.RuleOperations;
import dev.stevedore.control.elb.snapshot.ElbSnapshots;
import dev.stevedore.control.elb.tags.TagOperations;
import dev.stevedore.control.elb.target.Registrations;
import dev.stevedore.control.elb.target.StoredServiceTargets;
import dev.stevedore.control.elb.target.TargetOperations;
import dev.stevedore.control.elb.targetgroup.TargetGroupOperations;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Elastic Load Balancing v2 API (application load balancers, the Query protocol): load balancers, target
 * groups, listeners, rules, targets and their health, tags. Every other operation of the committed spec is
 * answered with a clear "not implemented yet" client error.
 *
 * <p>Besides the operations it offers what others build on: {@link #serviceTargets()} for the ECS service
 * scheduler and {@link #snapshots()} for the data plane.
 */
public final class ElbApi {
    /** The name of the committed shape spec this API speaks. */
    public static final String SPEC_NAME = "elbv2-2015-12-01";

    private final ServiceSpec spec;
    private final Map<String, JsonOperation> operations;
    private final ServiceTargets serviceTargets;
    private final ElbSnapshots snapshots;

    public ElbApi(StateStore store, Clock clock, VpcDirectory vpcs) {
        this(store, clock, vpcs, TargetHealthReadings.NONE, LoopbackAddresses.DEFAULT_POOL);
    }

    /**
     * @param readings what the data plane has seen of the targets ({@link TargetHealthReadings#NONE} without one)
     * @param addressPool the loopback block load balancers get their addresses from (default 127.100.0.0/16)
     */
    public ElbApi(StateStore store, Clock clock, VpcDirectory vpcs, TargetHealthReadings readings, Ipv4Cidr addressPool) {
        this.spec = ServiceSpec.load(SPEC_NAME);
        Registrations registrations = new Registrations(readings);
        Map<String, JsonOperation> ops = new TreeMap<>();
        ops.putAll(new LoadBalancerOperations(store, clock, vpcs, new LoopbackAddresses(addressPool)).operations());
        ops.putAll(new TargetGroupOperations(store, vpcs).operations());
        ops.putAll(new ListenerOperations(store).operations());
        ops.putAll(new RuleOperations(store).operations());
        ops.putAll(new TargetOperations(store, clock, vpcs, registrations).operations());
        ops.putAll(new TagOperations(store).operations());
        for (String name : ops.keySet()) {
            if (spec.operation(name).isEmpty()) {
                throw new IllegalStateException(name + " is not an operation of " + SPEC_NAME);
            }
        }
        for (String name : spec.operationNames()) {
            ops.putIfAbsent(name, (ctx, input) -> {
                throw ElbErrors.notImplemented(name);
            });
        }
        this.operations = Collections.unmodifiableMap(ops);
        this.serviceTargets = new StoredServiceTargets(store, clock, registrations);
        this.snapshots = new ElbSnapshots(store, clock);
    }

    public ServiceSpec spec() {
        return spec;
    }

    /** A handler for every operation of the spec. */
    public Map<String, JsonOperation> operations() {
        return operations;
    }

    /** What each operation needs to be allowed, for {@link dev.stevedore.awsproto.GuardedOperations}. */
    public Map<String, AccessRule> accessRules() {
        return ElbAccessRules.rules(spec);
    }

    /** The door the ECS service scheduler registers and deregisters its tasks through. */
    public ServiceTargets serviceTargets() {
        return serviceTargets;
    }

    /** The data plane's read of the whole configuration. */
    public ElbSnapshots snapshots() {
        return snapshots;
    }
}
