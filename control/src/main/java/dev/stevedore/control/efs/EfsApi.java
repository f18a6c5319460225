package dev.stevedore.control.efs;

import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.awsproto.ServiceSpec;
import dev.stevedore.control.ec2.VpcDirectory;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Amazon EFS API (REST-JSON): file systems, mount targets in the EC2 API's subnets, access points,
 * file system policies, lifecycle and backup settings, and tags, every operation of the committed EFS
 * spec. Records live under {@code /efs/ACCOUNT/REGION/} ({@link EfsScope}); the data is in a volume the
 * storage controller ({@link dev.stevedore.control.efs.storage.FileSystemVolumes}) makes for each file
 * system, never in the store.
 */
public final class EfsApi {
    /** The name of the committed shape spec this API speaks. */
    public static final String SPEC_NAME = "efs-2015-02-01";

    private final ServiceSpec spec;
    private final Map<String, JsonOperation> operations;

    public EfsApi(StateStore store, Clock clock, VpcDirectory vpcs) {
        this.spec = ServiceSpec.load(SPEC_NAME);
        Map<String, JsonOperation> ops = new TreeMap<>();
        ops.putAll(new FileSystemOperations(store, clock).operations());
        ops.putAll(new MountTargetOperations(store, vpcs).operations());
        ops.putAll(new AccessPointOperations(store).operations());
        ops.putAll(new PolicyOperations(store).operations());
        ops.putAll(new EfsTags(store).operations());
        if (!ops.keySet().equals(new TreeSet<>(spec.operationNames()))) {
            throw new IllegalStateException("the handlers " + ops.keySet() + " do not match " + SPEC_NAME);
        }
        this.operations = Collections.unmodifiableMap(ops);
    }

    public ServiceSpec spec() {
        return spec;
    }

    /** What each operation needs to be allowed, for {@link dev.stevedore.awsproto.GuardedOperations}. */
    public Map<String, AccessRule> accessRules() {
        return EfsAccessRules.rules();
    }

    /** A handler for every operation of the spec. */
    public Map<String, JsonOperation> operations() {
        return operations;
    }
}
