package dev.stevedore.control.ecs.service;

import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.elb.ServiceTargets;
import dev.stevedore.control.elb.TargetGroupFacts;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.LoadBalancer;
import dev.stevedore.model.ecs.PortMapping;
import dev.stevedore.model.ecs.TaskDefinition;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What CreateService and UpdateService check of a service's {@code loadBalancers}, in ECS's order and
 * words: each entry names an Application Load Balancer's target group (a Classic Load Balancer's name
 * cannot be found: Stevedore has none), the group exists and a load balancer forwards to it, its target
 * type fits the definition's network mode ({@code ip} for awsvpc, {@code instance} for bridge and host),
 * and the container and its containerPort are in the definition. The checks read the target groups
 * through {@link ServiceTargets} and write nothing.
 */
public final class LoadBalancerRules {
    /** ECS's quota of target groups per service. */
    static final int MAX_TARGET_GROUPS = 5;

    private LoadBalancerRules() {
    }

    /** The entries as the service keeps them (an absent list is none). */
    static List<LoadBalancer> check(ServiceTargets targets, EcsScope scope, List<LoadBalancer> given,
                                    TaskDefinition td) {
        List<LoadBalancer> entries = given == null ? List.of() : List.copyOf(given);
        if (entries.size() > MAX_TARGET_GROUPS) {
            throw EcsErrors.invalidParameter("A service can be attached to at most " + MAX_TARGET_GROUPS
                    + " target groups.");
        }
        for (LoadBalancer lb : entries) {
            checkOne(targets, scope, lb, td);
        }
        return entries;
    }

    private static void checkOne(ServiceTargets targets, EcsScope scope, LoadBalancer lb, TaskDefinition td) {
        if (lb.loadBalancerName() != null && lb.targetGroupArn() != null) {
            throw EcsErrors.invalidParameter("loadBalancerName and targetGroupArn cannot both be specified. You must "
                    + "specify either a loadBalancerName or a targetGroupArn.");
        }
        if (lb.loadBalancerName() != null) {
            // Classic Load Balancers are not served: none by that name exists.
            throw EcsErrors.invalidParameter("The load balancer " + lb.loadBalancerName() + " does not exist.");
        }
        if (lb.targetGroupArn() == null) {
            throw EcsErrors.invalidParameter("You must specify either a loadBalancerName or a targetGroupArn.");
        }
        if (lb.containerName() == null || lb.containerPort() == null) {
            throw EcsErrors.invalidParameter("containerName and containerPort must be specified for a load balancer.");
        }
        TargetGroupFacts group = targets.targetGroup(scope, lb.targetGroupArn())
                .orElseThrow(() -> EcsErrors.invalidParameter("Unable to assume role and validate the specified "
                        + "targetGroupArn. Please verify that the ECS service role being passed has the proper "
                        + "permissions."));
        if (group.loadBalancerArns().isEmpty()) {
            throw EcsErrors.invalidParameter("The target group with targetGroupArn " + lb.targetGroupArn()
                    + " does not have an associated load balancer.");
        }
        String mode = networkMode(td);
        if (!fits(group.targetType(), mode)) {
            throw EcsErrors.invalidParameter("The provided target group " + lb.targetGroupArn() + " has target type "
                    + group.targetType() + ", which is incompatible with the " + mode
                    + " network mode specified in the task definition.");
        }
        if (lb.advancedConfiguration() != null) {
            AdvancedConfigurationRules.check(targets, scope, lb, group);
        }
        ContainerDefinition container = td.containerDefinitions().stream()
                .filter(c -> lb.containerName().equals(c.name())).findFirst()
                .orElseThrow(() -> EcsErrors.invalidParameter("The container " + lb.containerName()
                        + " does not exist in the task definition."));
        boolean hasPort = Optional.ofNullable(container.portMappings()).orElse(List.of()).stream()
                .map(PortMapping::containerPort).anyMatch(p -> Objects.equals(p, lb.containerPort()));
        if (!hasPort) {
            throw EcsErrors.invalidParameter("The container " + lb.containerName() + " did not have a container port "
                    + lb.containerPort() + " defined.");
        }
    }

    /** The definition's network mode; a definition without one runs in bridge mode on Linux hosts. */
    static String networkMode(TaskDefinition td) {
        return td.networkMode() == null ? "bridge" : td.networkMode();
    }

    /** An awsvpc task is reached at its own address, a bridge or host task at its instance's port. */
    static boolean fits(String targetType, String networkMode) {
        return "awsvpc".equals(networkMode) ? "ip".equals(targetType) : "instance".equals(targetType);
    }

    /**
     * The service's {@code roleArn}: ECS takes a role only for a service behind a load balancer whose
     * tasks are not awsvpc (those use the service-linked role); a name is a role at the root path.
     */
    static Optional<String> role(String role, List<LoadBalancer> loadBalancers, TaskDefinition td, EcsScope scope) {
        if (role == null) {
            return Optional.empty();
        }
        if (loadBalancers.isEmpty() || "awsvpc".equals(networkMode(td))) {
            throw EcsErrors.invalidParameter("You cannot specify an IAM role for services that require a service "
                    + "linked role.");
        }
        return Optional.of(role.startsWith("arn:") ? role : "arn:aws:iam::" + scope.accountId() + ":role/" + role);
    }
}
