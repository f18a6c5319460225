package dev.stevedore.control.ecs.service;

import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.model.ecs.CapacityProviderStrategyItem;
import dev.stevedore.model.ecs.DeploymentCircuitBreaker;
import dev.stevedore.control.ecs.service.rollout.TrafficShift;
import dev.stevedore.model.ecs.CanaryConfiguration;
import dev.stevedore.model.ecs.DeploymentConfiguration;
import dev.stevedore.model.ecs.DeploymentLifecycleHook;
import dev.stevedore.model.ecs.LinearConfiguration;
import dev.stevedore.model.ecs.LoadBalancer;
import dev.stevedore.model.ecs.NetworkConfiguration;
import dev.stevedore.model.ecs.PlacementConstraint;
import dev.stevedore.model.ecs.PlacementStrategy;
import dev.stevedore.model.ecs.ServiceConnectConfiguration;
import dev.stevedore.model.ecs.ServiceRegistry;
import dev.stevedore.model.ecs.ServiceVolumeConfiguration;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.VpcLatticeConfiguration;
import dev.stevedore.scheduler.SchedulerException;

import java.util.List;
import java.util.Optional;

/**
 * The checks CreateService and UpdateService (and CreateTaskSet, for what a task set shares with a
 * service) make on their input before reading any state, and the defaults ECS fills in. Each
 * failure is the ECS error for it; nothing has been written yet.
 */
public final class ServiceRules {
    /** ECS's quota of tasks per service. */
    static final int MAX_DESIRED_COUNT = 5_000;
    static final int MAX_CONSTRAINTS = 10;
    static final int MAX_STRATEGIES = 5;

    private ServiceRules() {
    }

    static void checkName(String name) {
        if (name == null || !Arns.NAME.matcher(name).matches()) {
            throw EcsErrors.invalidParameter("Service name can have up to 255 characters: letters (uppercase and "
                    + "lowercase), numbers, underscores and hyphens.");
        }
    }

    /** The controller type, defaulting to ECS; CODE_DEPLOY needs CodeDeploy, which Stevedore does not have. */
    static String controller(String requested) {
        String type = requested == null ? ServiceStatus.ECS : requested;
        if (ServiceStatus.CODE_DEPLOY.equals(type)) {
            throw EcsErrors.of("UnsupportedFeatureException", "Stevedore does not implement the CODE_DEPLOY deployment "
                    + "controller (it needs AWS CodeDeploy); use ECS rolling deployments or the EXTERNAL controller.");
        }
        return type;
    }

    static String schedulingStrategy(String requested, String controller) {
        String strategy = requested == null ? ServiceStatus.REPLICA : requested;
        if (ServiceStatus.DAEMON.equals(strategy) && !ServiceStatus.ECS.equals(controller)) {
            throw EcsErrors.invalidParameter("The DAEMON scheduling strategy is only supported with the ECS deployment "
                    + "controller.");
        }
        return strategy;
    }

    /**
     * The launch type of a task set, or of a service of the EXTERNAL controller (whose tasks are its
     * task sets'), EC2 by default. Task sets run on EC2 only so far: FARGATE, EXTERNAL (ECS Anywhere)
     * and capacity provider strategies are refused. Services of the ECS controller resolve theirs
     * with {@link ServiceLaunch}.
     */
    public static String launchType(String launchType, List<CapacityProviderStrategyItem> strategy) {
        boolean hasStrategy = strategy != null && !strategy.isEmpty();
        if (launchType != null && hasStrategy) {
            throw EcsErrors.invalidParameter("Specifying both a launch type and capacity provider strategy is not "
                    + "supported. Remove one and try again.");
        }
        if (hasStrategy) {
            throw EcsErrors.of("UnsupportedFeatureException", "Stevedore runs services with the EC2 launch type only "
                    + "so far; capacity provider strategies are not supported yet.");
        }
        if (launchType != null && !"EC2".equals(launchType)) {
            throw EcsErrors.of("UnsupportedFeatureException", "Stevedore runs services with the EC2 launch type only "
                    + "so far; " + launchType + " is not supported yet.");
        }
        return "EC2";
    }

