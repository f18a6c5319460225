package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.CLIENT;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.ECR_IMAGE;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.EXECUTION_ROLE;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.assertRejected;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.fargate;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.fargateContainer;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.valid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.model.ecs.Attribute;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.Device;
import dev.stevedore.model.ecs.DockerVolumeConfiguration;
import dev.stevedore.model.ecs.HostVolumeProperties;
import dev.stevedore.model.ecs.LinuxParameters;
import dev.stevedore.model.ecs.LogConfiguration;
import dev.stevedore.model.ecs.NetworkMode;
import dev.stevedore.model.ecs.ResourceRequirement;
import dev.stevedore.model.ecs.RepositoryCredentials;
import dev.stevedore.model.ecs.RuntimePlatform;
import dev.stevedore.model.ecs.Secret;
import dev.stevedore.model.ecs.TaskDefinitionPlacementConstraint;
import dev.stevedore.model.ecs.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TaskDefinitionFargateTest {

    /** The Fargate size table of the developer guide, written out value by value. */
    static Stream<Arguments> allowedSizes() {
        List<Arguments> sizes = new ArrayList<>();
        IntStream.of(512, 1024, 2048).forEach(m -> sizes.add(Arguments.of(256, m)));
        IntStream.rangeClosed(1, 4).forEach(gb -> sizes.add(Arguments.of(512, gb * 1024)));
        IntStream.rangeClosed(2, 8).forEach(gb -> sizes.add(Arguments.of(1024, gb * 1024)));
        IntStream.rangeClosed(4, 16).forEach(gb -> sizes.add(Arguments.of(2048, gb * 1024)));
        IntStream.rangeClosed(8, 30).forEach(gb -> sizes.add(Arguments.of(4096, gb * 1024)));
        IntStream.iterate(16, gb -> gb <= 60, gb -> gb + 4).forEach(gb -> sizes.add(Arguments.of(8192, gb * 1024)));
        IntStream.iterate(32, gb -> gb <= 120, gb -> gb + 8).forEach(gb -> sizes.add(Arguments.of(16384, gb * 1024)));
        return sizes.stream();
    }

    /** Just outside each row (below, above, off the step) and cpu values next to the allowed ones. */
    static Stream<Arguments> neighbouringSizes() {
        return Stream.of(
                Arguments.of(256, 256), Arguments.of(256, 1536), Arguments.of(256, 3072),
                Arguments.of(512, 512), Arguments.of(512, 1536), Arguments.of(512, 5120),
                Arguments.of(1024, 1024), Arguments.of(1024, 2560), Arguments.of(1024, 9216),
                Arguments.of(2048, 3072), Arguments.of(2048, 4608), Arguments.of(2048, 17408),
                Arguments.of(4096, 7168), Arguments.of(4096, 8704), Arguments.of(4096, 31744),
                Arguments.of(8192, 15360), Arguments.of(8192, 17408), Arguments.of(8192, 65536),
                Arguments.of(16384, 31744), Arguments.of(16384, 36864), Arguments.of(16384, 131072),
                Arguments.of(128, 512), Arguments.of(384, 1024), Arguments.of(768, 2048), Arguments.of(1025, 2048),
                Arguments.of(3072, 8192), Arguments.of(6144, 16384), Arguments.of(12288, 32768), Arguments.of(32768, 65536));
    }

    @Test
    void theTableHasTheSeventyFourDocumentedSizes() {
        assertThat(allowedSizes().count()).isEqualTo(74);
    }

    @ParameterizedTest(name = "{0} CPU, {1} MiB")
    @MethodSource("allowedSizes")
    void everyDocumentedSizeIsAccepted(int cpu, int memory) {
        var stored = valid(fargate(fargateContainer("app")).cpu(Integer.toString(cpu)).memory(Integer.toString(memory)));
        assertThat(stored.cpu()).isEqualTo(Integer.toString(cpu));
        assertThat(stored.memory()).isEqualTo(Integer.toString(memory));
    }

    @ParameterizedTest(name = "{0} CPU, {1} MiB")
    @MethodSource("neighbouringSizes")
    void sizesNextToTheTableAreRejected(int cpu, int memory) {
        assertRejected(fargate(fargateContainer("app")).cpu(Integer.toString(cpu)).memory(Integer.toString(memory)), CLIENT,
                "No Fargate configuration exists for given values: " + cpu + " CPU, " + memory
                        + " memory. See the Amazon ECS documentation for the valid values.");
    }

    @Test
    void sizeIsQuotedAfterUnitConversion() {
        assertRejected(fargate(fargateContainer("app")).cpu("0.2 vCPU").memory("0.2 GB"), CLIENT,
                "No Fargate configuration exists for given values: 204 CPU, 204 memory. See the Amazon ECS documentation for the valid values.");
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 512})
    void windowsNeedsAtLeastOneVcpu(int cpu) {
        RuntimePlatform windows = RuntimePlatform.builder().operatingSystemFamily("WINDOWS_SERVER_2022_CORE").build();
        assertRejected(fargate(fargateContainer("app")).cpu(Integer.toString(cpu)).memory("1024").runtimePlatform(windows), CLIENT,
                "No Fargate configuration exists for given values: " + cpu + " CPU, 1024 memory. See the Amazon ECS documentation for the valid values.");
    }

    @Test
    void windowsAcceptsOneVcpu() {
        RuntimePlatform windows = RuntimePlatform.builder().operatingSystemFamily("WINDOWS_SERVER_2022_CORE").build();
        assertThat(valid(fargate(fargateContainer("app")).cpu("1024").memory("2048").runtimePlatform(windows)).cpu()).isEqualTo("1024");
    }

    @Test
    void missingTaskCpuIsRejected() {
        assertRejected(fargate(fargateContainer("app")).cpu(null), CLIENT, "Fargate requires that 'cpu' be defined at the task level.");
    }

    @Test
    void missingTaskMemoryIsRejected() {
        assertRejected(fargate(container("app").memory(256).build()).memory(null), CLIENT,
                "Fargate requires that 'memory' be defined at the task level.");
    }

    @Test
    void missingTaskMemoryWithUnlimitedContainerIsReportedOnTheContainerFirst() {
        // As users of aws-cli issue 4453 saw: the container rule fires before any Fargate rule.
        assertRejected(fargate(fargateContainer("app")).memory(null), CLIENT,
                "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified.");
    }

    @ParameterizedTest
    @ValueSource(strings = {NetworkMode.BRIDGE, NetworkMode.HOST, NetworkMode.NONE})
    void networkModesOtherThanAwsvpcAreRejected(String mode) {
        assertRejected(fargate(fargateContainer("app")).networkMode(mode), CLIENT, "Fargate only supports network mode \u2018awsvpc\u2019.");
    }

    @Test
    void absentNetworkModeIsRejected() {
        assertRejected(fargate(fargateContainer("app")).networkMode(null), CLIENT, "Fargate only supports network mode \u2018awsvpc\u2019.");
    }

    @Test
    void ipcModeIsRejected() {
        assertRejected(fargate(fargateContainer("app")).ipcMode("task"), CLIENT, "Tasks using the Fargate launch type do not support ipcMode.");
    }

    @Test
    void pidModeTaskIsAccepted() {
        assertThat(valid(fargate(fargateContainer("app")).pidMode("task")).pidMode()).isEqualTo("task");
    }

    @Test
    void pidModeHostIsRejected() {
        assertRejected(fargate(fargateContainer("app")).pidMode("host"), CLIENT,
                "Tasks using the Fargate launch type do not support pidMode 'host'. The supported value for pidMode is 'task'.");
    }

    @Test
    void placementConstraintsAreRejected() {
        var constraint = TaskDefinitionPlacementConstraint.builder().type("memberOf").expression("attribute:ecs.os-type == linux").build();
        assertRejected(fargate(fargateContainer("app")).placementConstraints(List.of(constraint)), CLIENT,
                "Fargate compatible task definitions do not support constraints");
    }

    @Test
    void bindMountWithoutSourcePathIsAccepted() {
        Volume scratch = Volume.builder().name("scratch").host(HostVolumeProperties.builder().build()).build();
        assertThat(valid(fargate(fargateContainer("app")).volumes(List.of(scratch))).volumes()).containsExactly(scratch);
    }

    @Test
    void hostSourcePathIsRejected() {
        Volume logs = Volume.builder().name("logs").host(HostVolumeProperties.builder().sourcePath("/var/logs").build()).build();
        assertRejected(fargate(fargateContainer("app")).volumes(List.of(logs)), CLIENT,
                "Fargate compatible task definitions do not support sourcePath");
    }

    @Test
    void dockerVolumeIsRejected() {
        Volume data = Volume.builder().name("data").dockerVolumeConfiguration(DockerVolumeConfiguration.builder().scope("task").build()).build();
        assertRejected(fargate(fargateContainer("app")).volumes(List.of(data)), CLIENT,
                "Fargate compatible task definitions do not support dockerVolumeConfiguration");
    }

    @Test
    void privilegedContainerIsRejected() {
        assertRejected(fargate(container("app").privileged(true).build()), CLIENT,
                "Fargate compatible task definitions do not support privileged containers");
    }

    @Test
    void unprivilegedContainerIsAccepted() {
        assertThat(valid(fargate(container("app").privileged(false).build())).containerDefinitions().get(0).privileged()).isFalse();
    }

    @Test
    void devicesAreRejected() {
        var devices = LinuxParameters.builder().devices(List.of(Device.builder().hostPath("/dev/fuse").build())).build();
        assertRejected(fargate(container("app").linuxParameters(devices).build()), CLIENT,
                "Fargate compatible task definitions do not support devices");
    }

    @Test
    void sharedMemorySizeIsRejected() {
        var shm = LinuxParameters.builder().sharedMemorySize(64).build();
        assertRejected(fargate(container("app").linuxParameters(shm).build()), CLIENT,
                "Fargate compatible task definitions do not support sharedMemorySize");
    }

    @Test
    void maxSwapIsRejected() {
        var swap = LinuxParameters.builder().maxSwap(1024).build();
        assertRejected(fargate(container("app").linuxParameters(swap).build()), CLIENT,
                "Fargate compatible task definitions do not support maxSwap");
    }

    @Test
    void initProcessIsAccepted() {
        var init = LinuxParameters.builder().initProcessEnabled(true).build();
        assertThat(valid(fargate(container("app").linuxParameters(init).build())).containerDefinitions()).hasSize(1);
    }

    @Test
    void dockerSecurityOptionsAreRejected() {
        assertRejected(fargate(container("app").dockerSecurityOptions(List.of("no-new-privileges")).build()), CLIENT,
                "Fargate compatible task definitions do not support dockerSecurityOptions");
    }

    @Test
    void gpuRequirementIsRejected() {
        var gpu = ResourceRequirement.builder().type("GPU").value("1").build();
        assertRejected(fargate(container("app").resourceRequirements(List.of(gpu)).build()), CLIENT,
                "Tasks using the Fargate launch type do not support GPU resource requirements");
    }

    @Test
    void stopTimeoutOf120SecondsIsAccepted() {
        assertThat(valid(fargate(container("app").stopTimeout(120).build())).containerDefinitions().get(0).stopTimeout()).isEqualTo(120);
    }

    @Test
    void stopTimeoutAbove120SecondsIsRejected() {
        assertRejected(fargate(container("app").stopTimeout(121).build()), CLIENT,
                "Fargate compatible task definitions do not support a stopTimeout greater than 120 seconds");
    }

    @Test
    void logDriversFargateDoesNotShipAreRejected() {
        var syslog = LogConfiguration.builder().logDriver("syslog").build();
        assertRejected(fargate(container("app").logConfiguration(syslog).build()), CLIENT,
                "Log driver syslog is not supported on Fargate. Supported log drivers are awslogs, splunk and awsfirelens.");
    }

    @Test
    void awslogsWithoutExecutionRoleIsRejected() {
        assertRejected(fargate(container("app").logConfiguration(awslogs()).build()), CLIENT,
                "Fargate requires task definition to have execution role ARN to support log driver awslogs.");
    }

    @Test
    void awslogsWithoutStreamPrefixIsRejected() {
        var log = LogConfiguration.builder().logDriver("awslogs")
                .options(Map.of("awslogs-group", "/ecs/web", "awslogs-region", "us-east-1")).build();
        assertRejected(fargate(container("app").logConfiguration(log).build()).executionRoleArn(EXECUTION_ROLE), CLIENT,
                "Fargate requires log configuration options to include awslogs-stream-prefix to support log driver awslogs.");
    }

    @Test
    void awslogsWithExecutionRoleIsAccepted() {
        assertThat(valid(fargate(container("app").logConfiguration(awslogs()).build()).executionRoleArn(EXECUTION_ROLE))
                .executionRoleArn()).isEqualTo(EXECUTION_ROLE);
    }

    @Test
    void ecrImageWithoutExecutionRoleIsRejected() {
        assertRejected(fargate(container("app").image(ECR_IMAGE).build()), CLIENT,
                "Fargate requires task definition to have execution role ARN to support ECR images.");
    }

    @Test
    void ecrImageWithExecutionRoleIsAccepted() {
        assertThat(valid(fargate(container("app").image(ECR_IMAGE).build()).executionRoleArn(EXECUTION_ROLE))
                .containerDefinitions().get(0).image()).isEqualTo(ECR_IMAGE);
    }

    @Test
    void secretsLogSecretOptionsAndRepositoryCredentialsAreAcceptedOnFargate() {
        var stored = valid(fargate(container("app")
                .secrets(List.of(Secret.builder().name("DB").valueFrom("/db/password").build(),
                        Secret.builder().name("TOKEN").valueFrom(SECRET_ARN + ":token::").build()))
                .logConfiguration(awslogs().toBuilder().secretOptions(List.of(
                        Secret.builder().name("awslogs-group").valueFrom("/logs/group").build())).build())
                .repositoryCredentials(RepositoryCredentials.builder().credentialsParameter(SECRET_ARN).build())
                .build()).executionRoleArn(EXECUTION_ROLE));

        assertThat(stored.compatibilities()).contains("FARGATE");
        assertThat(stored.requiresAttributes()).extracting(Attribute::name).contains(
                "ecs.capability.secrets.ssm.environment-variables", "ecs.capability.secrets.asm.environment-variables",
                "ecs.capability.secrets.ssm.bootstrap.log-driver",
                "ecs.capability.private-registry-authentication.secretsmanager");
    }

    private static final String SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";

    @Test
    void containersNeedNoMemoryOfTheirOwn() {
        assertThat(valid(fargate(fargateContainer("app"))).containerDefinitions().get(0).memory()).isNull();
    }

    private static ContainerDefinition.Builder container(String name) {
        return fargateContainer(name).toBuilder();
    }

    private static LogConfiguration awslogs() {
        return LogConfiguration.builder().logDriver("awslogs")
                .options(Map.of("awslogs-group", "/ecs/web", "awslogs-region", "us-east-1", "awslogs-stream-prefix", "ecs")).build();
    }
}
