package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.Absent.isBlank;
import static dev.stevedore.control.ecs.taskdef.Absent.isTrue;
import static dev.stevedore.control.ecs.taskdef.Absent.orEmpty;

import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.LinuxParameters;
import dev.stevedore.model.ecs.LogConfiguration;
import dev.stevedore.model.ecs.LogDriver;
import dev.stevedore.model.ecs.NetworkMode;
import dev.stevedore.model.ecs.PidMode;
import dev.stevedore.model.ecs.RegisterTaskDefinitionRequest;
import dev.stevedore.model.ecs.ResourceRequirement;
import dev.stevedore.model.ecs.ResourceType;
import dev.stevedore.model.ecs.Volume;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a task definition must satisfy to run on Fargate.
 *
 * <p>Used twice: to reject a registration that requires FARGATE, and to decide silently whether
 * FARGATE belongs in the computed {@code compatibilities} of one that does not.
 */
final class FargateRules {

    /** Fargate only ships these log drivers (developer guide, "Fargate task definition considerations"). */
    private static final Set<String> LOG_DRIVERS = Set.of(LogDriver.AWSLOGS, LogDriver.SPLUNK, LogDriver.AWSFIRELENS);
    private static final int MAX_STOP_TIMEOUT = 120;
    /** Private ECR registries; pulling from them needs the execution role's credentials. */
    static final Pattern ECR_IMAGE = Pattern.compile("^\\d{12}\\.dkr\\.ecr(-fips)?\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/.*");

    private FargateRules() {
    }

    /**
     * Whether the cpu/memory pair is one of the Fargate sizes (developer guide table,
     * task-cpu-memory-error): memory steps of 1 GiB up to 4 vCPU, 4 GiB at 8 vCPU and 8 GiB at 16
     * vCPU. The 8 and 16 vCPU sizes and anything under 1 vCPU exist only for Linux.
     */
    static boolean isFargateSize(int cpu, int memory, boolean windows) {
        return switch (cpu) {
            case 256 -> !windows && (memory == 512 || memory == 1024 || memory == 2048);
            case 512 -> !windows && stepped(memory, 1024, 4096, 1024);
            case 1024 -> stepped(memory, 2048, 8192, 1024);
            case 2048 -> stepped(memory, 4096, 16384, 1024);
            case 4096 -> stepped(memory, 8192, 30720, 1024);
            case 8192 -> !windows && stepped(memory, 16384, 61440, 4096);
            case 16384 -> !windows && stepped(memory, 32768, 122880, 8192);
            default -> false;
        };
    }

    private static boolean stepped(int memory, int min, int max, int step) {
        return memory >= min && memory <= max && memory % step == 0;
    }

