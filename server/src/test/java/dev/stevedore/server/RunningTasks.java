package dev.stevedore.server;

import dev.stevedore.control.ecs.agent.AgentStates.InstanceRef;
import dev.stevedore.control.ecs.stats.TaskStatsBook;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskStatsReport.TaskUsage;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.Txn;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Tasks of cluster {@code c} running on one instance, as the store and an agent's stats reports show
 * them to {@link TaskStatsBook}: for tests of what reads the book.
 */
public record RunningTasks(StateStore store, TaskStatsBook book) {
    public static final InstanceRef INSTANCE = InstanceRef.parse(
            "arn:aws:ecs:us-east-1:123456789012:container-instance/c/i1").orElseThrow();

    public static String arn(String id) {
        return "arn:aws:ecs:us-east-1:123456789012:task/c/" + id;
    }

    /** Puts task {@code id} of {@code group} in the store, RUNNING on the instance. */
    public void run(String id, String group) {
        String json = """
                {"taskArn": "%s", "containerInstanceArn": "%s", "group": "%s", "lastStatus": "RUNNING",
                 "desiredStatus": "RUNNING", "version": 1}""".formatted(arn(id), INSTANCE.arn(), group);
        store.commit(Txn.builder().put("/ecs/123456789012/us-east-1/tasks/c/" + id,
                json.getBytes(StandardCharsets.UTF_8)).build());
    }

    /** The instance's agent reports the task's use; whether the book kept it. */
    public boolean report(String id, double cpu, long memory) {
        return book.record(INSTANCE, Optional.of(TaskAssignment.of(Task.builder().taskArn(arn(id)).build(),
                TaskDefinition.builder().build())), new TaskUsage(arn(id), cpu, memory));
    }
}
