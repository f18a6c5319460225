package dev.stevedore.control.ec2;

import dev.stevedore.control.ec2.securitygroup.SecurityGroups;
import dev.stevedore.control.ec2.subnet.Subnets;
import dev.stevedore.control.ec2.vpc.Vpcs;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ec2.Vpc;
import dev.stevedore.store.StateStore;

import java.util.List;
import java.util.Optional;

/**
 * The default VPC every (account, Region) has, as in a new AWS account: 172.31.0.0/16, a /20
 * default subnet in each zone (172.31.0.0/20, 172.31.16.0/20, …) that gives tasks public
 * addresses, and the VPC's default security group.
 *
 * <p>It is made the first time anything in the scope needs it, in one transaction conditional on
 * the scope's marker being absent, so concurrent first calls make it once. Deleting the default
 * VPC later does not bring it back (the marker stays), as in AWS.
 */
public final class DefaultVpc {
    static final Ipv4Cidr CIDR = Ipv4Cidr.parse("172.31.0.0/16").orElseThrow();
    private static final int SUBNET_PREFIX = 20;

    private DefaultVpc() {
    }

    /** Makes the scope's default VPC unless it was made before; cheap (one read) once it was. */
    public static void ensure(StateStore store, EcsScope scope) {
        String marker = Ec2Keys.defaultVpcMarker(scope);
        if (store.get(marker).isPresent()) {
            return;
        }
        StoreTx.run(store, tx -> {
            if (tx.read(marker, String.class).isPresent()) {
                return null;
            }
            String vpcId = Ec2Ids.newId(Ec2Ids.VPC);
            tx.put(Ec2Keys.vpc(scope, vpcId), Vpcs.newVpc(scope, vpcId, CIDR, true, "default", null));
            String groupId = Ec2Ids.newId(Ec2Ids.SECURITY_GROUP);
            tx.put(Ec2Keys.securityGroup(scope, groupId), SecurityGroups.defaultGroup(scope, groupId, vpcId));
            List<AvailabilityZones.Zone> zones = AvailabilityZones.of(scope.region());
            long subnetSize = 1L << (32 - SUBNET_PREFIX);
            for (int i = 0; i < zones.size(); i++) {
                Ipv4Cidr cidr = new Ipv4Cidr(CIDR.network() + i * subnetSize, SUBNET_PREFIX);
                String subnetId = Ec2Ids.newId(Ec2Ids.SUBNET);
                tx.put(Ec2Keys.subnet(scope, subnetId), Subnets.newSubnet(scope, subnetId, vpcId, cidr, zones.get(i), true, null));
            }
            tx.put(marker, vpcId);
            return null;
        });
    }

    /** The scope's default VPC, unless it was deleted. */
    public static Optional<Vpc> find(StateStore store, EcsScope scope) {
        ensure(store, scope);
        return store.get(Ec2Keys.defaultVpcMarker(scope))
                .map(kv -> dev.stevedore.control.state.Records.decode(kv.value(), String.class))
                .flatMap(id -> store.get(Ec2Keys.vpc(scope, id)))
                .map(kv -> dev.stevedore.control.state.Records.decode(kv.value(), Vpc.class));
    }
}
