package dev.stevedore.control.ecs;

import dev.stevedore.control.ecs.task.StoppedTaskReaper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Stopped tasks stay describable for the retention, then are removed; running tasks never are. */
class StoppedTaskReaperTest {

    @Test
    void removesOnlyTasksStoppedLongerThanTheRetention() {
        EcsHarness ecs = new EcsHarness();
        ecs.call("CreateCluster", "{}");
        ecs.registerInstance("default", 4096, 4096, "us-east-1a");
        ecs.call("RegisterTaskDefinition", "{\"family\": \"t\", \"containerDefinitions\": [{\"name\": \"x\", \"image\": \"x\", \"memory\": 16}]}");
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
}
