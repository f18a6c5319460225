package dev.stevedore.control.ecs.service.controller;

import dev.stevedore.model.ecs.Container;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.LoadBalancer;
import dev.stevedore.model.ecs.NetworkBinding;
import dev.stevedore.model.ecs.PortMapping;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which port an instance target of a task is registered on. */
class ServiceTargetSyncTest {
    private static final LoadBalancer LB = LoadBalancer.builder().targetGroupArn("tg").containerName("app")
            .containerPort(80).build();

    private static TaskDefinition definition(String mode, Integer hostPort) {
        return TaskDefinition.builder().networkMode(mode).containerDefinitions(List.of(ContainerDefinition.builder()
                .name("app").portMappings(List.of(PortMapping.builder().containerPort(80).hostPort(hostPort).build()))
                .build())).build();
    }

    private static Task task(Integer boundHostPort) {
        Container.Builder c = Container.builder().name("app");
        if (boundHostPort != null) {
            c.networkBindings(List.of(NetworkBinding.builder().containerPort(80).hostPort(boundHostPort).build()));
        }
        return Task.builder().taskArn("arn:aws:ecs:us-east-1:123456789012:task/c/1").containers(List.of(c.build()))
                .build();
    }

    @Test
    void theAgentsNetworkBindingComesFirst() {
        assertThat(ServiceTargetSync.hostPort(task(32768), Optional.of(definition("bridge", 0)), LB)).contains(32768);
        assertThat(ServiceTargetSync.hostPort(task(32768), Optional.of(definition("bridge", 8080)), LB)).contains(32768);
    }

    @Test
    void withoutABindingTheDefinitionsFixedPortIsTaken() {
        assertThat(ServiceTargetSync.hostPort(task(null), Optional.of(definition("bridge", 8080)), LB)).contains(8080);
        assertThat(ServiceTargetSync.hostPort(task(null), Optional.of(definition("host", null)), LB)).contains(80);
    }

    @Test
    void aDynamicPortNotYetBoundCannotBeRegisteredYet() {
        assertThat(ServiceTargetSync.hostPort(task(null), Optional.of(definition("bridge", 0)), LB)).isEmpty();
        assertThat(ServiceTargetSync.hostPort(task(null), Optional.of(definition("bridge", null)), LB)).isEmpty();
    }
}
