package dev.stevedore.control.ecs.fargate;

import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.ec2.SecurityGroup;
import dev.stevedore.model.ec2.Subnet;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.Txn;

/**
 * VPC records written straight into the store, as the EC2 API writes them, for tests of the ECS side
 * without the EC2 API.
 */
public final class VpcFixture {
    public static final EcsScope SCOPE = new EcsScope(EcsHarness.ACCOUNT, EcsHarness.REGION);

    private VpcFixture() {
    }

    public static void subnet(StateStore store, String id, String vpcId, String zone, String cidr) {
        put(store, Ec2Keys.subnet(SCOPE, id), Subnet.builder().subnetId(id).vpcId(vpcId)
                .availabilityZone(zone).cidrBlock(cidr).state("available").build());
    }

    public static void securityGroup(StateStore store, String id, String vpcId, String name) {
        put(store, Ec2Keys.securityGroup(SCOPE, id), SecurityGroup.builder().groupId(id).vpcId(vpcId)
                .groupName(name).description(name).build());
    }

    private static void put(StateStore store, String key, Object record) {
        store.commit(Txn.builder().put(key, Records.encode(record)).build());
    }
}
