package dev.stevedore.control.ecs.agent;

import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.instance.ContainerInstances;
import dev.stevedore.control.ecs.task.TaskAttachments;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionOperations;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionRef;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.agent.EfsVolumeAssignment;
import dev.stevedore.model.agent.NetworkInterfaceAssignment;
import dev.stevedore.model.ec2.Subnet;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;
import dev.stevedore.control.efs.TaskFileSystems;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The control plane's side of the agent channel, without any networking: the instance records an
 * agent's channel reads and writes (whether it exists, whether its agent is connected) and the
 * task records and definitions its {@link DesiredTaskView} reads.
 */
public final class AgentStates {
    private final StateStore store;
    private final TaskDefinitionOperations definitions;
    private final TaskFileSystems fileSystems;

    public AgentStates(StateStore store, TaskDefinitionOperations definitions, TaskFileSystems fileSystems) {
        this.store = store;
        this.definitions = definitions;
        this.fileSystems = fileSystems;
    }

    /** A container instance named by its ARN: the scope, cluster and id its ARN carries. */
    public record InstanceRef(EcsScope scope, String cluster, String id, String arn) {
        public static Optional<InstanceRef> parse(String arn) {
            return Arns.parse(arn)
                    .filter(a -> "ecs".equals(a.service()) && "container-instance".equals(a.resourceType()))
                    .flatMap(a -> {
                        String[] parts = a.resourceId().split("/", 2);
                        if (parts.length != 2) {
                            return Optional.empty();
                        }
                        return Optional.of(new InstanceRef(new EcsScope(a.account(), a.region()), parts[0], parts[1], arn));
                    });
        }
    }

    /** The instance record, if it exists. */
    public Optional<ContainerInstance> instance(InstanceRef ref) {
        return store.get(EcsKeys.containerInstance(ref.scope(), ref.cluster(), ref.id()))
                .map(kv -> Records.decode(kv.value(), ContainerInstance.class));
    }

    /** The record under a store key, as {@link DesiredTaskView} reads each task the feed lists on an instance. */
    Optional<KeyValue> record(String key) {
        return store.get(key);
    }

    /**
     * The network interface of an awsvpc task as its agent needs it: the attachment's facts and the
     * subnet's CIDR block, from which the agent builds the subnet's network on its host. A subnet
     * cannot be deleted while a task holds one of its addresses, so it is there to read.
     */
    List<NetworkInterfaceAssignment> networkInterfacesOf(InstanceRef ref, Task task) {
        return TaskAttachments.interfaceOf(task)
                .flatMap(eni -> store.get(Ec2Keys.subnet(ref.scope(), eni.subnetId()))
                        .map(kv -> Records.decode(kv.value(), Subnet.class))
                        .map(subnet -> new NetworkInterfaceAssignment(
                                ref.scope().arnPrefix() + "attachment/" + eni.attachmentId(),
                                eni.networkInterfaceId(), eni.macAddress(), eni.privateIpv4Address(),
                                eni.privateDnsName(), eni.subnetId(), subnet.cidrBlock())))
                .map(List::of)
                .orElse(List.of());
    }

    /** The definition a task of the instance was started from; a task's definition is never deleted under it. */
    /** The task's EFS volumes, resolved to the Gluster volumes its agent mounts (or why they cannot be). */
    List<EfsVolumeAssignment> efsVolumesOf(InstanceRef ref, Task task, TaskDefinition definition) {
        return fileSystems.of(ref.scope().accountId(), ref.scope().region(), task, definition);
    }

    TaskDefinition definitionOf(InstanceRef ref, Task task) {
        return TaskDefinitionRef.parse(ref.scope(), task.taskDefinitionArn())
                .flatMap(r -> definitions.find(ref.scope(), r))
                .orElseThrow(() -> new IllegalStateException("task definition of " + task.taskArn() + " is gone"));
    }

    /** Every instance of the scope, in any cluster, that is not INACTIVE and is flagged connected. */
    public List<InstanceRef> flaggedConnected(EcsScope scope) {
        List<InstanceRef> flagged = new ArrayList<>();
        for (KeyValue kv : store.range(EcsKeys.allContainerInstances(scope))) {
            ContainerInstance instance = Records.decode(kv.value(), ContainerInstance.class);
            if (Boolean.TRUE.equals(instance.agentConnected())
                    && !dev.stevedore.control.ecs.instance.InstanceStatus.INACTIVE.equals(instance.status())) {
                InstanceRef.parse(instance.containerInstanceArn()).ifPresent(flagged::add);
            }
        }
        return flagged;
    }

    /** Records whether the instance's agent is connected; returns false when the instance is unknown. */
    public boolean setConnected(InstanceRef ref, boolean connected) {
        return StoreTx.run(store, tx -> {
            Optional<ContainerInstance> instance = ContainerInstances.read(tx, ref.scope(), ref.cluster(), ref.id());
            if (instance.isEmpty()) {
                return false;
            }
            ContainerInstance i = instance.get();
            if (Boolean.valueOf(connected).equals(i.agentConnected())) {
                return true;
            }
            ContainerInstances.write(tx, ref.scope(), i.toBuilder().agentConnected(connected)
                    .version(i.version() + 1).build());
            return true;
        });
    }
}
