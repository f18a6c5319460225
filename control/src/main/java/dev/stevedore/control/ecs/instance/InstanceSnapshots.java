package dev.stevedore.control.ecs.instance;

import dev.stevedore.model.ecs.Attribute;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.scheduler.InstanceState;
import dev.stevedore.scheduler.Resources;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns stored container instances into the scheduler's immutable view of them.
 */
public final class InstanceSnapshots {
    private InstanceSnapshots() {
    }

    /**
     * @param taskGroups the groups of the instance's tasks that are not STOPPED, with their counts
     */
    public static InstanceState toState(ContainerInstance instance, Map<String, Integer> taskGroups) {
        InstanceResources registered = InstanceResources.fromWire(instance.registeredResources()).orElseThrow();
        InstanceResources remaining = InstanceResources.fromWire(instance.remainingResources()).orElseThrow();
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Attribute a : Optional.ofNullable(instance.attributes()).orElse(List.of())) {
            attributes.put(a.name(), Optional.ofNullable(a.value()).orElse(""));
        }
        String arn = instance.containerInstanceArn();
        String agentVersion = instance.versionInfo() == null || instance.versionInfo().agentVersion() == null
                ? "0.0.0" : instance.versionInfo().agentVersion();
        return new InstanceState(arn, arn.substring(arn.lastIndexOf('/') + 1),
                Optional.ofNullable(instance.ec2InstanceId()).orElse(""),
                dev.stevedore.scheduler.InstanceStatus.valueOf(instance.status()),
                Boolean.TRUE.equals(instance.agentConnected()), agentVersion,
                Optional.ofNullable(instance.registeredAt()).orElse(Instant.EPOCH), attributes,
                toResources(registered), toResources(remaining),
                Optional.ofNullable(instance.runningTasksCount()).orElse(0), taskGroups);
    }

    private static Resources toResources(InstanceResources r) {
        // ENI attachments are not tracked until awsvpc on EC2 arrives; none are free.
        return new Resources(Math.max(0, r.cpu()), Math.max(0, r.memoryMiB()), r.tcpPorts(), r.udpPorts(), 0);
    }
}