    /** {@code desiredCount}: required for REPLICA, refused for DAEMON (its count follows the instances). */
    static int desiredCount(Integer requested, String strategy) {
        if (ServiceStatus.DAEMON.equals(strategy)) {
            if (requested != null) {
                throw EcsErrors.invalidParameter("The daemon scheduling strategy does not support a desired count for "
                        + "services.");
            }
            return 0;
        }
        if (requested == null) {
            throw EcsErrors.invalidParameter("The desired count must be specified for services that use the REPLICA "
                    + "scheduling strategy.");
        }
        return checkDesiredCount(requested);
    }

    static int checkDesiredCount(int count) {
        if (count < 0 || count > MAX_DESIRED_COUNT) {
            throw EcsErrors.invalidParameter("desiredCount must be between 0 and " + MAX_DESIRED_COUNT + ".");
        }
        return count;
    }

    /**
     * The deployment strategy and its linear or canary settings: ECS's ranges (percentages in tenths), each
     * settings member only with its own strategy, and the traffic-shifting strategies only for replica services of
     * the ECS controller.
     */
    private static void checkShiftingStrategy(DeploymentConfiguration given, boolean daemon, String controller) {
        String strategy = given.strategy() == null ? "ROLLING" : given.strategy();
        if (given.linearConfiguration() != null && !TrafficShift.LINEAR.equals(strategy)) {
            throw EcsErrors.invalidParameter("linearConfiguration can only be specified when the deployment strategy "
                    + "is LINEAR.");
        }
        if (given.canaryConfiguration() != null && !TrafficShift.CANARY.equals(strategy)) {
            throw EcsErrors.invalidParameter("canaryConfiguration can only be specified when the deployment strategy "
                    + "is CANARY.");
        }
        if (!TrafficShift.shifting(strategy)) {
            return;
        }
        if (daemon) {
            throw EcsErrors.invalidParameter("The " + strategy + " deployment strategy is not supported for services "
                    + "that use the DAEMON scheduling strategy.");
        }
        if (ServiceStatus.EXTERNAL.equals(controller)) {
            throw EcsErrors.invalidParameter("The " + strategy + " deployment strategy is only supported for services "
                    + "that use the ECS deployment controller.");
        }
        LinearConfiguration linear = given.linearConfiguration();
        if (linear != null) {
            if (linear.stepPercent() != null && !tenthsBetween(linear.stepPercent(), 3.0, 100.0)) {
                throw EcsErrors.invalidParameter("stepPercent must be a multiple of 0.1 between 3.0 and 100.0.");
            }
            if (linear.stepBakeTimeInMinutes() != null
                    && (linear.stepBakeTimeInMinutes() < 0 || linear.stepBakeTimeInMinutes() > 1440)) {
                throw EcsErrors.invalidParameter("stepBakeTimeInMinutes must be between 0 and 1440.");
            }
        }
        CanaryConfiguration canary = given.canaryConfiguration();
        if (canary != null) {
            if (canary.canaryPercent() != null && !tenthsBetween(canary.canaryPercent(), 0.1, 100.0)) {
                throw EcsErrors.invalidParameter("canaryPercent must be a multiple of 0.1 between 0.1 and 100.0.");
            }
            if (canary.canaryBakeTimeInMinutes() != null
                    && (canary.canaryBakeTimeInMinutes() < 0 || canary.canaryBakeTimeInMinutes() > 1440)) {
                throw EcsErrors.invalidParameter("canaryBakeTimeInMinutes must be between 0 and 1440.");
            }
        }
    }

    /**
     * A PAUSE hook holds a traffic-shifting deployment at stages between its moves; any other hook is a Lambda
     * function ECS invokes and waits on, which Stevedore cannot run (passing its stages without invoking anything
     * would say it ran).
     */
    private static void checkLifecycleHook(DeploymentLifecycleHook hook, String strategy) {
        if (!"PAUSE".equals(hook.targetType())) {
            throw EcsErrors.of("UnsupportedFeatureException", "Stevedore does not run AWS_LAMBDA deployment lifecycle "
                    + "hooks: it cannot invoke AWS Lambda functions. PAUSE hooks are supported.");
        }
        if (!TrafficShift.shifting(strategy)) {
            throw EcsErrors.invalidParameter("Deployment lifecycle hooks are only supported for the BLUE_GREEN, "
                    + "LINEAR and CANARY deployment strategies.");
        }
        if (hook.hookTargetArn() != null) {
            throw EcsErrors.invalidParameter("A PAUSE lifecycle hook does not take a hookTargetArn.");
        }
        if (hook.lifecycleStages() == null || hook.lifecycleStages().isEmpty()) {
            throw EcsErrors.invalidParameter("A deployment lifecycle hook must name at least one lifecycleStage.");
        }
        for (String stage : hook.lifecycleStages()) {
            if (!TrafficShift.PAUSE_STAGES.contains(stage)) {
                throw EcsErrors.invalidParameter("PAUSE hooks cannot be configured at the " + stage + " stage; it is "
                        + "only valid for AWS_LAMBDA hooks.");
            }
        }
        var timeout = hook.timeoutConfiguration();
        if (timeout != null && timeout.timeoutInMinutes() != null
                && (timeout.timeoutInMinutes() < 1 || timeout.timeoutInMinutes() > 20160)) {
            throw EcsErrors.invalidParameter("timeoutInMinutes must be between 1 and 20160.");
        }
    }

