package dev.stevedore.agent.engine;

import static dev.stevedore.agent.engine.TestTasks.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.agent.runtime.HealthStatus;
import dev.stevedore.model.agent.EfsVolumeAssignment;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskCredentials;
import dev.stevedore.model.ecs.NetworkBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskStateStoreTest {

    private static final String ARN = TestTasks.ACCOUNT_PREFIX + "task/c/5e7a";

    @TempDir
    Path dataDir;

    private TaskRecord sample() {
        TaskAssignment a = TestTasks.task(ARN, "web")
                .container(container("web", "httpd", "-f").portMappings(List.of(TestTasks.port(8080))))
                .container(container("side").essential(false))
                .build();
        a = new TaskAssignment(a.task().toBuilder().createdAt(Instant.parse("2025-02-03T04:05:06.789Z")).build(), a.taskDefinition());
        NetworkBinding binding = NetworkBinding.builder().bindIP("0.0.0.0").containerPort(8080).hostPort(49153).protocol("tcp").build();
        return TaskRecord.fresh(a)
                .withPullStarted(Instant.parse("2025-02-03T04:05:07Z"))
                .withImagesPulled(Instant.parse("2025-02-03T04:05:08Z"))
                .withPrepared(Optional.of("/stevedore/5e7a"))
                .withContainers(c -> c.name().equals("web")
                        ? c.created("ecs-web-3-web-1", "abc").running(HealthStatus.HEALTHY, List.of(binding)).acknowledged(WireStatus.RUNNING)
                        : c.failed("CannotPullContainerError: no"))
                .running()
                .acknowledged(WireStatus.RUNNING)
                .stopping(StopCause.essentialExited());
    }

    @Test
    void aRecordSurvivesTheRoundTripThroughItsFile() {
        TaskStateStore store = new TaskStateStore(dataDir);
        store.init();
        TaskRecord record = sample();

        store.save(record);

        assertThat(store.loadAll()).containsExactly(record);
        assertThat(dataDir.resolve("tasks/5e7a.json")).exists();
        assertThat(dataDir.resolve("tasks")).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void roleCredentialsNeverReachTheFile() throws IOException {
        TaskStateStore store = new TaskStateStore(dataDir);
        store.init();
        TaskRecord plain = sample();
        TaskAssignment withRole = plain.assignment().orElseThrow().withCredentials(List.of(new TaskCredentials(
                "id-never-on-disk", TaskCredentials.Role.TASK, "arn:aws:iam::123456789012:role/app", "ASIAKEY",
                "secret-never-on-disk", "token-never-on-disk", Instant.parse("2026-12-07T06:00:00Z"))));

        store.save(plain.withAssignment(withRole));

        assertThat(Files.readString(dataDir.resolve("tasks/5e7a.json")))
                .doesNotContain("never-on-disk").doesNotContain("ASIAKEY");
        assertThat(store.loadAll()).singleElement()
                .satisfies(r -> assertThat(r.assignment().orElseThrow().credentials()).isEmpty());
    }

    @Test
    void aTasksEfsVolumesSurviveTheRoundTrip() {
        TaskStateStore store = new TaskStateStore(dataDir);
        store.init();
        TaskRecord plain = sample();
        TaskRecord record = plain.withAssignment(plain.assignment().orElseThrow().withEfsVolumes(List.of(
                new EfsVolumeAssignment("shared", "fs-1234", "192.0.2.10", "fs-1234", "/apps", true,
                        new EfsVolumeAssignment.DirectoryCreation(1000, 1000, "0750"), ""),
                EfsVolumeAssignment.failed("gone", "fs-5678", "the reason"))));

        store.save(record);

        assertThat(store.loadAll()).containsExactly(record);
    }

    @Test
    void savingAgainReplacesTheFileAndDeleteRemovesIt() {
        TaskStateStore store = new TaskStateStore(dataDir);
        store.init();
        TaskRecord record = sample();
        store.save(record);
        TaskRecord stopped = record.withContainers(c -> c.exited(true, OptionalInt.of(137), Optional.empty(), HealthStatus.NONE))
                .stopped(Instant.parse("2025-02-03T05:00:00Z"));

        store.save(stopped);
        assertThat(store.loadAll()).containsExactly(stopped);

        store.delete(ARN);
        assertThat(store.loadAll()).isEmpty();
    }

    @Test
    void unreadableFilesAreSetAsideForTheOperatorAndNotLoadedAgain() throws IOException {
        TaskStateStore store = new TaskStateStore(dataDir);
        store.init();
        TaskRecord good = sample();
        store.save(good);
        byte[] whole = TaskStateCodec.encode(good);
        Path truncated = dataDir.resolve("tasks/truncated.json");
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        Path garbage = dataDir.resolve("tasks/garbage.json");
        Files.writeString(garbage, "{ not json");
        Path empty = dataDir.resolve("tasks/empty.json");
        Files.write(empty, new byte[0]);

        assertThat(store.loadAll()).containsExactly(good);

        for (Path bad : List.of(truncated, garbage, empty)) {
            assertThat(bad).doesNotExist();
            try (var aside = Files.list(dataDir.resolve("tasks"))) {
                assertThat(aside.filter(f -> f.getFileName().toString().startsWith(bad.getFileName() + TaskStateStore.UNREADABLE)))
                        .singleElement().satisfies(f -> assertThat(Files.size(f)).isEqualTo(bad.equals(truncated) ? whole.length / 2
                                : bad.equals(garbage) ? 10 : 0));
            }
        }
        assertThat(store.loadAll()).containsExactly(good);
    }

    @Test
    void anOrphanWithoutAssignmentRoundTrips() {
        TaskRecord orphan = TaskRecord.orphan(ARN, List.of(ContainerRecord.found("web", "id1", "ecs-x")), Optional.empty());
        assertThat(TaskStateCodec.decode(TaskStateCodec.encode(orphan))).isEqualTo(orphan);
    }
}
