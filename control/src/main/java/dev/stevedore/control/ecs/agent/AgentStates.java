package dev.stevedore.control.ecs.agent;

import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.instance.ContainerInstances;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionOperations;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionRef;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.agent.AgentChannel;
import dev.stevedore.model.agent.DesiredTasks;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.RangeResult;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The control plane's side of the agent channel, without any networking: what one container
 * instance should be running, and whether its agent is connected.
 */
public final class AgentStates {
    private final StateStore store;
    private final TaskDefinitionOperations definitions;

    public AgentStates(StateStore store, TaskDefinitionOperations definitions) {
        this.store = store;
        this.definitions = definitions;
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

    /**
     * Every task placed on the instance that the control plane still knows, STOPPED ones included:
     * the agent keeps a stopped task's containers (for `docker logs`) while it is listed here, and
     * cleans them up once the task is no longer listed (stopped tasks are removed after an hour).
     * Read at one store revision, which the snapshot carries. This ranges over the whole cluster's
     * tasks, so the channel reads it once per connection and follows changes with a
     * {@link DesiredTaskView} after that.
     */
    public DesiredTasks desiredTasks(InstanceRef ref) {
        RangeResult range = store.rangeWithRevision(EcsKeys.tasks(ref.scope(), ref.cluster()));
        List<TaskAssignment> assignments = new ArrayList<>();
        // Tasks of one instance mostly share a few definitions; each is read once.
        Map<String, TaskDefinition> byArn = new HashMap<>();
        for (KeyValue kv : range.kvs()) {
            Task task = Records.decode(kv.value(), Task.class);
            if (!ref.arn().equals(task.containerInstanceArn())) {
                continue;
            }
            TaskDefinition td = byArn.computeIfAbsent(task.taskDefinitionArn(), arn -> definitionOf(ref, task));
            assignments.add(TaskAssignment.of(task, td));
        }
        return new DesiredTasks(AgentChannel.PROTOCOL_VERSION, ref.arn(), range.revision(), assignments);
    }

    /** The definition a task of the instance was started from; a task's definition is never deleted under it. */
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

    /** The store prefix under which changes can affect an instance's desired tasks. */
    public static String tasksPrefix(InstanceRef ref) {
        return EcsKeys.tasks(ref.scope(), ref.cluster());
    }
}
