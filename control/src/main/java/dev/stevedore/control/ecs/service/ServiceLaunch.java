package dev.stevedore.control.ecs.service;

import dev.stevedore.control.ec2.VpcDirectory;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.cluster.Clusters;
import dev.stevedore.control.ecs.fargate.FargateLaunch;
import dev.stevedore.model.ecs.AwsVpcConfiguration;
import dev.stevedore.model.ecs.CapacityProviderStrategyItem;
import dev.stevedore.model.ecs.Cluster;
import dev.stevedore.model.ecs.NetworkConfiguration;
import dev.stevedore.model.ecs.PlacementConstraint;
import dev.stevedore.model.ecs.PlacementStrategy;
import dev.stevedore.model.ecs.TaskDefinition;

import java.util.List;
import java.util.Optional;

/**
 * How a service's tasks are launched, as ECS shows it on the service: a launch type (EC2 or
 * FARGATE), or a capacity provider strategy (only the Fargate providers exist here) and then no
 * launch type. With neither in the request the cluster's default strategy is the service's, as in
 * ECS; an empty one means EC2.
 *
 * @param launchType the launch type, empty when the tasks are launched by a strategy
 * @param strategy   the capacity provider strategy, with base and weight filled in; empty with a launch type
 */
record ServiceLaunch(Optional<String> launchType, List<CapacityProviderStrategyItem> strategy) {
    static final ServiceLaunch EC2 = new ServiceLaunch(Optional.of("EC2"), List.of());
    static final ServiceLaunch FARGATE = new ServiceLaunch(Optional.of("FARGATE"), List.of());

    ServiceLaunch {
        strategy = List.copyOf(strategy);
    }

    boolean fargate() {
        return !strategy.isEmpty() || launchType.filter("FARGATE"::equals).isPresent();
    }

    /** The launch as a stored service shows it. */
    static ServiceLaunch of(dev.stevedore.model.ecs.Service service) {
        List<CapacityProviderStrategyItem> strategy = Optional.ofNullable(service.capacityProviderStrategy())
                .orElse(List.of());
        return new ServiceLaunch(strategy.isEmpty() ? Optional.of(Optional.ofNullable(service.launchType())
                .orElse("EC2")) : Optional.empty(), strategy);
    }

    /**
     * CreateService's launch: the launch type or strategy given, else the cluster's default
     * strategy. The EXTERNAL controller's services launch through their task sets, which run on EC2
     * only so far.
     */
    static ServiceLaunch create(EcsScope scope, Cluster cluster, String launchType,
                                List<CapacityProviderStrategyItem> strategy, String scheduling, String controller) {
        boolean hasStrategy = strategy != null && !strategy.isEmpty();
        if (ServiceStatus.EXTERNAL.equals(controller)) {
            return new ServiceLaunch(Optional.of(ServiceRules.launchType(launchType, strategy)), List.of());
        }
        if (launchType != null && hasStrategy) {
            throw EcsErrors.invalidParameter("Specifying both a launch type and capacity provider strategy is not "
                    + "supported. Remove one and try again.");
        }
        boolean daemon = ServiceStatus.DAEMON.equals(scheduling);
        FargateLaunch.Choice choice = FargateLaunch.choose(scope, cluster, launchType, strategy);
        if (choice instanceof FargateLaunch.Choice.Fargate fargate) {
            if (daemon && launchType == null) {
                // Also when the strategy is the cluster's default: ECS says so in these words either way.
                throw EcsErrors.invalidParameter(DAEMON_WITH_STRATEGY);
            }
            if (daemon) {
                throw EcsErrors.invalidParameter("The DAEMON scheduling strategy is not supported with the FARGATE "
                        + "launch type.");
            }
            return fargate.strategy().isEmpty() ? FARGATE : new ServiceLaunch(Optional.empty(), fargate.strategy());
        }
        return EC2;
    }

    static final String DAEMON_WITH_STRATEGY = "Specifying a capacity provider strategy is not supported when you "
            + "create a service using the DAEMON scheduling strategy.";

    /**
     * UpdateService's {@code capacityProviderStrategy}: a strategy replaces the launch type or the
     * strategy the service has; an empty list takes a service on a Fargate strategy back to the
     * FARGATE launch type, and leaves a service on a launch type as it is.
     */
    ServiceLaunch updated(EcsScope scope, Cluster cluster, List<CapacityProviderStrategyItem> given, boolean daemon) {
        if (given.isEmpty()) {
            return strategy.isEmpty() ? this : FARGATE;
        }
        if (daemon) {
            throw EcsErrors.invalidParameter(DAEMON_WITH_STRATEGY);
        }
        return new ServiceLaunch(Optional.empty(), Clusters.checkedStrategy(scope, cluster, given));
    }

    /** The platform version the service shows: the one asked for (checked), LATEST when none; none on EC2. */
    Optional<String> platformVersion(String requested) {
        if (!fargate()) {
            if (requested != null) {
                throw EcsErrors.invalidParameter("The platform version must be null when specifying an EC2 launch "
                        + "type.");
            }
            return Optional.empty();
        }
        FargateLaunch.platformVersion(requested);
        return Optional.of(requested == null ? FargateLaunch.LATEST : requested);
    }

    /**
     * What ECS refuses of a Fargate service: a definition not compatible with FARGATE, placement
     * constraints or strategies, and a network configuration that is missing or names subnets and
     * groups that do not exist in one VPC. Returns the configuration as ECS echoes it.
     */
    static NetworkConfiguration checkFargate(VpcDirectory vpcs, EcsScope scope, TaskDefinition td,
                                             List<PlacementConstraint> constraints, List<PlacementStrategy> strategies,
                                             NetworkConfiguration network) {
        FargateLaunch.checkRequest(td, constraints, strategies,
                "Placement constraints are not supported with FARGATE launch type.",
                "Placement strategies are not supported with FARGATE launch type.");
        if (FargateLaunch.network(vpcs, scope, td, network).isEmpty()) {
            // A FARGATE-compatible definition is always awsvpc; this is the message for one that is not.
            throw EcsErrors.invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is "
                    + "specified.");
        }
        AwsVpcConfiguration vpc = network.awsvpcConfiguration();
        return vpc.assignPublicIp() != null ? network : network.toBuilder()
                .awsvpcConfiguration(vpc.toBuilder().assignPublicIp("DISABLED").build()).build();
    }
}
