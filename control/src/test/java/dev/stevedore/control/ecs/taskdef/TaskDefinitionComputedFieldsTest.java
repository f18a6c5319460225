package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.CLIENT;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.ECR_IMAGE;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.EXECUTION_ROLE;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.assertRejected;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.attributeNames;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.container;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.fargate;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.fargateContainer;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.request;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.valid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.ContainerDependency;
import dev.stevedore.model.ecs.EFSVolumeConfiguration;
import dev.stevedore.model.ecs.EnvironmentFile;
import dev.stevedore.model.ecs.FirelensConfiguration;
import dev.stevedore.model.ecs.HealthCheck;
import dev.stevedore.model.ecs.LogConfiguration;
import dev.stevedore.model.ecs.NetworkMode;
import dev.stevedore.model.ecs.PortMapping;
import dev.stevedore.model.ecs.Secret;
import dev.stevedore.model.ecs.Volume;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** compatibilities and requiresAttributes, which ECS computes and the caller never sends. */
class TaskDefinitionComputedFieldsTest {

    @Test
    void plainDefinitionRunsOnExternalAndEc2AndRequiresNothing() {
        var stored = valid(request(container("app").build()));
        assertThat(stored.compatibilities()).containsExactly("EXTERNAL", "EC2");
        assertThat(stored.requiresAttributes()).isEmpty();
        assertThat(stored.requiresCompatibilities()).isNull();
    }

    @Test
    void awsvpcDefinitionOfAFargateSizeAlsoRunsOnFargateAndManagedInstances() {
        var stored = valid(request(fargateContainer("app")).networkMode(NetworkMode.AWSVPC).cpu("256").memory("512"));
        assertThat(stored.compatibilities()).containsExactly("EC2", "FARGATE", "MANAGED_INSTANCES");
    }

    @Test
    void awsvpcDefinitionOfAnotherSizeDoesNotRunOnFargate() {
        var stored = valid(request(fargateContainer("app")).networkMode(NetworkMode.AWSVPC).cpu("512").memory("717")
                .requiresCompatibilities(List.of("EC2")));
        assertThat(stored.compatibilities()).containsExactly("EC2", "MANAGED_INSTANCES");
        assertThat(stored.requiresCompatibilities()).containsExactly("EC2");
    }

    @Test
    void definitionRequiringFargateListsFargate() {
        assertThat(valid(fargate(fargateContainer("app"))).compatibilities()).contains("FARGATE");
    }

    @Test
    void bridgeDefinitionRequiringManagedInstancesListsThem() {
        assertThat(valid(request(container("app").build()).requiresCompatibilities(List.of("MANAGED_INSTANCES"))).compatibilities())
                .containsExactly("EXTERNAL", "EC2", "MANAGED_INSTANCES");
    }

    @Test
    void externalDefinitionOnBridgeIsAccepted() {
        assertThat(valid(request(container("app").build()).requiresCompatibilities(List.of("EXTERNAL"))).compatibilities())
                .contains("EXTERNAL");
    }

    @Test
    void externalDefinitionOnAwsvpcIsRejected() {
        assertRejected(request(container("app").build()).networkMode(NetworkMode.AWSVPC).requiresCompatibilities(List.of("EXTERNAL")), CLIENT,
                "Task definitions for the EXTERNAL launch type do not support network mode 'awsvpc'.");
    }

    @Test
    void fargateRulesApplyEvenWhenEc2IsAlsoRequired() {
        assertRejected(request(container("app").build()).requiresCompatibilities(List.of("EC2", "FARGATE")), CLIENT,
                "Fargate only supports network mode \u2018awsvpc\u2019.");
    }

