package dev.stevedore.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stevedore.model.ecs.SubmitAttachmentStateChangesRequest;
import dev.stevedore.model.ecs.SubmitContainerStateChangeRequest;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReportOutboxTest {

    private static final String TASK = TestTasks.ACCOUNT_PREFIX + "task/c/feed";
    private final RecordingReporter reporter = new RecordingReporter();
    private final List<Report> delivered = new CopyOnWriteArrayList<>();
    private final ReportOutbox outbox = new ReportOutbox(TASK, reporter, Duration.ofMillis(10), Duration.ofMillis(50), delivered::add);

    @AfterEach
    void close() {
        outbox.close();
    }

    private static Report.TaskChange task(WireStatus status) {
        return new Report.TaskChange(status, Map.of(),
                SubmitTaskStateChangeRequest.builder().task(TASK).status(status.name()).build());
    }

    private static Report.ContainerChange container(String name, WireStatus status) {
        return new Report.ContainerChange(name, status,
                SubmitContainerStateChangeRequest.builder().task(TASK).containerName(name).status(status.name()).build());
    }

    @Test
    void reportsAreDeliveredInOrderAndAcknowledged() {
        outbox.start();
        outbox.offer(container("web", WireStatus.RUNNING));
        outbox.offer(task(WireStatus.RUNNING));
        outbox.offer(container("side", WireStatus.STOPPED));

        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 3);
        assertThat(reporter.transitions(TASK)).containsExactly("container web RUNNING", "task RUNNING", "container side STOPPED");
        assertThat(delivered).extracting(r -> r.getClass().getSimpleName())
                .containsExactly("ContainerChange", "TaskChange", "ContainerChange");
    }

    @Test
    void theTasksStoppedNeverSupersedesItsAttachmentsDetachedWhichGoesFirst() {
        String attachment = TestTasks.ACCOUNT_PREFIX + "attachment/feed";
        TaskNetworkRecord network = TaskNetworkRecord.pending(attachment);
        reporter.failFor(t -> true);
        outbox.start();
        outbox.offer(Reports.attachment("c", network.nowAttached()));
        outbox.offer(task(WireStatus.RUNNING));
        await().atMost(Duration.ofSeconds(5)).until(() -> reporter.failures() >= 2);

        outbox.offer(Reports.attachment("c", network.nowAttached().nowDetached()));
        outbox.offer(task(WireStatus.STOPPED));
        reporter.heal();

        await().atMost(Duration.ofSeconds(5)).until(() -> reporter.transitions(TASK).contains("task STOPPED"));
        // ATTACHED may have been on the wire when DETACHED superseded it; RUNNING was not.
        assertThat(reporter.transitions(TASK, attachment)).doesNotContain("task RUNNING")
                .endsWith("attachment DETACHED", "task STOPPED");
    }

    @Test
    void aFailedReportIsRetriedUntilItGoesThrough() {
        reporter.failFor(t -> true);
        outbox.start();
        outbox.offer(task(WireStatus.RUNNING));

        await().atMost(Duration.ofSeconds(5)).until(() -> reporter.failures() >= 3);
        assertThat(delivered).isEmpty();
        reporter.heal();

        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);
        assertThat(reporter.transitions(TASK)).containsExactly("task RUNNING");
        assertThat(outbox.pending()).isZero();
    }

    @Test
    void aNewerStateSupersedesAReportThatKeepsFailing() {
        reporter.failFor(t -> true);
        outbox.start();
        outbox.offer(container("web", WireStatus.RUNNING));
        outbox.offer(task(WireStatus.RUNNING));
        await().atMost(Duration.ofSeconds(5)).until(() -> reporter.failures() >= 2);

        outbox.offer(task(WireStatus.STOPPED));
        reporter.heal();

        await().atMost(Duration.ofSeconds(5)).until(() -> reporter.transitions(TASK).contains("task STOPPED"));
        // The container report may have been on the wire when it was superseded; the queued
        // task report was not, and is never sent.
        assertThat(reporter.transitions(TASK)).doesNotContain("task RUNNING").last().isEqualTo("task STOPPED");
        assertThat(outbox.pending()).isZero();
    }

    @Test
    void aReportRefusedForGoodCountsAsDeliveredAndIsNotRetried() {
        StateReporter refusing = new StateReporter() {
            @Override
            public void submitContainerStateChange(SubmitContainerStateChangeRequest request) {
                throw new StateReportRejectedException("unknown task");
            }

            @Override
            public void submitTaskStateChange(SubmitTaskStateChangeRequest request) {
                throw new StateReportRejectedException("unknown task");
            }

            @Override
            public void submitAttachmentStateChanges(SubmitAttachmentStateChangesRequest request) {
                throw new StateReportRejectedException("unknown attachment");
            }
        };
        try (ReportOutbox refused = new ReportOutbox(TASK, refusing, Duration.ofMillis(10), Duration.ofMillis(50), delivered::add)) {
            refused.start();
            refused.offer(task(WireStatus.STOPPED));
            await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);
            assertThat(refused.pending()).isZero();
        }
    }

    @Test
    void whatSupersedesWhat() {
        assertThat(task(WireStatus.STOPPED).supersedes(task(WireStatus.RUNNING))).isTrue();
        assertThat(task(WireStatus.STOPPED).supersedes(container("web", WireStatus.RUNNING))).isTrue();
        assertThat(task(WireStatus.RUNNING).supersedes(container("web", WireStatus.RUNNING))).isFalse();
        assertThat(container("web", WireStatus.STOPPED).supersedes(container("web", WireStatus.RUNNING))).isTrue();
        assertThat(container("web", WireStatus.STOPPED).supersedes(container("side", WireStatus.RUNNING))).isFalse();
        assertThat(container("web", WireStatus.STOPPED).supersedes(task(WireStatus.RUNNING))).isFalse();
        Report.HealthChange health = new Report.HealthChange(new TaskHealthChange("c", TASK, Map.of("web", "HEALTHY")));
        assertThat(health.supersedes(new Report.HealthChange(new TaskHealthChange("c", TASK, Map.of("web", "UNKNOWN"))))).isTrue();
        assertThat(health.supersedes(task(WireStatus.RUNNING))).isFalse();
    }
}
