package dev.stevedore.scheduler.query;

import java.time.Instant;
import java.util.function.Predicate;

/**
 * A container instance as the cluster query language sees it: the fields its subjects name.
 *
 * <p>Implemented by the scheduler's {@code InstanceState} and by the placement engine's working
 * view of an instance (which adds the tasks a plan has already put there).
 */
public interface QueryTarget {

    /** Whether the instance's agent is connected; the subject {@code agentConnected}. */
    boolean agentConnected();

    /** The agent's version, e.g. {@code 1.14.5}; empty when unknown. */
    String agentVersion();

    /** The EC2 (or managed-instance) id; the subject {@code ec2InstanceId}. */
    String ec2InstanceId();

    /** When the instance registered; the subject {@code registeredAt}. */
    Instant registeredAt();

    /** Tasks on the instance; the subject {@code runningTasksCount}. */
    int runningTasksCount();

    /** Whether the instance carries the attribute, with or without a value. */
    boolean hasAttribute(String name);

    /** The attribute's value; empty when the attribute has no value or is absent. */
    String attributeValue(String name);

    /** How many tasks of {@code group} are on the instance (0 when none). */
    int taskGroupCount(String group);

    /** Whether any task group with tasks on the instance satisfies {@code test}. */
    boolean hasTaskGroupMatching(Predicate<String> test);
}
