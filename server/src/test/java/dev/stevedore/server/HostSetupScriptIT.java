package dev.stevedore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The host set-up that {@code bin/stevedore up} and {@code bin/setup-test-env} share
 * ({@code bin/lib/docker-engine.sh}), through its check: what it says this host needs, and the
 * commands it gives a user who cannot do it. The check changes nothing, so it runs on this machine
 * as it is (its engine answers; bin/test started it).
 */
class HostSetupScriptIT {
    private static final Path SCRIPT = Path.of("..", "bin", "lib", "docker-engine.sh").toAbsolutePath().normalize();
    /** A socket nothing listens on, so the engine there "is not started". */
    private static final String NO_ENGINE = "unix:///tmp/stevedore-no-engine-" + ProcessHandle.current().pid() + ".sock";
    private static final String NO_SUCH_PACKAGE = "stevedore-no-such-package";

    private record Run(int status, String output) {}

    @Test
    void aHostWhoseEngineAnswersNeedsNothing() throws Exception {
        Run run = check(Map.of(), false);

        assertThat(run.output()).contains("ready: the engine answers and nothing is missing");
        assertThat(run.status()).isZero();
    }

    @Test
    void rootIsToldThatUpWillDoWhatIsMissing() throws Exception {
        assumeTrue(isRoot(), "the check as root");

        Run run = check(Map.of("DOCKER_HOST", NO_ENGINE), false, NO_SUCH_PACKAGE);

        assertThat(run.output()).contains("packages to install: " + NO_SUCH_PACKAGE)
                .contains("a started engine (nothing answers at /tmp/stevedore-no-engine-")
                .contains("`bin/stevedore up` (or bin/setup-test-env) does it as this user");
        assertThat(run.status()).isEqualTo(1);
    }

    @Test
    void aUserWhoCannotIsGivenTheExactCommands() throws Exception {
        assumeTrue(isRoot(), "setpriv needs root to become another user");

        Run run = check(Map.of("DOCKER_HOST", NO_ENGINE), true, NO_SUCH_PACKAGE);

        assertThat(run.output()).contains("only root can do that, and this is nobody. Run:")
                .contains("    apt-get update && apt-get install -y " + NO_SUCH_PACKAGE + "\n")
                .contains("/usr/sbin/dockerd -H " + NO_ENGINE);
        assertThat(run.status()).isEqualTo(2);
    }

    @Test
    void aUserWithoutAccessToTheRunningEngineIsToldToJoinItsGroup() throws Exception {
        assumeTrue(isRoot(), "setpriv needs root to become another user");

        Run run = check(Map.of(), true);

        assertThat(run.output()).contains("access to the engine's socket /var/run/docker.sock (not open to this user)")
                .contains("usermod -aG docker nobody");
        assertThat(run.status()).isEqualTo(2);
    }

    private static Run check(Map<String, String> env, boolean asNobody, String... packages)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (asNobody) {
            command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        command.addAll(List.of(SCRIPT.toString(), "check"));
        command.addAll(List.of(packages));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("DOCKER_HOST");
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the check finishes").isTrue();
        return new Run(p.exitValue(), output);
    }

    private static boolean isRoot() throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", "-u").start();
        String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        id.waitFor();
        return uid.equals("0");
    }
}
