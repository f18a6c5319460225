package dev.stevedore.control.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.protection.TaskProtections;
import dev.stevedore.control.state.StoreTx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * UpdateTaskProtection and GetTaskProtection, and the service scheduler keeping protected tasks
 * through a scale-in, over the real API, store and controller with {@link FakeAgents}.
 */
class TaskProtectionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private ServiceFixture f;

    @BeforeEach
    void setUp() {
        f = new ServiceFixture();
        f.register("web", "busybox:1");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private JsonNode protect(List<String> tasks, boolean enabled, String extra) {
        return f.call("UpdateTaskProtection", "{\"cluster\": \"c\", \"tasks\": " + json(tasks)
                + ", \"protectionEnabled\": " + enabled + extra + "}");
    }

    private JsonNode protection(List<String> tasks) {
        return f.call("GetTaskProtection", "{\"cluster\": \"c\", \"tasks\": " + json(tasks) + "}");
    }

    private static String json(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").reduce((a, b) -> a + ", " + b).map(s -> "[" + s + "]").orElse("[]");
    }

    @Test
    void protectedTasksSurviveAScaleInUntilTheirProtectionIsRemoved() {
        String deployment = f.create("api", "web", 3);
        await().atMost(WAIT).until(() -> f.stable("api"));
        List<String> tasks = f.tasks("api");
        List<String> kept = tasks.subList(0, 2);

        JsonNode protectedNow = protect(kept, true, ", \"expiresInMinutes\": 60");
        assertThat(protectedNow.at("/failures")).isEmpty();
        assertThat(protectedNow.at("/protectedTasks")).hasSize(2);
        for (JsonNode t : protectedNow.at("/protectedTasks")) {
            assertThat(t.at("/protectionEnabled").asBoolean()).isTrue();
            assertThat(Instant.ofEpochMilli((long) (t.at("/expirationDate").asDouble() * 1000)))
                    .isCloseTo(Instant.now().plus(Duration.ofMinutes(60)), within(Duration.ofSeconds(30)));
        }

        f.scale("api", 1);
        String blocked = "(service api) was unable to reach steady state because (taskSet " + deployment
                + ") was unable to scale in due to (reason 1 tasks under protection)";
        await().atMost(WAIT).until(() -> f.tasks("api").size() == 2 && f.events("api").contains(blocked));
        assertThat(f.tasks("api")).containsExactlyInAnyOrderElementsOf(kept);
        // The task told to stop counts as running until its agent reports it STOPPED.
        await().atMost(WAIT).until(() -> f.service("api").at("/runningCount").asInt() == 2);

        JsonNode status = protection(tasks);
        assertThat(status.at("/failures")).isEmpty();
        assertThat(status.at("/protectedTasks/0/protectionEnabled").asBoolean()).isTrue();
        assertThat(status.at("/protectedTasks/1/protectionEnabled").asBoolean()).isTrue();
        assertThat(status.at("/protectedTasks/2/taskArn").asText()).isEqualTo(tasks.get(2));
        assertThat(status.at("/protectedTasks/2/protectionEnabled").asBoolean()).isFalse();
        assertThat(status.at("/protectedTasks/2").has("expirationDate")).isFalse();

        JsonNode released = protect(kept, false, "");
        assertThat(released.at("/protectedTasks")).hasSize(2).allSatisfy(t -> {
            assertThat(t.at("/protectionEnabled").asBoolean()).isFalse();
            assertThat(t.has("expirationDate")).isFalse();
        });
        await().atMost(WAIT).until(() -> f.stable("api") && f.tasks("api").size() == 1);
        assertThat(kept).containsAll(f.tasks("api"));
    }

    @Test
    void aProtectionThatRunsOutFreesItsTaskForScaleIn() {
        f.create("api", "web", 2);
        await().atMost(WAIT).until(() -> f.stable("api"));
        // Shorter than the API allows (a minute at least), written as UpdateTaskProtection stores it; long
        // enough that a loaded machine's controller still sees it in force once.
        Instant until = Instant.now().plusMillis(5000);
        List<String> tasks = f.tasks("api");
        StoreTx.run(f.ecs.store, tx -> {
            tasks.forEach(arn -> tx.put(protectionKey(arn), new TaskProtections.Stored(until)));
            return null;
        });
        f.scale("api", 1);
        await().atMost(WAIT).until(() -> f.events("api").stream()
                .anyMatch(e -> e.endsWith("(reason 1 tasks under protection)")));
        assertThat(f.tasks("api")).hasSize(2);
        // Nothing changes in the store when the protection runs out: the controller looks again by itself.
        await().atMost(WAIT).until(() -> f.stable("api") && f.tasks("api").size() == 1);
        assertThat(Instant.now()).isAfter(until);
    }

    private static String protectionKey(String taskArn) {
        return EcsKeys.taskProtection(new EcsScope(EcsHarness.ACCOUNT, EcsHarness.REGION), "c",
                taskArn.substring(taskArn.lastIndexOf('/') + 1));
    }

    @Test
    void onlyTasksOfAServiceCanBeProtected() {
        String standalone = f.call("RunTask", "{\"cluster\": \"c\", \"taskDefinition\": \"web\"}").at("/tasks/0/taskArn").asText();
        String unknownId = "0123456789abcdef0123456789abcdef";

        JsonNode r = protect(List.of(standalone, unknownId), true, "");
        assertThat(r.at("/protectedTasks")).isEmpty();
        assertThat(r.at("/failures")).hasSize(2);
        assertThat(r.at("/failures/0/arn").asText()).isEqualTo(standalone);
        assertThat(r.at("/failures/0/reason").asText()).isEqualTo("TASK_NOT_VALID");
        assertThat(r.at("/failures/1/arn").asText()).isEqualTo(EcsHarness.arn("task/c/" + unknownId));
        assertThat(r.at("/failures/1/reason").asText()).isEqualTo("MISSING");
        assertThat(protection(List.of(standalone)).at("/failures/0/reason").asText()).isEqualTo("TASK_NOT_VALID");

        f.ecs.fails("UpdateTaskProtection", "{\"cluster\": \"c\", \"tasks\": [\"" + unknownId
                + "\"], \"protectionEnabled\": true, \"expiresInMinutes\": 0}", "InvalidParameterException");
        f.ecs.fails("UpdateTaskProtection", "{\"cluster\": \"c\", \"tasks\": [\"" + unknownId
                + "\"], \"protectionEnabled\": true, \"expiresInMinutes\": 2881}", "InvalidParameterException");
        f.ecs.fails("UpdateTaskProtection", "{\"cluster\": \"c\", \"tasks\": " + json(Collections.nCopies(11, unknownId))
                + ", \"protectionEnabled\": true}", "InvalidParameterException");
        f.ecs.fails("GetTaskProtection", "{\"cluster\": \"c\", \"tasks\": " + json(Collections.nCopies(101, unknownId))
                + "}", "InvalidParameterException");
        f.ecs.fails("UpdateTaskProtection", "{\"cluster\": \"nope\", \"tasks\": [\"" + unknownId
                + "\"], \"protectionEnabled\": true}", "ClusterNotFoundException");
    }

    @Test
    void protectionLastsTwoHoursByDefaultAndReadsAsOffOnceExpired() {
        f.create("api", "web", 2);
        await().atMost(WAIT).until(() -> f.tasks("api").size() == 2);
        String task = f.tasks("api").get(0);
        String other = f.tasks("api").get(1);

        JsonNode r = protect(List.of(task), true, "");
        assertThat(Instant.ofEpochMilli((long) (r.at("/protectedTasks/0/expirationDate").asDouble() * 1000)))
                .isCloseTo(Instant.now().plus(Duration.ofMinutes(120)), within(Duration.ofSeconds(30)));
        JsonNode listed = f.call("GetTaskProtection", "{\"cluster\": \"c\"}");
        assertThat(listed.at("/protectedTasks")).hasSize(1);
        assertThat(listed.at("/protectedTasks/0/taskArn").asText()).isEqualTo(task);

        // An expired protection as the store holds it until the task stops.
        StoreTx.run(f.ecs.store, tx -> {
            tx.put(protectionKey(task), new TaskProtections.Stored(Instant.now().minusSeconds(1)));
            return null;
        });
        JsonNode expired = protection(List.of(task, other));
        assertThat(expired.at("/protectedTasks/0/protectionEnabled").asBoolean()).isFalse();
        assertThat(expired.at("/protectedTasks/0").has("expirationDate")).isFalse();
        assertThat(expired.at("/protectedTasks/1/protectionEnabled").asBoolean()).isFalse();
        assertThat(f.call("GetTaskProtection", "{\"cluster\": \"c\"}").at("/protectedTasks")).isEmpty();
    }
}
