package dev.stevedore.control.ecs;

import dev.stevedore.control.ecs.protection.TaskProtections;
import dev.stevedore.control.ecs.task.StoppedTaskReaper;
import dev.stevedore.control.state.StoreTx;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Stopped tasks stay describable for the retention, then are removed; running tasks never are. */
class StoppedTaskReaperTest {

    /** The default cluster with one instance, and a task definition {@code t} to run there. */
    private static EcsHarness clusterWithDefinition() {
        EcsHarness ecs = new EcsHarness();
        ecs.call("CreateCluster", "{}");
        ecs.registerInstance("default", 4096, 4096, "us-east-1a");
        ecs.call("RegisterTaskDefinition", "{\"family\": \"t\", \"containerDefinitions\": [{\"name\": \"x\", \"image\": \"x\", \"memory\": 16}]}");
        return ecs;
    }

    @Test
    void removesOnlyTasksStoppedLongerThanTheRetention() {
        EcsHarness ecs = clusterWithDefinition();
        String stopped = ecs.call("RunTask", "{\"taskDefinition\": \"t\", \"tags\": [{\"key\": \"a\", \"value\": \"b\"}]}")
                .at("/tasks/0/taskArn").asText();
        String running = ecs.call("RunTask", "{\"taskDefinition\": \"t\", \"clientToken\": \"once\"}").at("/tasks/0/taskArn").asText();
        ecs.call("SubmitTaskStateChange", "{\"task\": \"" + stopped + "\", \"status\": \"STOPPED\"}");
        StoppedTaskReaper reaper = new StoppedTaskReaper(ecs.store, Duration.ofHours(1), Duration.ofHours(1));

        assertThat(reaper.reap(Instant.now().plus(Duration.ofMinutes(59)))).isZero();
        assertThat(ecs.call("DescribeTasks", "{\"tasks\": [\"" + stopped + "\"]}").get("tasks")).hasSize(1);

        assertThat(reaper.reap(Instant.now().plus(Duration.ofMinutes(61)))).isEqualTo(2);  // the task and the token
        assertThat(ecs.call("DescribeTasks", "{\"tasks\": [\"" + stopped + "\"]}").at("/failures/0/reason").asText())
                .isEqualTo("MISSING");
        assertThat(ecs.call("DescribeTasks", "{\"tasks\": [\"" + running + "\"]}").get("tasks")).hasSize(1);
        assertThat(ecs.store.range("/ecs/").stream().map(kv -> kv.key()).filter(k -> k.contains(stopped))).isEmpty();
    }

    @Test
    void aStoppedTaskGoesWithItsScaleInProtection() {
        EcsHarness ecs = clusterWithDefinition();
        String stopped = ecs.call("RunTask", "{\"taskDefinition\": \"t\"}").at("/tasks/0/taskArn").asText();
        ecs.call("SubmitTaskStateChange", "{\"task\": \"" + stopped + "\", \"status\": \"STOPPED\"}");
        String protection = EcsKeys.taskProtection(new EcsScope(EcsHarness.ACCOUNT, EcsHarness.REGION), "default",
                stopped.substring(stopped.lastIndexOf('/') + 1));
        StoreTx.run(ecs.store, tx -> {
            tx.put(protection, new TaskProtections.Stored(Instant.now().plus(Duration.ofHours(2))));
            return null;
        });

        new StoppedTaskReaper(ecs.store, Duration.ofHours(1), Duration.ofHours(1)).reap(Instant.now().plus(Duration.ofMinutes(61)));

        assertThat(ecs.store.get(protection)).isEmpty();
    }
}
