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
 *
 * <p>ENI attachment points are not in the record (ECS lists no such resource): an instance has those
 * of its instance type ({@code ecs.instance-type}) as ECS counts them with ENI trunking off, the
 * type's most network interfaces less the primary one, which is the instance's own. A host whose
 * type EC2 does not list (a Stevedore host's {@code stevedore.host}) has no such limit: its tasks'
 * interfaces are endpoints on a Docker network, not devices of the host.
 */
public final class InstanceSnapshots {
    /** The attachment points of a host without an EC2 limit: more tasks than any host can run. */
    static final int UNLIMITED_ATTACHMENTS = 1 << 20;

    private InstanceSnapshots() {
    }

    /**
     * The instance as queries see it (ListContainerInstances' filter, a daemon's constraints):
     * what its tasks hold of its interfaces is not known here, and no query reads it.
     *
     * @param taskGroups the groups of the instance's tasks that are not STOPPED, with their counts
     */
    public static InstanceState toState(ContainerInstance instance, Map<String, Integer> taskGroups) {
        return toState(instance, taskGroups, 0);
    }

    /**
     * The instance as the scheduler places on it.
     *
     * @param taskGroups the groups of the instance's tasks that are not STOPPED, with their counts
     * @param interfacesInUse how many of those tasks hold one of its ENI attachment points
     */
    public static InstanceState toState(ContainerInstance instance, Map<String, Integer> taskGroups,
                                        int interfacesInUse) {
        InstanceResources registered = InstanceResources.fromWire(instance.registeredResources()).orElseThrow();
        InstanceResources remaining = InstanceResources.fromWire(instance.remainingResources()).orElseThrow();
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Attribute a : Optional.ofNullable(instance.attributes()).orElse(List.of())) {
            attributes.put(a.name(), Optional.ofNullable(a.value()).orElse(""));
        }
        int attachments = attachmentPoints(attributes.get("ecs.instance-type"));
        String arn = instance.containerInstanceArn();
        String agentVersion = instance.versionInfo() == null || instance.versionInfo().agentVersion() == null
                ? "0.0.0" : instance.versionInfo().agentVersion();
        return new InstanceState(arn, arn.substring(arn.lastIndexOf('/') + 1),
                Optional.ofNullable(instance.ec2InstanceId()).orElse(""),
                dev.stevedore.scheduler.InstanceStatus.valueOf(instance.status()),
                Boolean.TRUE.equals(instance.agentConnected()), agentVersion,
                Optional.ofNullable(instance.registeredAt()).orElse(Instant.EPOCH), attributes,
                toResources(registered, attachments),
                toResources(remaining, Math.max(0, attachments - interfacesInUse)),
                Optional.ofNullable(instance.runningTasksCount()).orElse(0), taskGroups);
    }

    /** ENI attachment points for awsvpc tasks on an instance of the type (absent: the instance names none). */
    private static int attachmentPoints(String instanceType) {
        return Optional.ofNullable(instanceType).flatMap(Ec2InstanceTypes::find)
                .map(t -> Math.max(0, t.maxNetworkInterfaces() - 1))
                .orElse(UNLIMITED_ATTACHMENTS);
    }

    private static Resources toResources(InstanceResources r, int eniAttachments) {
        return new Resources(Math.max(0, r.cpu()), Math.max(0, r.memoryMiB()), r.tcpPorts(), r.udpPorts(),
                eniAttachments);
    }
}
