package dev.stevedore.control.ecs.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ecs.ControllerSettings;
import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.store.InMemoryStateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A task is launched only with roles ECS can assume: RunTask and StartTask refuse the others with
 * ECS's ClientException, and a service's scheduler says it failed to launch a task, starting none.
 */
class TaskRoleTrustTest {
    static final String TRUSTED = "arn:aws:iam::" + EcsHarness.ACCOUNT + ":role/trusted";
    static final String UNTRUSTED = "arn:aws:iam::" + EcsHarness.ACCOUNT + ":role/untrusted";

    EcsHarness ecs;
    String instance;
    final List<String> asked = new ArrayList<>();

    @BeforeEach
    void setUp() {
        ecs = new EcsHarness(new InMemoryStateStore(), ControllerSettings.defaults(), (account, role) -> {
            synchronized (asked) {
                asked.add(account + " " + role);
            }
            return Set.of(TRUSTED).contains(role);
        });
        ecs.call("CreateCluster", "{\"clusterName\": \"default\"}");
        instance = ecs.registerInstance("default", 1024, 1024, "us-east-1a", "m5.large",
                List.of("com.amazonaws.ecs.capability.task-iam-role"));
        register("untrusted-task-role", "\"taskRoleArn\": \"" + UNTRUSTED + "\", \"executionRoleArn\": \"" + TRUSTED + "\"");
        register("untrusted-execution-role", "\"taskRoleArn\": \"" + TRUSTED + "\", \"executionRoleArn\": \"" + UNTRUSTED + "\"");
        register("trusted", "\"taskRoleArn\": \"" + TRUSTED + "\"");
    }

    void register(String family, String roles) {
        ecs.call("RegisterTaskDefinition", """
                {"family": "%s", %s, "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 64}]}"""
                .formatted(family, roles));
    }

    static String refusal(String role) {
        return "ECS was unable to assume the role '" + role + "' that was provided for this task. Please verify that "
                + "the role being passed has the proper trust relationship and permissions and that your IAM user has "
                + "permissions to pass this role.";
    }

    List<String> tasks() {
        List<String> arns = new ArrayList<>();
        ecs.call("ListTasks", "{}").get("taskArns").forEach(a -> arns.add(a.asText()));
        return arns;
    }

    @Test
    void runTaskAndStartTaskRefuseATaskRoleOrExecutionRoleEcsCannotAssumeAndStartNothing() {
        assertThat(ecs.fails("RunTask", "{\"taskDefinition\": \"untrusted-task-role\"}", "ClientException").getMessage())
                .isEqualTo(refusal(UNTRUSTED));
        assertThat(ecs.fails("RunTask", "{\"taskDefinition\": \"untrusted-execution-role\"}", "ClientException")
                .getMessage()).isEqualTo(refusal(UNTRUSTED));
        assertThat(ecs.fails("StartTask", "{\"taskDefinition\": \"untrusted-task-role\", \"containerInstances\": [\""
                + instance + "\"]}", "ClientException").getMessage()).isEqualTo(refusal(UNTRUSTED));
        assertThat(tasks()).isEmpty();
        assertThat(asked).contains(EcsHarness.ACCOUNT + " " + UNTRUSTED);
    }

    @Test
    void anOverrideIsWhatIsChecked() {
        assertThat(ecs.fails("RunTask", "{\"taskDefinition\": \"trusted\", \"overrides\": {\"taskRoleArn\": \""
                + UNTRUSTED + "\"}}", "ClientException").getMessage()).isEqualTo(refusal(UNTRUSTED));
        JsonNode run = ecs.call("RunTask", "{\"taskDefinition\": \"untrusted-task-role\", \"overrides\": "
                + "{\"taskRoleArn\": \"" + TRUSTED + "\"}}");
        assertThat(run.get("failures")).isEmpty();
        assertThat(run.at("/tasks/0/overrides/taskRoleArn").asText()).isEqualTo(TRUSTED);
        assertThat(ecs.call("RunTask", "{\"taskDefinition\": \"trusted\"}").get("tasks")).hasSize(1);
    }

    @Test
    void aServiceWhoseRoleEcsCannotAssumeSaysItFailedToLaunchATaskAndStartsNone() {
        ecs.call("CreateService", "{\"serviceName\": \"api\", \"taskDefinition\": \"untrusted-task-role\", "
                + "\"desiredCount\": 1}");
        String expected = "(service api) failed to launch a task with (error " + refusal(UNTRUSTED) + ").";
        await().atMost(Duration.ofSeconds(10)).until(() -> events("api").contains(expected));
        assertThat(tasks()).isEmpty();
        assertThat(ecs.call("DescribeServices", "{\"services\": [\"api\"]}").at("/services/0/runningCount").asInt())
                .isZero();
    }

    List<String> events(String service) {
        List<String> messages = new ArrayList<>();
        ecs.call("DescribeServices", "{\"services\": [\"" + service + "\"]}").at("/services/0/events")
                .forEach(e -> messages.add(e.path("message").asText()));
        return messages;
    }
}
