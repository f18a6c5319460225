package dev.stevedore.agent.runtime;

import static dev.stevedore.agent.runtime.DockerTestSupport.TEST_LABEL;
import static dev.stevedore.agent.runtime.DockerTestSupport.RUN_ID;
import static dev.stevedore.agent.runtime.DockerTestSupport.run;
import static dev.stevedore.agent.runtime.DockerTestSupport.runToExit;
import static dev.stevedore.agent.runtime.DockerTestSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.agent.runtime.ContainerRuntimeException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumesIT extends RuntimeITBase {

    @Test
    void hostDirectoryIsMountedReadWriteOrReadOnly(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("in.txt"), "from the host\n");
        ContainerStatus done = runToExit(runtime, spec("bind")
                .mountPoint(MountPoint.bind(dir.toString(), "/rw", false))
                .mountPoint(MountPoint.bind(dir.toString(), "/ro", true))
                .command("sh", "-c", "cat /rw/in.txt; echo from the container > /rw/out.txt; touch /ro/denied || echo ro-refused")
                .build());

        assertThat(done.exitCode()).hasValue(0);
        assertThat(runtime.logs(done.id()).stdout()).isEqualTo("from the host\nro-refused\n");
        assertThat(Files.readString(dir.resolve("out.txt"))).isEqualTo("from the container\n");
        assertThat(dir.resolve("denied")).doesNotExist();
    }

    @Test
    void namedVolumeOutlivesContainersAndCannotBeRemovedWhileInUse() {
        String volume = DockerTestSupport.uniqueName("vol");
        try {
            VolumeInfo created = runtime.createVolume(VolumeSpec.local(volume, Map.of(TEST_LABEL, RUN_ID)));
            assertThat(created.name()).isEqualTo(volume);
            assertThat(created.driver()).isEqualTo("local");
            assertThat(created.labels()).containsEntry(TEST_LABEL, RUN_ID);
            assertThat(runtime.createVolume(VolumeSpec.local(volume, Map.of(TEST_LABEL, RUN_ID))).mountpoint())
                    .isEqualTo(created.mountpoint());

            ContainerStatus writer = runToExit(runtime, spec("writer")
                    .mountPoint(MountPoint.volume(volume, "/data", false))
                    .command("sh", "-c", "echo shared > /data/file")
                    .build());
            ContainerStatus reader = runToExit(runtime, spec("reader")
                    .mountPoint(MountPoint.volume(volume, "/data", true))
                    .command("cat", "/data/file")
                    .build());
            assertThat(writer.exitCode()).hasValue(0);
            assertThat(runtime.logs(reader.id()).stdout()).isEqualTo("shared\n");

            assertThatThrownBy(() -> runtime.removeVolume(volume))
                    .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT));

            DockerTestSupport.removeTestContainers(runtime);
            runtime.removeVolume(volume);
            assertThat(runtime.inspectVolume(volume)).isEmpty();
            runtime.removeVolume(volume);
        } finally {
            DockerTestSupport.removeTestContainers(runtime);
            runtime.removeVolume(volume);
        }
    }

    @Test
    void volumesFromMountsAnotherContainersVolumes() {
        String volume = DockerTestSupport.uniqueName("from");
        try {
            String source = run(runtime, spec("source")
                    .mountPoint(MountPoint.volume(volume, "/shared", false))
                    .command("sh", "-c", "echo handed over > /shared/note; sleep 60")
                    .build());
            ContainerStatus consumer = runToExit(runtime, spec("consumer")
                    .volumeFrom(new VolumeFrom(source, true))
                    .command("sh", "-c", "sleep 0.5; cat /shared/note; touch /shared/x || echo ro-refused")
                    .build());

            assertThat(runtime.logs(consumer.id()).stdout()).isEqualTo("handed over\nro-refused\n");
        } finally {
            DockerTestSupport.removeTestContainers(runtime);
            runtime.removeVolume(volume);
        }
    }
}