    private static boolean tenthsBetween(double value, double min, double max) {
        double tenths = value * 10.0;
        return value >= min - 1e-9 && value <= max + 1e-9 && Math.abs(tenths - Math.rint(tenths)) < 1e-6;
    }

    /** The deployment configuration with ECS's defaults filled in, checked against the strategy. */
    static DeploymentConfiguration deploymentConfiguration(DeploymentConfiguration given, String strategy,
                                                           String controller) {
        DeploymentConfiguration.Builder b = given == null ? DeploymentConfiguration.builder() : given.toBuilder();
        boolean daemon = ServiceStatus.DAEMON.equals(strategy);
        int max = Optional.ofNullable(b.build().maximumPercent()).orElse(daemon ? 100 : 200);
        int min = Optional.ofNullable(b.build().minimumHealthyPercent()).orElse(daemon ? 0 : 100);
        if (min < 0 || min > 100) {
            throw EcsErrors.invalidParameter("minimumHealthyPercent must be between 0 and 100.");
        }
        if (max < 0) {
            throw EcsErrors.invalidParameter("maximumPercent must not be negative.");
        }
        if (daemon && max != 100) {
            throw EcsErrors.invalidParameter("The maximumPercent of a service that uses the DAEMON scheduling strategy "
                    + "must be 100.");
        }
        if (!daemon && max < 100 && min >= max) {
            throw EcsErrors.invalidParameter("maximumPercent must be greater than minimumHealthyPercent.");
        }
        if (ServiceStatus.EXTERNAL.equals(controller)
                && given != null && given.deploymentCircuitBreaker() != null
                && Boolean.TRUE.equals(given.deploymentCircuitBreaker().enable())) {
            throw EcsErrors.invalidParameter("The deployment circuit breaker is only supported for services that use "
                    + "the ECS deployment controller.");
        }
        if (given != null) {
            checkShiftingStrategy(given, daemon, controller);
        }
        if (given != null && given.alarms() != null && Boolean.TRUE.equals(given.alarms().enable())) {
            throw EcsErrors.of("UnsupportedFeatureException", "Stevedore has no CloudWatch alarms yet; deployment "
                    + "alarms cannot be enabled.");
        }
        if (given != null && given.lifecycleHooks() != null) {
            given.lifecycleHooks().forEach(hook -> checkLifecycleHook(hook, given.strategy()));
        }
        if (given != null && given.bakeTimeInMinutes() != null
                && (given.bakeTimeInMinutes() < 0 || given.bakeTimeInMinutes() > 1440)) {
            throw EcsErrors.invalidParameter("bakeTimeInMinutes must be between 0 and 1440.");
        }
        DeploymentCircuitBreaker breaker = b.build().deploymentCircuitBreaker();
        // ECS answers with the rolling strategy and no bake time spelled out when they were not given.
        if (b.build().strategy() == null) {
            b.strategy("ROLLING");
        }
        if (b.build().bakeTimeInMinutes() == null) {
            b.bakeTimeInMinutes(0);
        }
        return b.maximumPercent(max)
                .minimumHealthyPercent(min)
                .deploymentCircuitBreaker(breaker == null
                        ? DeploymentCircuitBreaker.builder().enable(false).rollback(false).build() : breaker)
                .build();
    }

