package dev.stevedore.control.ecs.fargate;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.control.ec2.VpcDirectory;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.cluster.Clusters;
import dev.stevedore.control.ecs.placement.TaskNetwork;
import dev.stevedore.model.ec2.SecurityGroup;
import dev.stevedore.model.ecs.AwsVpcConfiguration;
import dev.stevedore.model.ecs.CapacityProviderStrategyItem;
import dev.stevedore.model.ecs.Cluster;
import dev.stevedore.model.ecs.NetworkConfiguration;
import dev.stevedore.model.ecs.PlacementConstraint;
import dev.stevedore.model.ecs.PlacementStrategy;
import dev.stevedore.model.ecs.TaskDefinition;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a RunTask or a service asks for Fargate, and what ECS checks before anything runs: the launch
 * type (given, or from a capacity provider strategy, or from the cluster's default strategy), a
 * Fargate-compatible definition, no placement constraints or strategies, the platform version, and
 * an {@code awsvpcConfiguration} whose subnets and security groups exist in one VPC.
 *
 * <p>The network is checked with plain reads, not as conditions of the launch: a subnet deleted
 * between the check and the placement is not noticed (its addresses' claims are what keep a subnet
 * in use, and they are written with the task).
 */
public final class FargateLaunch {
    public static final String PLATFORM_VERSION = "1.4.0";
    /** The platform version a service asks for when it names none, as ECS shows it on the service. */
    public static final String LATEST = "LATEST";
    public static final String PLATFORM_FAMILY = "Linux";
    /** Task storage on platform 1.4.0 when the definition asks for none. */
    public static final int DEFAULT_EPHEMERAL_STORAGE_GIB = 20;
    static final int MAX_SUBNETS = 16;
    static final int MAX_SECURITY_GROUPS = 5;
    private static final Set<String> PLATFORM_VERSIONS = Set.of(LATEST, "1.4.0", "1.3.0");

    private FargateLaunch() {
    }

    /**
     * How tasks are launched: on the cluster's own instances (EC2), or on the platform with the
     * capacity provider each task is counted against (empty when launchType FARGATE was given).
     */
    public sealed interface Choice {
        record Ec2() implements Choice {
        }

        record Fargate(List<CapacityProviderStrategyItem> strategy) implements Choice {
            public Fargate {
                strategy = List.copyOf(strategy);
            }

            /** The provider of each of {@code count} tasks, by ECS's base-then-weight rule; empty names when none. */
            public List<String> providers(int count) {
                return CapacitySplit.of(strategy, count);
            }

            /**
             * The provider of each of {@code count} more tasks of a service whose tasks already count
             * {@code existing} against each provider (a base is met by tasks already running on it).
             */
            public List<String> providers(Map<String, Integer> existing, int count) {
                return CapacitySplit.next(strategy, existing, count);
            }
        }
    }

    /** Resolves the launch type as ECS does; a launchType other than EC2 or FARGATE is not supported yet. */
    public static Choice choose(EcsScope scope, Cluster cluster, String launchType,
                                List<CapacityProviderStrategyItem> strategy) {
        boolean hasStrategy = strategy != null && !strategy.isEmpty();
        if (launchType != null && hasStrategy) {
            throw EcsErrors.invalidParameter("Specify either a launchType or a capacityProviderStrategy, not both.");
        }
        if (launchType != null) {
            return switch (launchType) {
                case "EC2" -> new Choice.Ec2();
                case "FARGATE" -> new Choice.Fargate(List.of());
                default -> throw EcsErrors.of("UnsupportedFeatureException", "Stevedore runs tasks with the EC2 and "
                        + "FARGATE launch types so far; " + launchType + " is not supported yet.");
            };
        }
        List<CapacityProviderStrategyItem> effective = hasStrategy
                ? Clusters.checkedStrategy(scope, cluster, strategy)
                : Optional.ofNullable(cluster.defaultCapacityProviderStrategy()).orElse(List.of());
        // Only the Fargate providers exist here (an Auto Scaling group provider cannot be made), so a
        // strategy is always a Fargate one.
        return effective.isEmpty() ? new Choice.Ec2() : new Choice.Fargate(effective);
    }

    /** What ECS refuses about the definition and the request for a Fargate launch. */
    public static void checkRequest(TaskDefinition td, List<PlacementConstraint> constraints,
                                    List<PlacementStrategy> strategies) {
        checkRequest(td, constraints, strategies,
                "Task placement constraints are not supported for the FARGATE launch type.",
                "Task placement strategies are not supported for the FARGATE launch type.");
    }

    /** The same checks with the refusals in the words of the caller (CreateService words them its own way). */
    public static void checkRequest(TaskDefinition td, List<PlacementConstraint> constraints,
                                    List<PlacementStrategy> strategies, String constraintsRefused,
                                    String strategiesRefused) {
        if (td.compatibilities() == null || !td.compatibilities().contains("FARGATE")) {
            throw EcsErrors.invalidParameter("Task definition does not support launch_type FARGATE.");
        }
        if (constraints != null && !constraints.isEmpty()) {
            throw EcsErrors.invalidParameter(constraintsRefused);
        }
        if (strategies != null && !strategies.isEmpty()) {
            throw EcsErrors.invalidParameter(strategiesRefused);
        }
    }

    /** The platform version a task reports for the one asked for; unknown ones are refused. */
    public static String platformVersion(String requested) {
        if (requested == null || requested.equals(LATEST)) {
            return PLATFORM_VERSION;
        }
        if (!PLATFORM_VERSIONS.contains(requested)) {
            throw new AwsException("PlatformUnknownException", 400, "The specified platform does not exist.");
        }
        return requested;
    }

    /**
     * The network of an awsvpc launch, with ECS's checks; empty for other network modes, which must
     * not have a network configuration.
     */
    public static Optional<TaskNetwork> network(VpcDirectory vpcs, EcsScope scope, TaskDefinition td,
                                                NetworkConfiguration configuration) {
        boolean awsvpc = "awsvpc".equals(td.networkMode());
        AwsVpcConfiguration vpc = configuration == null ? null : configuration.awsvpcConfiguration();
        if (!awsvpc) {
            if (vpc != null) {
                throw EcsErrors.invalidParameter(
                        "Network Configuration is not valid for the given networkMode of this task definition.");
            }
            return Optional.empty();
        }
        if (vpc == null) {
            throw EcsErrors.invalidParameter(
                    "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        }
        List<String> subnetIds = Optional.ofNullable(vpc.subnets()).orElse(List.of());
        List<String> groupIds = Optional.ofNullable(vpc.securityGroups()).orElse(List.of());
        if (subnetIds.isEmpty()) {
            throw EcsErrors.invalidParameter("subnets can not be empty.");
        }
        if (subnetIds.size() > MAX_SUBNETS) {
            throw EcsErrors.invalidParameter("subnets can have at most " + MAX_SUBNETS + " items.");
        }
        if (groupIds.size() > MAX_SECURITY_GROUPS) {
            throw EcsErrors.invalidParameter("securityGroups can have at most " + MAX_SECURITY_GROUPS + " items.");
        }
        List<TaskNetwork.SubnetChoice> subnets = new ArrayList<>();
        for (String id : new LinkedHashSet<>(subnetIds)) {
            VpcDirectory.SubnetPlacement subnet = vpcs.subnet(scope, id).orElseThrow(() -> ec2Error(
                    "subnet", id, "The subnet ID '" + id + "' does not exist", "InvalidSubnetID.NotFound"));
            subnets.add(new TaskNetwork.SubnetChoice(id, subnet.vpcId(), subnet.availabilityZone(),
                    subnet.cidr().toString()));
        }
        String vpcId = subnets.get(0).vpcId();
        if (subnets.stream().anyMatch(s -> !s.vpcId().equals(vpcId))) {
            throw EcsErrors.invalidParameter("The subnets in the awsvpcConfiguration must all be in the same VPC.");
        }
        List<TaskNetwork.SecurityGroupRef> groups = new ArrayList<>();
        if (groupIds.isEmpty()) {
            SecurityGroup group = vpcs.defaultSecurityGroup(scope, vpcId).orElseThrow(() -> EcsErrors.invalidParameter(
                    "The VPC " + vpcId + " has no default security group; name securityGroups in the "
                            + "awsvpcConfiguration."));
            groups.add(new TaskNetwork.SecurityGroupRef(group.groupId(), group.groupName()));
        }
        for (String id : new LinkedHashSet<>(groupIds)) {
            SecurityGroup group = vpcs.securityGroup(scope, id).orElseThrow(() ->
                    ec2Error("security group", id, "The security group '" + id + "' does not exist",
                            "InvalidGroup.NotFound"));
            if (!vpcId.equals(group.vpcId())) {
                throw EcsErrors.invalidParameter("Security group " + id + " does not belong to the VPC " + vpcId
                        + " of the subnets.");
            }
            groups.add(new TaskNetwork.SecurityGroupRef(id, group.groupName()));
        }
        boolean publicIp = "ENABLED".equals(vpc.assignPublicIp());
        return Optional.of(new TaskNetwork(subnets, groups, publicIp));
    }

    /**
     * The network of a launch on a cluster's own instances (the EC2 launch type): as
     * {@link #network}, except that an interface attached to an instance gets no public address,
     * so ECS refuses {@code assignPublicIp} ENABLED.
     */
    public static Optional<TaskNetwork> ec2Network(VpcDirectory vpcs, EcsScope scope, TaskDefinition td,
                                                   NetworkConfiguration configuration) {
        if (configuration != null && configuration.awsvpcConfiguration() != null
                && "ENABLED".equals(configuration.awsvpcConfiguration().assignPublicIp())) {
            throw EcsErrors.invalidParameter("Assign public IP is not supported for this launch type.");
        }
        return network(vpcs, scope, td, configuration);
    }

    /** How ECS passes on an EC2 error it met looking up the network. */
    private static AwsException ec2Error(String what, String id, String message, String code) {
        return EcsErrors.invalidParameter("Error retrieving " + what + " information for [" + id + "]: " + message
                + " (Service: AmazonEC2; Status Code: 400; Error Code: " + code + ")");
    }
}
