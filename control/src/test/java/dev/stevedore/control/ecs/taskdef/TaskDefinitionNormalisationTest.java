package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.EXECUTION_ROLE;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.container;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.request;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.valid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.KeyValuePair;
import dev.stevedore.model.ecs.ProxyConfiguration;
import dev.stevedore.model.ecs.RuntimePlatform;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.Ulimit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a stored definition looks like next to the request it came from. */
class TaskDefinitionNormalisationTest {

    @Test
    void minimalContainerIsStoredWithTheMembersDescribeAlwaysShows() {
        ContainerDefinition stored = valid(request(container("app").build())).containerDefinitions().get(0);
        assertThat(stored).isEqualTo(container("app")
                .essential(true)
                .cpu(0)
                .portMappings(List.of())
                .environment(List.of())
                .mountPoints(List.of())
                .volumesFrom(List.of())
                .systemControls(List.of())
                .build());
    }

    @Test
    void minimalDefinitionIsStoredWithComputedAndAlwaysPresentMembers() {
        TaskDefinition stored = valid(request(container("app").build()));
        assertThat(stored.family()).isEqualTo("web");
        assertThat(stored.volumes()).isEmpty();
        assertThat(stored.placementConstraints()).isEmpty();
        assertThat(stored.enableFaultInjection()).isFalse();
        assertThat(stored.networkMode()).isNull();
        assertThat(stored.taskDefinitionArn()).isNull();
        assertThat(stored.revision()).isNull();
        assertThat(stored.status()).isNull();
        assertThat(stored.registeredAt()).isNull();
        assertThat(stored.registeredBy()).isNull();
    }

    @Test
    void membersWithoutRulesAreEchoedAsGiven() {
        ContainerDefinition app = container("app")
                .command(List.of("nginx", "-g", "daemon off;"))
                .entryPoint(List.of("/docker-entrypoint.sh"))
                .environment(List.of(KeyValuePair.builder().name("MODE").value("prod").build()))
                .dockerLabels(Map.of("team", "web"))
                .ulimits(List.of(Ulimit.builder().name("nofile").softLimit(1024).hardLimit(4096).build()))
                .user("nginx")
                .workingDirectory("/srv")
                .readonlyRootFilesystem(true)
                .build();
        ProxyConfiguration proxy = ProxyConfiguration.builder().type("APPMESH").containerName("app").build();
        RuntimePlatform platform = RuntimePlatform.builder().cpuArchitecture("ARM64").operatingSystemFamily("LINUX").build();
        TaskDefinition stored = valid(request(app)
                .taskRoleArn("arn:aws:iam::123456789012:role/app")
                .executionRoleArn(EXECUTION_ROLE)
                .pidMode("task")
                .ipcMode("none")
                .proxyConfiguration(proxy)
                .runtimePlatform(platform)
                .enableFaultInjection(true));

        ContainerDefinition storedApp = stored.containerDefinitions().get(0);
        assertThat(storedApp.command()).isEqualTo(app.command());
        assertThat(storedApp.entryPoint()).isEqualTo(app.entryPoint());
        assertThat(storedApp.environment()).isEqualTo(app.environment());
        assertThat(storedApp.dockerLabels()).isEqualTo(app.dockerLabels());
        assertThat(storedApp.ulimits()).isEqualTo(app.ulimits());
        assertThat(storedApp.user()).isEqualTo("nginx");
        assertThat(storedApp.workingDirectory()).isEqualTo("/srv");
        assertThat(storedApp.readonlyRootFilesystem()).isTrue();
        assertThat(stored.taskRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/app");
        assertThat(stored.executionRoleArn()).isEqualTo(EXECUTION_ROLE);
        assertThat(stored.pidMode()).isEqualTo("task");
        assertThat(stored.ipcMode()).isEqualTo("none");
        assertThat(stored.proxyConfiguration()).isEqualTo(proxy);
        assertThat(stored.runtimePlatform()).isEqualTo(platform);
        assertThat(stored.enableFaultInjection()).isTrue();
    }

    @Test
    void containersKeepTheirOrder() {
        TaskDefinition stored = valid(request(container("b").build(), container("a").build(), container("c").build()));
        assertThat(stored.containerDefinitions()).extracting(ContainerDefinition::name).containsExactly("b", "a", "c");
    }

    @Test
    void validatingTheSameRequestTwiceGivesEqualDefinitions() {
        var request = request(container("app").build()).cpu("1 vCPU").memory("2 GB");
        assertThat(valid(request)).isEqualTo(valid(request));
    }
}