    /** The first Fargate rule the definition breaks, in the order ECS appears to check them. */
    static Optional<InvalidTaskDefinitionException> violation(RegisterTaskDefinitionRequest request, TaskSize size) {
        if (!NetworkMode.AWSVPC.equals(request.networkMode())) {
            // Verified, including the typographic quotes ECS puts around awsvpc.
            return fail("Fargate only supports network mode \u2018awsvpc\u2019.");
        }
        Optional<InvalidTaskDefinitionException> sizing = sizeViolation(request, size);
        if (sizing.isPresent()) {
            return sizing;
        }
        if (request.ipcMode() != null) {
            return fail("Tasks using the Fargate launch type do not support ipcMode."); // verified
        }
        if (request.pidMode() != null && !PidMode.TASK.equals(request.pidMode())) {
            // Reported by the moto ECS emulator, which copies ECS texts; not seen from ECS directly.
            return fail("Tasks using the Fargate launch type do not support pidMode '" + request.pidMode()
                    + "'. The supported value for pidMode is 'task'.");
        }
        if (!orEmpty(request.placementConstraints()).isEmpty()) {
            return fail("Fargate compatible task definitions do not support constraints"); // reported second-hand
        }
        Optional<InvalidTaskDefinitionException> volumes = volumeViolation(orEmpty(request.volumes()));
        if (volumes.isPresent()) {
            return volumes;
        }
        for (ContainerDefinition container : request.containerDefinitions()) {
            Optional<InvalidTaskDefinitionException> found = containerViolation(container, request.executionRoleArn());
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<InvalidTaskDefinitionException> sizeViolation(RegisterTaskDefinitionRequest request, TaskSize size) {
        if (size.cpu().isEmpty()) {
            return fail("Fargate requires that 'cpu' be defined at the task level."); // verified
        }
        if (size.memory().isEmpty()) {
            // Unverified: the cpu text with the other member's name.
            return fail("Fargate requires that 'memory' be defined at the task level.");
        }
        int cpu = size.cpu().getAsInt();
        int memory = size.memory().getAsInt();
        boolean windows = request.runtimePlatform() != null && request.runtimePlatform().operatingSystemFamily() != null
                && request.runtimePlatform().operatingSystemFamily().startsWith("WINDOWS");
        if (!isFargateSize(cpu, memory, windows)) {
            // Verified; ECS quotes the values after unit conversion ("0.2 vCPU" comes back as 204).
            return fail("No Fargate configuration exists for given values: " + cpu + " CPU, " + memory
                    + " memory. See the Amazon ECS documentation for the valid values.");
        }
        return Optional.empty();
    }

    private static Optional<InvalidTaskDefinitionException> volumeViolation(List<Volume> volumes) {
        for (Volume volume : volumes) {
            if (volume.host() != null && volume.host().sourcePath() != null) {
                return fail("Fargate compatible task definitions do not support sourcePath"); // verified
            }
            if (volume.dockerVolumeConfiguration() != null) {
                return fail("Fargate compatible task definitions do not support dockerVolumeConfiguration"); // reported second-hand
            }
        }
        return Optional.empty();
    }

    private static Optional<InvalidTaskDefinitionException> containerViolation(ContainerDefinition container, String executionRoleArn) {
        if (isTrue(container.privileged())) {
            return fail("Fargate compatible task definitions do not support privileged containers"); // unverified
        }
        Optional<InvalidTaskDefinitionException> linux = linuxViolation(container.linuxParameters());
        if (linux.isPresent()) {
            return linux;
        }
        if (!orEmpty(container.dockerSecurityOptions()).isEmpty()) {
            return fail("Fargate compatible task definitions do not support dockerSecurityOptions"); // reported second-hand
        }
        for (ResourceRequirement requirement : orEmpty(container.resourceRequirements())) {
            if (ResourceType.GPU.equals(requirement.type())) {
                return fail("Tasks using the Fargate launch type do not support GPU resource requirements"); // reported second-hand
            }
        }
        if (container.stopTimeout() != null && container.stopTimeout() > MAX_STOP_TIMEOUT) {
            // Unverified text; the 120 s limit itself is documented.
            return fail("Fargate compatible task definitions do not support a stopTimeout greater than 120 seconds");
        }
        return roleAndLogViolation(container, executionRoleArn);
    }

    private static Optional<InvalidTaskDefinitionException> linuxViolation(LinuxParameters linux) {
        if (linux == null) {
            return Optional.empty();
        }
        // All three reported second-hand as ECS texts; Fargate has no host devices, shm sizing or swap.
        if (!orEmpty(linux.devices()).isEmpty()) {
            return fail("Fargate compatible task definitions do not support devices");
        }
        if (linux.sharedMemorySize() != null) {
            return fail("Fargate compatible task definitions do not support sharedMemorySize");
        }
        if (linux.maxSwap() != null) {
            return fail("Fargate compatible task definitions do not support maxSwap");
        }
        return Optional.empty();
    }

    private static Optional<InvalidTaskDefinitionException> roleAndLogViolation(ContainerDefinition container, String executionRoleArn) {
        LogConfiguration log = container.logConfiguration();
        if (log != null && !LOG_DRIVERS.contains(log.logDriver())) {
            // Unverified text.
            return fail("Log driver " + log.logDriver() + " is not supported on Fargate. Supported log drivers are awslogs, splunk and awsfirelens.");
        }
        boolean noRole = isBlank(executionRoleArn);
        if (noRole && log != null && LogDriver.AWSLOGS.equals(log.logDriver())) {
            return fail("Fargate requires task definition to have execution role ARN to support log driver awslogs."); // verified
        }
        if (log != null && LogDriver.AWSLOGS.equals(log.logDriver()) && isBlank(orEmpty(log.options()).get("awslogs-stream-prefix"))) {
            // Verified text (aws-cdk#1422); a Fargate task's stream is always prefix/container/task-id.
            return fail("Fargate requires log configuration options to include awslogs-stream-prefix to support log driver awslogs.");
        }
        if (noRole && container.image() != null && ECR_IMAGE.matcher(container.image()).matches()) {
            return fail("Fargate requires task definition to have execution role ARN to support ECR images."); // verified
        }
        return Optional.empty();
    }

    private static Optional<InvalidTaskDefinitionException> fail(String message) {
        return Optional.of(InvalidTaskDefinitionException.client(message));
    }
}
