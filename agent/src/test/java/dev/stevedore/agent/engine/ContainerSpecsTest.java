package dev.stevedore.agent.engine;

import static dev.stevedore.agent.engine.TestTasks.container;
import static dev.stevedore.agent.engine.TestTasks.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.agent.runtime.ContainerLink;
import dev.stevedore.agent.runtime.ContainerSpec;
import dev.stevedore.agent.runtime.ExtraHost;
import dev.stevedore.agent.runtime.MountPoint;
import dev.stevedore.agent.runtime.NetworkMode;
import dev.stevedore.agent.runtime.PortMapping;
import dev.stevedore.agent.runtime.Protocol;
import dev.stevedore.agent.runtime.Ulimit;
import dev.stevedore.agent.runtime.VolumeFrom;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.DockerVolumeConfiguration;
import dev.stevedore.model.ecs.HostEntry;
import dev.stevedore.model.ecs.HostVolumeProperties;
import dev.stevedore.model.ecs.Volume;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContainerSpecsTest {

    private static final String ARN = TestTasks.ACCOUNT_PREFIX + "task/c/00ff";
    private static final AgentIdentity IDENTITY = new AgentIdentity(
            TestTasks.ACCOUNT_PREFIX + "cluster/c", TestTasks.ACCOUNT_PREFIX + "container-instance/c/i-1", Path.of("/tmp"));

    private static ContainerSpec build(TaskAssignment a, String container, Map<String, String> dockerNames) {
        return build(a, container, dockerNames, Optional.empty());
    }

    private static ContainerSpec build(TaskAssignment a, String container, Map<String, String> dockerNames,
                                       Optional<ContainerSpecs.EndpointAccess> endpoints) {
        return build(a, container, dockerNames, endpoints, Map.of(), Map.of(), Optional.empty());
    }

    private static ContainerSpec build(TaskAssignment a, String container, Map<String, String> dockerNames,
                                       Optional<ContainerSpecs.EndpointAccess> endpoints, Map<String, String> secretEnvironment,
                                       Map<String, String> secretLogOptions) {
        return build(a, container, dockerNames, endpoints, secretEnvironment, secretLogOptions, Optional.empty());
    }

    private static ContainerSpec build(TaskAssignment a, String container, Map<String, String> dockerNames,
                                       Optional<ContainerSpecs.EndpointAccess> endpoints, Optional<AwsLogs.Access> awslogs) {
        return build(a, container, dockerNames, endpoints, Map.of(), Map.of(), awslogs);
    }

    private static ContainerSpec build(TaskAssignment a, String container, Map<String, String> dockerNames,
                                       Optional<ContainerSpecs.EndpointAccess> endpoints, Map<String, String> secretEnvironment,
                                       Map<String, String> secretLogOptions, Optional<AwsLogs.Access> awslogs) {
        TaskPlan plan = TaskPlan.of(a, IDENTITY.containerInstanceArn(), Duration.ofSeconds(30));
        ContainerSpecs.Context ctx = new ContainerSpecs.Context(IDENTITY, ARN, plan, dockerNames, Optional.of("/stevedore/00ff"),
                Optional.empty(), endpoints, secretEnvironment, secretLogOptions, awslogs);
        return ContainerSpecs.build(ctx, plan.container(container).orElseThrow(), "ecs-web-3-" + container + "-abc");
    }

    @Test
    void aContainerIsToldTheTaskEndpointsOverWhateverItsDefinitionSaysAndGetsItsBridgeMac() {
        TaskAssignment a = TestTasks.task(ARN, "web")
                .container(container("app").environment(List.of(TestTasks.env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/elsewhere"))))
                .build();
        String mac = ContainerSpecs.randomMac();

        ContainerSpec spec = build(a, "app", Map.of(),
                Optional.of(new ContainerSpecs.EndpointAccess("meta-1", Optional.of("cred-1"), Optional.of(mac))));

        assertThat(spec.environment())
                .containsEntry("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/meta-1")
                .containsEntry("ECS_CONTAINER_METADATA_URI", "http://169.254.170.2/v3/meta-1")
                .containsEntry("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/cred-1");
        assertThat(spec.bridgeMacAddress()).contains(mac);
        assertThat(mac).matches("02(:[0-9a-f]{2}){5}");
        assertThat(spec.labels()).containsEntry(Labels.METADATA_ENDPOINT_ID, "meta-1");
        assertThat(build(a, "app", Map.of()).environment()).doesNotContainKey("ECS_CONTAINER_METADATA_URI_V4");
    }

    @Test
    void secretsAreVariablesThatWinOverTheDefinitionsButNotOverTheEndpointsAndSecretLogOptionsJoinTheDriversOptions() {
        TaskAssignment a = TestTasks.task(ARN, "web")
                .container(container("app").environment(List.of(env("DB_PASSWORD", "plain"), env("MODE", "prod")))
                        .logConfiguration(dev.stevedore.model.ecs.LogConfiguration.builder().logDriver("json-file")
                                .options(Map.of("max-size", "1m")).build()))
                .build();

        ContainerSpec spec = build(a, "app", Map.of(),
                Optional.of(new ContainerSpecs.EndpointAccess("meta-1", Optional.empty(), Optional.empty())),
                Map.of("DB_PASSWORD", "from-ssm", "ECS_CONTAINER_METADATA_URI_V4", "http://elsewhere"),
                Map.of("max-file", "3"));

        assertThat(spec.environment()).containsEntry("DB_PASSWORD", "from-ssm").containsEntry("MODE", "prod")
                .containsEntry("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/meta-1");
        assertThat(spec.logConfig()).isPresent();
        assertThat(spec.logConfig().get().options()).containsEntry("max-size", "1m").containsEntry("max-file", "3");
    }

    @Test
    void awslogsGoesToDockersOwnDriverWithTheEcsStreamNameAndThisAgentsEndpointAndCredentials() {
        Map<String, String> options = Map.of("awslogs-group", "/ecs/web", "awslogs-region", "eu-west-1",
                "awslogs-stream-prefix", "web", "awslogs-create-group", "true", "mode", "non-blocking",
                "max-buffer-size", "4m", "awslogs-endpoint", "https://elsewhere.example",
                "awslogs-credentials-endpoint", "/v2/credentials/theirs");
        TaskAssignment a = TestTasks.task(ARN, "web").container(container("app").logConfiguration(
                dev.stevedore.model.ecs.LogConfiguration.builder().logDriver("awslogs").options(options).build())).build();
        AwsLogs.Target target = new AwsLogs.Target(java.net.URI.create("http://127.0.0.1:8080"), 51680);

        ContainerSpec spec = build(a, "app", Map.of(), Optional.empty(), Optional.of(target.access("exec-1")));

        assertThat(spec.logConfig()).hasValueSatisfying(log -> {
            assertThat(log.driver()).isEqualTo("awslogs");
            assertThat(log.options()).isEqualTo(Map.of("awslogs-group", "/ecs/web", "awslogs-region", "eu-west-1",
                    "awslogs-stream", "web/app/00ff", "awslogs-create-group", "true", "mode", "non-blocking",
                    "max-buffer-size", "4m", "awslogs-endpoint", "http://127.0.0.1:8080",
                    "awslogs-credentials-endpoint", ":51680/v2/credentials/exec-1"));
        });
    }

    @Test
    void withoutAPrefixDockerNamesTheStreamAndWithoutAccessAwslogsIsRefused() {
        TaskAssignment a = TestTasks.task(ARN, "web").container(container("app").logConfiguration(
                dev.stevedore.model.ecs.LogConfiguration.builder().logDriver("awslogs")
                        .options(Map.of("awslogs-group", "g", "awslogs-region", "us-east-1")).build())).build();

        ContainerSpec spec = build(a, "app", Map.of(), Optional.empty(),
                Optional.of(new AwsLogs.Access("http://127.0.0.1:1", ":2/v2/credentials/x")));

        assertThat(spec.logConfig().orElseThrow().options()).doesNotContainKey("awslogs-stream");
        assertThatThrownBy(() -> build(a, "app", Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("execution role");
    }

    @Test
    void everySupportedFieldOfTheDefinitionIsMapped() {
        TaskAssignment a = TestTasks.task(ARN, "web")
                .container(container("db"))
                .container(container("app", "serve", "--port", "80")
                        .entryPoint(List.of("/bin/tini", "--"))
                        .environment(List.of(env("MODE", "prod")))
                        .workingDirectory("/srv")
                        .user("nobody")
                        .hostname("app-host")
                        .cpu(512).memory(256).memoryReservation(128)
                        .ulimits(List.of(dev.stevedore.model.ecs.Ulimit.builder().name("nofile").softLimit(1024).hardLimit(2048).build()))
                        .links(List.of("db:database"))
                        .volumesFrom(List.of(dev.stevedore.model.ecs.VolumeFrom.builder().sourceContainer("db").readOnly(true).build()))
                        .privileged(true)
                        .readonlyRootFilesystem(true)
                        .dockerLabels(Map.of("team", "blue", Labels.TASK_ARN, "forged"))
                        .portMappings(List.of(TestTasks.port(80), TestTasks.port(53).toBuilder().protocol("udp").hostPort(5353).build()))
                        .dnsServers(List.of("10.0.0.2"))
                        .extraHosts(List.of(HostEntry.builder().hostname("db.local").ipAddress("10.0.0.9").build()))
                        .healthCheck(TestTasks.healthCheck("wget -q localhost", 2))
                        .stopTimeout(7))
                .build();

        ContainerSpec spec = build(a, "app", Map.of("db", "ecs-web-3-db-123"));

        assertThat(spec.name()).isEqualTo("ecs-web-3-app-abc");
        assertThat(spec.image()).isEqualTo(TestTasks.IMAGE);
        assertThat(spec.command()).containsExactly("serve", "--port", "80");
        assertThat(spec.entryPoint()).containsExactly("/bin/tini", "--");
        assertThat(spec.environment()).containsExactlyEntriesOf(Map.of("MODE", "prod"));
        assertThat(spec.workingDirectory()).hasValue("/srv");
        assertThat(spec.user()).hasValue("nobody");
        assertThat(spec.hostname()).hasValue("app-host");
        assertThat(spec.cpuShares()).hasValue(512);
        assertThat(spec.memoryMiB()).hasValue(256);
        assertThat(spec.memoryReservationMiB()).hasValue(128);
        assertThat(spec.ulimits()).containsExactly(new Ulimit("nofile", 1024, 2048));
        assertThat(spec.links()).containsExactly(new ContainerLink("ecs-web-3-db-123", "database"));
        assertThat(spec.volumesFrom()).containsExactly(new VolumeFrom("ecs-web-3-db-123", true));
        assertThat(spec.privileged()).isTrue();
        assertThat(spec.readonlyRootFilesystem()).isTrue();
        assertThat(spec.networkMode()).isEqualTo(NetworkMode.bridge());
        assertThat(spec.portMappings()).containsExactly(PortMapping.tcp(80), PortMapping.udp(53, 5353));
        assertThat(spec.dnsServers()).containsExactly("10.0.0.2");
        assertThat(spec.extraHosts()).containsExactly(new ExtraHost("db.local", "10.0.0.9"));
        assertThat(spec.healthCheck()).hasValueSatisfying(h -> {
            assertThat(h.command()).containsExactly("CMD-SHELL", "wget -q localhost");
            assertThat(h.interval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(h.retries()).isEqualTo(2);
        });
        assertThat(spec.stopTimeout()).hasValue(Duration.ofSeconds(7));
        assertThat(spec.cgroupParent()).hasValue("/stevedore/00ff");
        assertThat(spec.labels())
                .containsEntry("team", "blue")
                .containsEntry(Labels.TASK_ARN, ARN)
                .containsEntry(Labels.CLUSTER, IDENTITY.clusterArn())
                .containsEntry(Labels.CONTAINER_NAME, "app")
                .containsEntry(Labels.FAMILY, "web")
                .containsEntry(Labels.REVISION, "3")
                .containsEntry(Labels.CONTAINER_INSTANCE, IDENTITY.containerInstanceArn());
    }

    @Test
    void hostModePublishesContainerPortsAsThemselvesAndDropsTheHostname() {
        TaskAssignment a = TestTasks.task(ARN, "web").networkMode("host")
                .container(container("app").hostname("ignored").portMappings(List.of(TestTasks.port(8080))))
                .build();

        ContainerSpec spec = build(a, "app", Map.of());

        assertThat(spec.networkMode()).isEqualTo(NetworkMode.host());
        assertThat(spec.portMappings()).containsExactly(PortMapping.tcp(8080, 8080));
        assertThat(spec.hostname()).isEmpty();
    }

    @Test
    void aPortRangeGetsADynamicHostPortPerPort() {
        TaskAssignment a = TestTasks.task(ARN, "web")
                .container(container("app").portMappings(List.of(dev.stevedore.model.ecs.PortMapping.builder()
                        .containerPortRange("7000-7002").protocol("tcp").build())))
                .build();

        assertThat(build(a, "app", Map.of()).portMappings())
                .containsExactly(PortMapping.tcp(7000), PortMapping.tcp(7001), PortMapping.tcp(7002));
    }

    @Test
    void volumesBecomeBindsTaskVolumesOrSharedVolumes() {
        TaskAssignment a = TestTasks.task(ARN, "web")
                .volume(Volume.builder().name("host").host(HostVolumeProperties.builder().sourcePath("/srv/data").build()).build())
                .volume(Volume.builder().name("scratch").build())
                .volume(Volume.builder().name("cache").dockerVolumeConfiguration(DockerVolumeConfiguration.builder().scope("task").build()).build())
                .volume(Volume.builder().name("shared").dockerVolumeConfiguration(
                        DockerVolumeConfiguration.builder().scope("shared").autoprovision(true).build()).build())
                .container(container("app").mountPoints(List.of(
                        mount("host", "/data", true), mount("scratch", "/scratch", false),
                        mount("cache", "/cache", false), mount("shared", "/shared", false))))
                .build();

        assertThat(build(a, "app", Map.of()).mountPoints()).containsExactly(
                MountPoint.bind("/srv/data", "/data", true),
                MountPoint.volume("ecs-web-3-scratch-00ff", "/scratch", false),
                MountPoint.volume("ecs-web-3-cache-00ff", "/cache", false),
                MountPoint.volume("shared", "/shared", false));
    }

    @Test
    void aDefinitionTheEngineCannotExpressIsRefused() {
        TaskAssignment a = TestTasks.task(ARN, "web").container(container("app").memory(4)).build();

        assertThatThrownBy(() -> build(a, "app", Map.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memory");
    }

    @Test
    void containerNamesFollowTheEcsAgentPattern() {
        TaskPlan plan = TaskPlan.of(TestTasks.task(ARN, "web").container(container("app")).build(), "i", Duration.ofSeconds(1));

        assertThat(ContainerSpecs.dockerName(plan, "app")).matches("ecs-web-3-app-[0-9a-f]{16}");
        assertThat(ContainerSpecs.dockerName(plan, "app")).isNotEqualTo(ContainerSpecs.dockerName(plan, "app"));
    }

    private static dev.stevedore.model.ecs.MountPoint mount(String volume, String path, boolean readOnly) {
        return dev.stevedore.model.ecs.MountPoint.builder().sourceVolume(volume).containerPath(path).readOnly(readOnly).build();
    }

    @Test
    void protocolDefaultsToTcp() {
        TaskAssignment a = TestTasks.task(ARN, "web")
                .container(container("app").portMappings(List.of(dev.stevedore.model.ecs.PortMapping.builder().containerPort(1).build())))
                .build();
        assertThat(build(a, "app", Map.of()).portMappings()).extracting(PortMapping::protocol).containsExactly(Protocol.TCP);
    }
}
