package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.Absent.isBlank;
import static dev.stevedore.control.ecs.taskdef.Absent.isTrue;
import static dev.stevedore.control.ecs.taskdef.Absent.orEmpty;

import dev.stevedore.model.ecs.Attribute;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.LogConfiguration;
import dev.stevedore.model.ecs.LogDriver;
import dev.stevedore.model.ecs.NetworkMode;
import dev.stevedore.model.ecs.PortMapping;
import dev.stevedore.model.ecs.RegisterTaskDefinitionRequest;
import dev.stevedore.model.ecs.Secret;
import dev.stevedore.model.ecs.Volume;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The container-instance capabilities a definition needs, which ECS returns as
 * {@code requiresAttributes} and the scheduler matches against each instance's attributes.
 *
 * <p>Names are the ECS agent's capability names. Which feature needs which capability was read off
 * real describe output where the pairing is unambiguous (marked "observed"); the rest follows the
 * agent's capability list and the developer guide's "requires Docker Remote API 1.xx" notes.
 * The order is ours and fixed; ECS's own order carries no meaning.
 */
final class RequiredAttributes {

    private static final String LEGACY = "com.amazonaws.ecs.capability.";
    private static final String CURRENT = "ecs.capability.";
    private static final Pattern SECRETS_MANAGER_ARN = Pattern.compile("^arn:[a-z-]+:secretsmanager:.*");

    private RequiredAttributes() {
    }

    static List<Attribute> of(RegisterTaskDefinitionRequest request, List<ContainerDefinition> containers) {
        Set<String> names = new LinkedHashSet<>();
        taskLevel(request, names);
        boolean executionRole = !isBlank(request.executionRoleArn());
        for (ContainerDefinition container : containers) {
            image(container, executionRole, names);
            logging(container.logConfiguration(), executionRole, names);
            runtime(container, names);
        }
        return names.stream().map(name -> Attribute.builder().name(name).build()).toList();
    }

    private static void taskLevel(RegisterTaskDefinitionRequest request, Set<String> names) {
        if (NetworkMode.AWSVPC.equals(request.networkMode())) {
            names.add(LEGACY + "docker-remote-api.1.18"); // observed
            names.add(CURRENT + "task-eni"); // observed
        }
        if (!isBlank(request.taskRoleArn())) {
            names.add(LEGACY + "task-iam-role"); // observed
            if (NetworkMode.HOST.equals(request.networkMode())) {
                names.add(LEGACY + "task-iam-role-network-host");
            }
        }
        if (request.pidMode() != null || request.ipcMode() != null) {
            names.add(CURRENT + "pid-ipc-namespace-sharing");
        }
        for (Volume volume : orEmpty(request.volumes())) {
            if (volume.efsVolumeConfiguration() != null) {
                names.add(CURRENT + "efs"); // observed, together with the next two
                names.add(CURRENT + "efsAuth");
                names.add(LEGACY + "docker-remote-api.1.25");
            }
            if (volume.dockerVolumeConfiguration() != null) {
                String driver = volume.dockerVolumeConfiguration().driver();
                names.add(CURRENT + "docker-plugin." + (isBlank(driver) ? "local" : driver));
            }
            if (volume.fsxWindowsFileServerVolumeConfiguration() != null) {
                names.add(CURRENT + "fsxWindowsFileServer");
            }
        }
        if (isTrue(request.enableFaultInjection())) {
            names.add(CURRENT + "fault-injection");
        }
    }

    private static void image(ContainerDefinition container, boolean executionRole, Set<String> names) {
        if (FargateRules.ECR_IMAGE.matcher(container.image()).matches()) {
            names.add(LEGACY + "ecr-auth"); // observed
            if (executionRole) {
                names.add(CURRENT + "execution-role-ecr-pull"); // observed
            }
        }
        if (container.repositoryCredentials() != null) {
            names.add(CURRENT + "private-registry-authentication.secretsmanager");
        }
    }

    private static void logging(LogConfiguration log, boolean executionRole, Set<String> names) {
        if (log == null) {
            return;
        }
        names.add(LEGACY + "logging-driver." + log.logDriver()); // observed for awslogs and awsfirelens
        if (LogDriver.AWSLOGS.equals(log.logDriver())) {
            names.add(LEGACY + "docker-remote-api.1.19"); // observed
            if (executionRole) {
                names.add(CURRENT + "execution-role-awslogs"); // observed
            }
            if (orEmpty(log.options()).containsKey("awslogs-create-group")) {
                names.add(LEGACY + "docker-remote-api.1.29"); // observed alongside this option
            }
        } else {
            names.add(LEGACY + "docker-remote-api.1.18"); // logConfiguration needs Remote API 1.18
        }
        for (Secret secret : orEmpty(log.secretOptions())) {
            names.add(CURRENT + "secrets." + secretStore(secret) + ".bootstrap.log-driver");
        }
    }

    private static void runtime(ContainerDefinition container, Set<String> names) {
        if (container.memoryReservation() != null) {
            names.add(LEGACY + "docker-remote-api.1.21"); // observed
        }
        if (container.healthCheck() != null) {
            names.add(CURRENT + "container-health-check"); // observed
            if (container.healthCheck().startPeriod() != null) {
                names.add(LEGACY + "docker-remote-api.1.29"); // observed; Docker added start periods in 1.29
            }
        }
        if (!orEmpty(container.dependsOn()).isEmpty() || container.startTimeout() != null || container.stopTimeout() != null) {
            names.add(CURRENT + "container-ordering"); // observed for dependsOn
        }
        for (Secret secret : orEmpty(container.secrets())) {
            names.add(CURRENT + "secrets." + secretStore(secret) + ".environment-variables"); // observed
        }
        if (!orEmpty(container.environmentFiles()).isEmpty()) {
            names.add(CURRENT + "env-files.s3"); // observed
        }
        if (isTrue(container.privileged())) {
            names.add(LEGACY + "privileged-container");
        }
        if (!orEmpty(container.dockerLabels()).isEmpty() || !orEmpty(container.ulimits()).isEmpty()) {
            names.add(LEGACY + "docker-remote-api.1.18");
        }
        if (container.linuxParameters() != null && isTrue(container.linuxParameters().initProcessEnabled())) {
            names.add(LEGACY + "docker-remote-api.1.25");
        }
        firelens(container, names);
        if (orEmpty(container.portMappings()).stream().map(PortMapping::containerPortRange).anyMatch(r -> r != null)) {
            names.add(CURRENT + "network.container-port-range");
        }
        if (container.restartPolicy() != null && isTrue(container.restartPolicy().enabled())) {
            names.add(CURRENT + "container-restart-policy");
        }
    }

    private static void firelens(ContainerDefinition container, Set<String> names) {
        if (container.firelensConfiguration() == null) {
            return;
        }
        names.add(CURRENT + "firelens." + container.firelensConfiguration().type()); // observed for fluentbit
        String configType = orEmpty(container.firelensConfiguration().options()).get("config-file-type");
        if ("file".equals(configType) || "s3".equals(configType)) {
            names.add(CURRENT + "firelens.options.config." + configType); // observed for file
        }
    }

    /** Secrets Manager when the value is one of its ARNs; otherwise a Parameter Store name or ARN. */
    private static String secretStore(Secret secret) {
        return secret.valueFrom() != null && SECRETS_MANAGER_ARN.matcher(secret.valueFrom()).matches() ? "asm" : "ssm";
    }
}
