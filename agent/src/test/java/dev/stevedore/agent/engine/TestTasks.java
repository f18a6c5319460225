package dev.stevedore.agent.engine;

import dev.stevedore.model.agent.AgentChannel;
import dev.stevedore.model.agent.DesiredTasks;
import dev.stevedore.model.agent.NetworkInterfaceAssignment;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.ContainerDependency;
import dev.stevedore.model.ecs.ContainerOverride;
import dev.stevedore.model.ecs.HealthCheck;
import dev.stevedore.model.ecs.KeyValuePair;
import dev.stevedore.model.ecs.PortMapping;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.TaskOverride;
import dev.stevedore.model.ecs.Volume;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Task definitions and assignments for tests, in the shape the control plane pushes them. */
final class TestTasks {

    static final String IMAGE = "stevedore-test/busybox:latest";
    static final String ACCOUNT_PREFIX = "arn:aws:ecs:us-east-1:000000000000:";

    private TestTasks() {}

    static String newTaskArn(String cluster) {
        return ACCOUNT_PREFIX + "task/" + cluster + "/" + UUID.randomUUID().toString().replace("-", "");
    }

    static ContainerDefinition.Builder container(String name, String... command) {
        ContainerDefinition.Builder b = ContainerDefinition.builder().name(name).image(IMAGE).essential(true);
        if (command.length > 0) {
            b.command(Arrays.asList(command));
        }
        return b;
    }

    static ContainerDefinition.Builder shell(String name, String script) {
        return container(name, "sh", "-c", script);
    }

    static ContainerDependency dependsOn(String container, String condition) {
        return ContainerDependency.builder().containerName(container).condition(condition).build();
    }

    static KeyValuePair env(String name, String value) {
        return KeyValuePair.builder().name(name).value(value).build();
    }

    static PortMapping port(int containerPort) {
        return PortMapping.builder().containerPort(containerPort).protocol("tcp").build();
    }

    static HealthCheck healthCheck(String shellCommand, int retries) {
        return HealthCheck.builder().command(List.of("CMD-SHELL", shellCommand)).interval(1).timeout(2).retries(retries).build();
    }

    static ContainerOverride override(String container) {
        return ContainerOverride.builder().name(container).build();
    }

    /** A task and its definition; the task wants RUNNING and the control plane knows it as PENDING. */
    static final class TaskBuilder {
        private final String taskArn;
        private final String family;
        private final List<ContainerDefinition> containers = new ArrayList<>();
        private final List<Volume> volumes = new ArrayList<>();
        private final List<ContainerOverride> overrides = new ArrayList<>();
        private String networkMode;
        private String cpu;
        private String memory;
        private final List<NetworkInterfaceAssignment> interfaces = new ArrayList<>();

        TaskBuilder(String taskArn, String family) {
            this.taskArn = taskArn;
            this.family = family;
        }

        TaskBuilder container(ContainerDefinition.Builder c) {
            containers.add(c.build());
            return this;
        }

        TaskBuilder volume(Volume v) {
            volumes.add(v);
            return this;
        }

        TaskBuilder override(ContainerOverride o) {
            overrides.add(o);
            return this;
        }

        TaskBuilder networkMode(String value) {
            networkMode = value;
            return this;
        }

        /** An awsvpc task with this interface. */
        TaskBuilder awsvpc(NetworkInterfaceAssignment eni) {
            networkMode = "awsvpc";
            interfaces.add(eni);
            return this;
        }

        TaskBuilder limits(String taskCpu, String taskMemory) {
            cpu = taskCpu;
            memory = taskMemory;
            return this;
        }

        TaskAssignment build() {
            TaskDefinition td = TaskDefinition.builder()
                    .family(family)
                    .revision(3)
                    .taskDefinitionArn(ACCOUNT_PREFIX + "task-definition/" + family + ":3")
                    .containerDefinitions(List.copyOf(containers))
                    .volumes(volumes.isEmpty() ? null : List.copyOf(volumes))
                    .networkMode(networkMode)
                    .cpu(cpu)
                    .memory(memory)
                    .build();
            Task task = Task.builder()
                    .taskArn(taskArn)
                    .taskDefinitionArn(td.taskDefinitionArn())
                    .desiredStatus("RUNNING")
                    .lastStatus("PENDING")
                    .overrides(overrides.isEmpty() ? null : TaskOverride.builder().containerOverrides(List.copyOf(overrides)).build())
                    .build();
            return new TaskAssignment(task, td, interfaces);
        }
    }

    /** An interface on a test subnet, with the address and a MAC derived from the last octet. */
    static NetworkInterfaceAssignment eni(String subnetId, String cidrBlock, String address) {
        int last = Integer.parseInt(address.substring(address.lastIndexOf('.') + 1));
        String id = Integer.toHexString(address.hashCode() & 0xfffffff);
        return new NetworkInterfaceAssignment(ACCOUNT_PREFIX + "attachment/" + id, "eni-0" + id,
                String.format("0a:58:0a:d5:07:%02x", last), address, "ip-" + address.replace('.', '-') + ".ec2.internal",
                subnetId, cidrBlock);
    }

    static TaskBuilder task(String taskArn, String family) {
        return new TaskBuilder(taskArn, family);
    }

    /** The same task, which the control plane now wants stopped. */
    static TaskAssignment stopped(TaskAssignment a, String reason) {
        return new TaskAssignment(a.task().toBuilder().desiredStatus("STOPPED").stoppedReason(reason).stopCode("UserInitiated").build(),
                a.taskDefinition(), a.networkInterfaces());
    }

    /** The same task as the control plane shows it after the agent reported it RUNNING. */
    static TaskAssignment reportedRunning(TaskAssignment a) {
        return new TaskAssignment(a.task().toBuilder().lastStatus("RUNNING").build(), a.taskDefinition(), a.networkInterfaces());
    }

    static DesiredTasks desired(String instanceArn, long revision, TaskAssignment... tasks) {
        return new DesiredTasks(AgentChannel.PROTOCOL_VERSION, instanceArn, revision, List.of(tasks));
    }
}
