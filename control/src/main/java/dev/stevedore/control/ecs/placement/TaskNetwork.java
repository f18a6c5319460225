package dev.stevedore.control.ecs.placement;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where an {@code awsvpc} task's network interface goes, as RunTask or a service resolved it from
 * {@code awsvpcConfiguration}: the subnets to choose from (already checked to exist and to share
 * one VPC) and the security groups the interface gets.
 */
public record TaskNetwork(List<SubnetChoice> subnets, List<SecurityGroupRef> securityGroups, boolean assignPublicIp) {

    public TaskNetwork {
        subnets = List.copyOf(subnets);
        securityGroups = List.copyOf(securityGroups);
        if (subnets.isEmpty()) {
            throw new IllegalArgumentException("an awsvpc task needs at least one subnet");
        }
    }

    /** The Availability Zones of the subnets: a task on a container instance must be in one of them. */
    public Set<String> zones() {
        Set<String> zones = new TreeSet<>();
        subnets.forEach(s -> zones.add(s.availabilityZone()));
        return zones;
    }

    /** A security group the interface gets, with the name EC2 shows beside its id. */
    public record SecurityGroupRef(String groupId, String groupName) {
        public SecurityGroupRef {
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(groupName, "groupName");
        }
    }

    /** A subnet a task may take an address from. */
    public record SubnetChoice(String subnetId, String vpcId, String availabilityZone, String cidrBlock) {
        public SubnetChoice {
            Objects.requireNonNull(subnetId, "subnetId");
            Objects.requireNonNull(vpcId, "vpcId");
            Objects.requireNonNull(availabilityZone, "availabilityZone");
            Objects.requireNonNull(cidrBlock, "cidrBlock");
        }
    }
}
