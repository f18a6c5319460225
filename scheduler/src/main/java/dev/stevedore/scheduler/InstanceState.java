package dev.stevedore.scheduler;

import dev.stevedore.scheduler.query.QueryTarget;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One container instance as the scheduler sees it at the moment of a snapshot.
 *
 * @param arn the container instance ARN (unique within a snapshot)
 * @param id the container instance id (the last part of the ARN)
 * @param ec2InstanceId the EC2 or managed-instance id of the host
 * @param status the instance's status; only {@code ACTIVE} instances take tasks
 * @param agentConnected whether the agent is connected now
 * @param agentVersion the agent's version, empty when unknown
 * @param registeredAt when the instance registered
 * @param attributes attribute name to value; an attribute without a value maps to {@code ""}
 *     (ECS attribute values are never empty, so this is unambiguous)
 * @param registered the resources the instance registered with
 * @param remaining the resources not yet taken by tasks
 * @param runningTasksCount tasks on the instance (the scheduler counts the ones it places too)
 * @param taskGroups task group to the number of that group's tasks on the instance; groups
 *     without tasks are absent
 */
public record InstanceState(
        String arn,
        String id,
        String ec2InstanceId,
        InstanceStatus status,
        boolean agentConnected,
        String agentVersion,
        Instant registeredAt,
        Map<String, String> attributes,
        Resources registered,
        Resources remaining,
        int runningTasksCount,
        Map<String, Integer> taskGroups) implements QueryTarget {

    public InstanceState {
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ec2InstanceId, "ec2InstanceId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(registeredAt, "registeredAt");
        Objects.requireNonNull(registered, "registered");
        Objects.requireNonNull(remaining, "remaining");
        attributes = Map.copyOf(attributes);
        taskGroups = Map.copyOf(taskGroups);
        if (runningTasksCount < 0) {
            throw new IllegalArgumentException("runningTasksCount must not be negative: " + runningTasksCount);
        }
        taskGroups.forEach((group, count) -> {
            if (count < 1) {
                throw new IllegalArgumentException("task group " + group + " must count at least 1 task: " + count);
            }
        });
    }

    /**
     * This instance with one more task of {@code group} on it: remaining resources reduced, ports
     * taken, the group and running counts raised. The plan applier uses it to write the instance's
     * new remaining resources; the scheduler's own working copy follows the same rules.
     *
     * @throws IllegalArgumentException if the task does not fit the remaining resources
     */
    public InstanceState withTask(TaskRequirements task, String group) {
        Map<String, Integer> groups = new HashMap<>(taskGroups);
        groups.merge(group, 1, Integer::sum);
        return new InstanceState(arn, id, ec2InstanceId, status, agentConnected, agentVersion, registeredAt,
                attributes, registered, remaining.minus(task), runningTasksCount + 1, groups);
    }

    /**
     * This instance with one task of {@code group} gone: the inverse of {@link #withTask}, for a
     * task that stopped or a placement the plan applier could not commit.
     *
     * @throws IllegalArgumentException if no task of {@code group} is on the instance, or the
     *     task's host ports are not taken here
     */
    public InstanceState withoutTask(TaskRequirements task, String group) {
        Integer count = taskGroups.get(group);
        if (count == null) {
            throw new IllegalArgumentException("no task of group " + group + " on " + arn);
        }
        Map<String, Integer> groups = new HashMap<>(taskGroups);
        if (count == 1) {
            groups.remove(group);
        } else {
            groups.put(group, count - 1);
        }
        return new InstanceState(arn, id, ec2InstanceId, status, agentConnected, agentVersion, registeredAt,
                attributes, registered, remaining.plus(task), runningTasksCount - 1, groups);
    }

    @Override
    public boolean hasAttribute(String name) {
        return attributes.containsKey(name);
    }

    @Override
    public String attributeValue(String name) {
        return attributes.getOrDefault(name, "");
    }

    @Override
    public int taskGroupCount(String group) {
        return taskGroups.getOrDefault(group, 0);
    }

    @Override
    public boolean hasTaskGroupMatching(Predicate<String> test) {
        for (String group : taskGroups.keySet()) {
            if (test.test(group)) {
                return true;
            }
        }
        return false;
    }
}
