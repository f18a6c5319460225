package dev.stevedore.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which control plane {@code stevedore lb} follows, and the Region it signs for, as {@code env} finds them. */
class LbCommandTest {
    @TempDir
    Path dir;

    @Test
    void withoutFlagsItFollowsWhatUpRecordedElseTheDefaults() {
        assertThat(LbCommand.following(List.of(), Optional.empty(), Map.of(), dir))
                .isEqualTo(new LbCommand.Following(List.of(URI.create("http://127.0.0.1:" + ControlPlaneConfig.DEFAULT_PORT)),
                        ControlPlaneConfig.DEFAULT_REGION));

        new UpRecord("http://127.0.0.1:19555", "eu-west-1").write(dir);
        assertThat(LbCommand.following(List.of(), Optional.empty(), Map.of(), dir))
                .isEqualTo(new LbCommand.Following(List.of(URI.create("http://127.0.0.1:19555")), "eu-west-1"));
    }

    @Test
    void flagsWinThenTheEnvironmentsEndpoint() {
        new UpRecord("http://127.0.0.1:19555", "eu-west-1").write(dir);
        assertThat(LbCommand.following(List.of(), Optional.empty(), Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:19600"), dir))
                .isEqualTo(new LbCommand.Following(List.of(URI.create("http://127.0.0.1:19600")), "eu-west-1"));

        List<URI> replicas = List.of(URI.create("http://127.0.0.1:19700"), URI.create("http://127.0.0.1:19701"));
        assertThat(LbCommand.following(replicas, Optional.of("us-west-2"),
                Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:19600"), dir))
                .isEqualTo(new LbCommand.Following(replicas, "us-west-2"));
    }
}