    @Test
    void typicalFargateWebDefinitionRequiresWhatEcsListsForIt() {
        ContainerDefinition web = fargateContainer("web").toBuilder()
                .image(ECR_IMAGE)
                .logConfiguration(LogConfiguration.builder().logDriver("awslogs")
                        .options(Map.of("awslogs-group", "/ecs/web", "awslogs-region", "us-east-1", "awslogs-stream-prefix", "ecs")).build())
                .build();
        var stored = valid(fargate(web).executionRoleArn(EXECUTION_ROLE).taskRoleArn("arn:aws:iam::123456789012:role/app"));
        assertThat(attributeNames(stored)).containsExactlyInAnyOrder(
                "com.amazonaws.ecs.capability.docker-remote-api.1.18",
                "ecs.capability.task-eni",
                "com.amazonaws.ecs.capability.task-iam-role",
                "com.amazonaws.ecs.capability.ecr-auth",
                "ecs.capability.execution-role-ecr-pull",
                "com.amazonaws.ecs.capability.logging-driver.awslogs",
                "com.amazonaws.ecs.capability.docker-remote-api.1.19",
                "ecs.capability.execution-role-awslogs");
    }

    @Test
    void containerFeaturesRequireTheirCapabilities() {
        ContainerDefinition app = container("app")
                .memoryReservation(128)
                .healthCheck(HealthCheck.builder().command(List.of("CMD", "true")).startPeriod(10).build())
                .dependsOn(List.of(ContainerDependency.builder().containerName("db").condition("START").build()))
                .secrets(List.of(
                        Secret.builder().name("A").valueFrom("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf").build(),
                        Secret.builder().name("B").valueFrom("db-password").build()))
                .environmentFiles(List.of(EnvironmentFile.builder().type("s3").value("arn:aws:s3:::bucket/app.env").build()))
                .privileged(true)
                .portMappings(List.of(PortMapping.builder().containerPortRange("7000-7010").build()))
                .build();
        var stored = valid(request(app, container("db").build()).executionRoleArn(EXECUTION_ROLE));
        assertThat(attributeNames(stored)).containsExactlyInAnyOrder(
                "com.amazonaws.ecs.capability.docker-remote-api.1.21",
                "ecs.capability.container-health-check",
                "com.amazonaws.ecs.capability.docker-remote-api.1.29",
                "ecs.capability.container-ordering",
                "ecs.capability.secrets.asm.environment-variables",
                "ecs.capability.secrets.ssm.environment-variables",
                "ecs.capability.env-files.s3",
                "com.amazonaws.ecs.capability.privileged-container",
                "ecs.capability.network.container-port-range");
    }

    @Test
    void firelensAndEfsRequireTheirCapabilities() {
        ContainerDefinition router = container("log_router")
                .firelensConfiguration(FirelensConfiguration.builder().type("fluentbit")
                        .options(Map.of("config-file-type", "file", "config-file-value", "/fluent-bit/extra.conf")).build())
                .build();
        ContainerDefinition app = container("app")
                .logConfiguration(LogConfiguration.builder().logDriver("awsfirelens").build())
                .build();
        Volume efs = Volume.builder().name("shared")
                .efsVolumeConfiguration(EFSVolumeConfiguration.builder().fileSystemId("fs-12345678").build()).build();
        var stored = valid(request(router, app).volumes(List.of(efs)));
        assertThat(attributeNames(stored)).containsExactlyInAnyOrder(
                "ecs.capability.efs",
                "ecs.capability.efsAuth",
                "com.amazonaws.ecs.capability.docker-remote-api.1.25",
                "ecs.capability.firelens.fluentbit",
                "ecs.capability.firelens.options.config.file",
                "com.amazonaws.ecs.capability.logging-driver.awsfirelens",
                "com.amazonaws.ecs.capability.docker-remote-api.1.18");
    }

    @Test
    void eachAttributeIsListedOnceAndCarriesOnlyItsName() {
        ContainerDefinition a = container("a").memoryReservation(64).build();
        ContainerDefinition b = container("b").memoryReservation(64).build();
        var stored = valid(request(a, b));
        assertThat(stored.requiresAttributes()).singleElement().satisfies(attribute -> {
            assertThat(attribute.name()).isEqualTo("com.amazonaws.ecs.capability.docker-remote-api.1.21");
            assertThat(attribute.value()).isNull();
            assertThat(attribute.targetId()).isNull();
            assertThat(attribute.targetType()).isNull();
        });
    }
}
