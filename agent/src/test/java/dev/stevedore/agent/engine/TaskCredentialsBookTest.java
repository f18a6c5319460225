package dev.stevedore.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskCredentials;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which credentials a credentials id gives, as refreshes come and tasks stop. */
class TaskCredentialsBookTest {

    private static final String ARN = TestTasks.ACCOUNT_PREFIX + "task/c/0a1b";
    private final TaskCredentialsBook book = new TaskCredentialsBook();
    private final TaskAssignment task = TestTasks.task(ARN, "web").container(TestTasks.container("app")).build();

    private static TaskCredentials creds(String id, String key) {
        return new TaskCredentials(id, TaskCredentials.Role.TASK, "arn:aws:iam::123456789012:role/app", key, "s-" + key, "t-" + key,
                Instant.parse("2026-12-07T06:00:00Z"));
    }

    private TaskAssignment with(TaskCredentials... c) {
        return task.withCredentials(List.of(c));
    }

    @Test
    void aRefreshUnderANewIdKeepsTheOldIdWorkingWithTheNewestCredentials() {
        book.offer(with(creds("id-1", "K1")));
        book.offer(with(creds("id-2", "K2")));

        assertThat(book.lookup("id-1")).hasValueSatisfying(i -> assertThat(i.credentials().accessKeyId()).isEqualTo("K2"));
        assertThat(book.lookup("id-2")).hasValueSatisfying(i -> {
            assertThat(i.taskArn()).isEqualTo(ARN);
            assertThat(i.credentials().accessKeyId()).isEqualTo("K2");
        });
    }

    @Test
    void aRefreshMessageReplacesTheTaskRolesCredentialsOfAServedTaskOnly() {
        book.offer(with(creds("id-1", "K1")));
        book.refresh(ARN, List.of(creds("id-1", "K2")));
        book.refresh(TestTasks.ACCOUNT_PREFIX + "task/c/other", List.of(creds("id-9", "K9")));

        assertThat(book.lookup("id-1")).hasValueSatisfying(i -> assertThat(i.credentials().accessKeyId()).isEqualTo("K2"));
        assertThat(book.lookup("id-9")).isEmpty();

        book.end(ARN);
        book.refresh(ARN, List.of(creds("id-1", "K3")));
        assertThat(book.lookup("id-1")).isEmpty();
    }

    @Test
    void aRefreshUnderTheSameIdReplacesTheCredentials() {
        book.offer(with(creds("id-1", "K1")));
        book.offer(with(creds("id-1", "K2")));

        assertThat(book.lookup("id-1")).hasValueSatisfying(i -> assertThat(i.credentials().accessKeyId()).isEqualTo("K2"));
    }

    @Test
    void aStoppedTasksIdsAreRefusedEvenWhenOfferedAgainUntilTheTaskIsForgotten() {
        book.offer(with(creds("id-1", "K1")));
        book.end(ARN);
        book.offer(with(creds("id-1", "K1")));

        assertThat(book.lookup("id-1")).isEmpty();

        book.forget(ARN);
        book.offer(with(creds("id-3", "K3")));
        assertThat(book.lookup("id-3")).isPresent();
    }

    private static TaskCredentials execution(String id, String key) {
        return new TaskCredentials(id, TaskCredentials.Role.EXECUTION, "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
                key, "s-" + key, "t-" + key, Instant.parse("2026-12-07T06:00:00Z"));
    }

    @Test
    void eachRolesIdGivesThatRolesNewestCredentialsAndTheExecutionRolesStopWithTheTask() {
        book.offer(with(creds("task-1", "KT1"), execution("exec-1", "KE1")));
        book.refresh(ARN, List.of(creds("task-1", "KT2"), execution("exec-2", "KE2")));

        assertThat(book.lookup("task-1")).hasValueSatisfying(i -> assertThat(i.credentials().accessKeyId()).isEqualTo("KT2"));
        assertThat(book.lookup("exec-1")).hasValueSatisfying(i -> {
            assertThat(i.credentials().role()).isEqualTo(TaskCredentials.Role.EXECUTION);
            assertThat(i.credentials().accessKeyId()).isEqualTo("KE2");
        });

        book.end(ARN);
        assertThat(book.lookup("exec-2")).isEmpty();
    }
}