    static List<PlacementConstraint> placementConstraints(List<PlacementConstraint> given) {
        List<PlacementConstraint> constraints = given == null ? List.of() : List.copyOf(given);
        if (constraints.size() > MAX_CONSTRAINTS) {
            throw EcsErrors.invalidParameter("A service can have at most " + MAX_CONSTRAINTS + " placement constraints.");
        }
        for (PlacementConstraint c : constraints) {
            try {
                dev.stevedore.scheduler.PlacementConstraint.of(Optional.ofNullable(c.type()), Optional.ofNullable(c.expression()));
            } catch (SchedulerException e) {
                throw EcsErrors.invalidParameter(e.getMessage());
            }
        }
        return constraints;
    }

    static List<PlacementStrategy> placementStrategy(List<PlacementStrategy> given, String strategy) {
        List<PlacementStrategy> strategies = given == null ? List.of() : List.copyOf(given);
        if (!strategies.isEmpty() && ServiceStatus.DAEMON.equals(strategy)) {
            throw EcsErrors.invalidParameter("Placement strategies are not supported with the DAEMON scheduling "
                    + "strategy.");
        }
        if (strategies.size() > MAX_STRATEGIES) {
            throw EcsErrors.invalidParameter("A service can have at most " + MAX_STRATEGIES + " placement strategies.");
        }
        for (PlacementStrategy s : strategies) {
            try {
                dev.stevedore.scheduler.PlacementStrategy.of(Optional.ofNullable(s.type()), Optional.ofNullable(s.field()));
            } catch (SchedulerException e) {
                throw EcsErrors.invalidParameter(e.getMessage());
            }
        }
        return strategies;
    }

    static Optional<Integer> gracePeriod(Integer given) {
        if (given != null && given < 0) {
            throw EcsErrors.invalidParameter("healthCheckGracePeriodSeconds must not be negative.");
        }
        return Optional.ofNullable(given);
    }

    /**
     * The integrations that need services Stevedore does not have yet are refused, clearly. Services pass no
     * {@code loadBalancers} ({@link LoadBalancerRules} checks theirs); task sets cannot name any yet.
     */
    public static void checkUnsupported(List<LoadBalancer> loadBalancers, List<ServiceRegistry> registries,
                                 ServiceConnectConfiguration serviceConnect, List<ServiceVolumeConfiguration> volumes,
                                 List<VpcLatticeConfiguration> lattice, String platformVersion) {
        if (loadBalancers != null && !loadBalancers.isEmpty()) {
            throw EcsErrors.of("UnsupportedFeatureException", "Stevedore does not register the tasks of task sets "
                    + "with load balancers yet; task sets cannot name loadBalancers.");
        }
        if (registries != null && !registries.isEmpty()) {
            throw EcsErrors.of("UnsupportedFeatureException", "Stevedore has no Cloud Map yet; services cannot name "
                    + "serviceRegistries.");
        }
        if (serviceConnect != null && Boolean.TRUE.equals(serviceConnect.enabled())) {
            throw EcsErrors.of("NamespaceNotFoundException", "Service Connect needs a Cloud Map namespace, and "
                    + "Stevedore has no Cloud Map yet.");
        }
        if (volumes != null && !volumes.isEmpty()) {
            throw EcsErrors.of("UnsupportedFeatureException", "Stevedore does not attach Amazon EBS volumes to "
                    + "service tasks yet.");
        }
        if (lattice != null && !lattice.isEmpty()) {
            throw EcsErrors.of("UnsupportedFeatureException", "Stevedore has no VPC Lattice yet.");
        }
        if (platformVersion != null) {
            throw EcsErrors.invalidParameter("The platform version must be null when specifying an EC2 launch type.");
        }
    }

    /** An awsvpc definition needs a network configuration, and only it takes one. */
    public static void checkNetwork(TaskDefinition td, NetworkConfiguration network) {
        boolean awsvpc = "awsvpc".equals(td.networkMode());
        if (awsvpc && (network == null || network.awsvpcConfiguration() == null)) {
            throw EcsErrors.invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is "
                    + "specified.");
        }
        if (!awsvpc && network != null && network.awsvpcConfiguration() != null) {
            throw EcsErrors.invalidParameter("Network Configuration is not valid for the given networkMode of this "
                    + "task definition.");
        }
        if (td.requiresCompatibilities() != null && !td.requiresCompatibilities().isEmpty()
                && !td.requiresCompatibilities().contains("EC2")) {
            throw EcsErrors.invalidParameter("Task definition does not support launch_type EC2.");
        }
    }
}
