package dev.stevedore.agent.engine;

import static dev.stevedore.agent.engine.TestTasks.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stevedore.agent.runtime.ContainerStatus;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An agent restart: the containers keep running and the new engine takes them over. */
class AdoptionIT extends EngineITBase {

    private TaskAssignment twoContainers(String arn, String purpose) {
        return TestTasks.task(arn, family(purpose))
                .container(container("app", "sleep", "600").stopTimeout(1))
                .container(container("side", "sleep", "600").essential(false).stopTimeout(1))
                .build();
    }

    /** Runs the task on a first engine until the control plane acknowledged RUNNING, then closes that engine. */
    private void runThenCloseEngine(TaskAssignment... tasks) {
        TaskEngine first = startEngine();
        first.apply(desired(tasks));
        for (TaskAssignment t : tasks) {
            String arn = t.task().taskArn();
            awaitReported(arn, "task RUNNING");
            await().atMost(PATIENCE).until(() -> acknowledged(arn) == WireStatus.RUNNING);
        }
        first.close();
    }

    private List<String> containerIds(String arn) {
        return containersOf(arn).stream().map(ContainerStatus::id).sorted().toList();
    }

    @Test
    void aRestartedEngineAdoptsRunningContainersWithoutDuplicatesOrReReports() {
        String arn = newTaskArn();
        TaskAssignment task = twoContainers(arn, "adopt");
        runThenCloseEngine(task);
        List<String> before = containerIds(arn);
        before.forEach(EngineITBase::assertRunning);

        RecordingReporter afterRestart = new RecordingReporter();
        TaskEngine second = startEngine(afterRestart, settings());
        second.apply(desired(TestTasks.reportedRunning(task)));
        TaskSnapshot adopted = awaitTask(second, arn, "RUNNING");
        assertThat(adopted.containers()).extracting(c -> c.runtimeId().orElseThrow()).containsExactlyInAnyOrderElementsOf(before);

        // Reports of one task are delivered in order: a repeated RUNNING would come before this STOPPED.
        second.apply(desired(TestTasks.stopped(TestTasks.reportedRunning(task), "Task stopped by user")));
        await().atMost(PATIENCE).until(() -> afterRestart.transitions(arn).contains("task STOPPED"));

        assertThat(afterRestart.transitions(arn)).containsExactly("task STOPPED");
        assertThat(containerIds(arn)).isEqualTo(before);
        assertThat(reporter.transitions(arn)).containsExactly("task RUNNING");
    }

    @Test
    void aContainerThatExitedWhileTheAgentWasDownIsReportedAfterAdoption() {
        String arn = newTaskArn();
        TaskAssignment task = twoContainers(arn, "down");
        runThenCloseEngine(task);
        String app = containersOf(arn).stream().filter(c -> c.labels().get(Labels.CONTAINER_NAME).equals("app")).findFirst().orElseThrow().id();
        runtime.stopContainer(app, Duration.ZERO);

        RecordingReporter afterRestart = new RecordingReporter();
        startEngine(afterRestart, settings());

        await().atMost(PATIENCE).until(() -> afterRestart.transitions(arn).contains("task STOPPED"));
        assertThat(afterRestart.transitions(arn)).containsExactly("task STOPPED");
        SubmitTaskStateChangeRequest stopped = afterRestart.taskChange(arn, "STOPPED").orElseThrow();
        assertThat(stopped.reason()).isEqualTo("Essential container in task exited");
        assertThat(stopped.containers()).filteredOn(c -> c.containerName().equals("app")).singleElement()
                .satisfies(c -> assertThat(c.exitCode()).isEqualTo(137));
        assertThat(containersOf(arn)).hasSize(2);
    }

    @Test
    void theFirstDesiredStateDecidesWhichAdoptedTasksGoOnEvenWithoutTheirStateFiles() throws Exception {
        String kept = newTaskArn();
        String dropped = newTaskArn();
        TaskAssignment keep = twoContainers(kept, "keep");
        runThenCloseEngine(keep, twoContainers(dropped, "drop"));
        List<String> keptIds = containerIds(kept);
        // As if the agent had died before it could write the state: only the labels are left.
        Files.delete(new TaskStateStore(dataDir).file(kept));

        RecordingReporter afterRestart = new RecordingReporter();
        TaskEngine second = startEngine(afterRestart, settings());
        second.apply(desired(TestTasks.reportedRunning(keep)));

        await().atMost(PATIENCE).until(() -> containersOf(dropped).isEmpty());
        await().atMost(PATIENCE).until(() -> afterRestart.transitions(dropped).contains("task STOPPED"));
        await().atMost(PATIENCE).until(() -> !Files.exists(new TaskStateStore(dataDir).file(dropped)));
        assertAdoptedAsTheyWere(second, kept, keptIds);
    }

    /** The task runs on in the containers it had, none added. */
    private void assertAdoptedAsTheyWere(TaskEngine engine, String arn, List<String> ids) {
        TaskSnapshot adopted = awaitTask(engine, arn, "RUNNING");
        assertThat(adopted.containers()).extracting(c -> c.runtimeId().orElseThrow()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(containerIds(arn)).isEqualTo(ids);
        ids.forEach(EngineITBase::assertRunning);
    }

    @Test
    void corruptOrTruncatedStateFilesAreSetAsideAndTheTasksRebuiltFromLabelsAndTheControlPlane() throws Exception {
        String kept = newTaskArn();
        String dropped = newTaskArn();
        TaskAssignment keep = twoContainers(kept, "corrupt-keep");
        runThenCloseEngine(keep, twoContainers(dropped, "corrupt-drop"));
        List<String> keptIds = containerIds(kept);
        TaskStateStore files = new TaskStateStore(dataDir);
        // A torn write the file system did not protect against, and bytes that are no state at all.
        byte[] whole = Files.readAllBytes(files.file(kept));
        Files.write(files.file(kept), java.util.Arrays.copyOf(whole, whole.length / 3));
        Files.writeString(files.file(dropped), "\u0000\u0000garbage");

        RecordingReporter afterRestart = new RecordingReporter();
        TaskEngine second = startEngine(afterRestart, settings());
        try (var left = Files.list(dataDir.resolve("tasks"))) {
            assertThat(left.map(f -> f.getFileName().toString().replaceAll("-\\d+$", "-N")))
                    .contains(files.file(kept).getFileName() + TaskStateStore.UNREADABLE + "N",
                            files.file(dropped).getFileName() + TaskStateStore.UNREADABLE + "N");
        }
        second.apply(desired(TestTasks.reportedRunning(keep)));

        assertAdoptedAsTheyWere(second, kept, keptIds);
        await().atMost(PATIENCE).until(() -> containersOf(dropped).isEmpty());
        await().atMost(PATIENCE).until(() -> acknowledged(kept) == WireStatus.RUNNING);
        assertThat(TaskStateCodec.decode(Files.readAllBytes(files.file(kept))).containers())
                .extracting(c -> c.dockerId().orElseThrow()).containsExactlyInAnyOrderElementsOf(keptIds);
    }
}
