package dev.stevedore.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code env} and {@code reset} point at: what {@code up} left in the data directory, the
 * flags over it, and never credentials of their own making.
 */
class ServerTargetTest {
    @TempDir
    Path dir;

    @Test
    void withoutUpThereIsNoTargetAndNothingIsWritten() {
        Path dataDir = dir.resolve("never-started");
        assertThat(ServerTarget.find(options("--data-dir", dataDir.toString()), Map.of())).isEmpty();
        assertThat(dataDir).doesNotExist();
        assertThat(ServerTarget.missing("env", options("--data-dir", dataDir.toString())))
                .contains("Start `bin/stevedore up` first", "pass the same --data-dir as up", dataDir.toString());
    }

    @Test
    void theCredentialsPortAndRegionUpRecordedAreUsedWithoutFlags() {
        RootCredentials made = RootCredentials.resolve(Map.of(), dir);
        new UpRecord("http://127.0.0.1:19555", "eu-west-1").write(dir);

        ServerTarget target = ServerTarget.find(options("--data-dir", dir.toString()), Map.of()).orElseThrow();

        assertThat(target.endpoint()).isEqualTo("http://127.0.0.1:19555");
        assertThat(target.region()).isEqualTo("eu-west-1");
        assertThat(target.credentials().accessKeyId()).isEqualTo(made.accessKeyId());
        assertThat(target.credentials().source()).isEqualTo(RootCredentials.Source.DATA_DIRECTORY);
    }

    @Test
    void flagsWinOverTheRecordAndTheDefaultsApplyWithoutOne() {
        RootCredentials.resolve(Map.of(), dir);
        assertThat(ServerTarget.find(options("--data-dir", dir.toString()), Map.of()).orElseThrow())
                .extracting(ServerTarget::endpoint, ServerTarget::region)
                .containsExactly("http://127.0.0.1:" + ControlPlaneConfig.DEFAULT_PORT, ControlPlaneConfig.DEFAULT_REGION);

        new UpRecord("http://127.0.0.1:19555", "eu-west-1").write(dir);
        assertThat(ServerTarget.find(options("--data-dir", dir.toString(), "--port", "19600", "--region", "us-west-2"),
                Map.of()).orElseThrow())
                .extracting(ServerTarget::endpoint, ServerTarget::region)
                .containsExactly("http://127.0.0.1:19600", "us-west-2");
    }

    @Test
    void theEnvironmentsKeysAreUsedAndNoneAreStored() {
        Optional<ServerTarget> target = ServerTarget.find(options("--data-dir", dir.toString()),
                Map.of("STEVEDORE_ACCESS_KEY_ID", "AKIAFROMENVIRONMENT1", "STEVEDORE_SECRET_ACCESS_KEY", "secret"));
        assertThat(target).get().extracting(t -> t.credentials().accessKeyId()).isEqualTo("AKIAFROMENVIRONMENT1");
        assertThat(dir.resolve(RootCredentials.FILE_NAME)).doesNotExist();
    }

    @Test
    void aRecordIsReplacedWhole() throws Exception {
        new UpRecord("http://127.0.0.1:1", "us-east-1").write(dir);
        new UpRecord("http://127.0.0.1:2", "us-east-2").write(dir);
        assertThat(UpRecord.read(dir)).contains(new UpRecord("http://127.0.0.1:2", "us-east-2"));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(UpRecord.FILE_NAME);
        }
    }

    /** The options as picocli parses them for a command that mixes them in. */
    private static ServerOptions options(String... args) {
        EnvCommand command = new EnvCommand();
        new CommandLine(command).parseArgs(args);
        return command.options;
    }
}
