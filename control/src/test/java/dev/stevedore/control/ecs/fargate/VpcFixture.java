package dev.stevedore.control.ecs.fargate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.ec2.SecurityGroup;
import dev.stevedore.model.ec2.Subnet;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.Txn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * VPC records written straight into the store, as the EC2 API writes them, for tests of the ECS side
 * without the EC2 API; and what those tests read back (claims, attachment details).
 */
public final class VpcFixture {
    public static final EcsScope SCOPE = new EcsScope(EcsHarness.ACCOUNT, EcsHarness.REGION);
    /** The capabilities an awsvpc definition requires of an instance (its requiresAttributes), as the agent registers them. */
    public static final List<String> AWSVPC_CAPABLE = List.of("ecs.capability.task-eni",
            "com.amazonaws.ecs.capability.docker-remote-api.1.18");

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

    /** The addresses of a subnet that are claimed, lowest key first. */
    public static List<String> claims(StateStore store, String subnet) {
        List<String> out = new ArrayList<>();
        for (KeyValue kv : store.range(Ec2Keys.subnetAddresses(SCOPE, subnet))) {
            out.add(kv.key().substring(kv.key().lastIndexOf('/') + 1));
        }
        return out;
    }

    /** A task attachment's details as a map, in their order. */
    public static Map<String, String> details(JsonNode attachment) {
        Map<String, String> out = new LinkedHashMap<>();
        attachment.path("details").forEach(d -> out.put(d.path("name").asText(), d.path("value").asText()));
        return out;
    }

    private static void put(StateStore store, String key, Object record) {
        store.commit(Txn.builder().put(key, Records.encode(record)).build());
    }
}
