package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Commands of this host's own (gluster, mount), for tests of file systems. */
final class HostCommands {

    private HostCommands() {
    }

    /** Runs a command that must succeed; its output. */
    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    /** Runs a command; its exit code. */
    static int exitCode(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    /** Stops and deletes the Gluster volumes whose bricks are under {@code dataDir}: a failed run's must not outlive it. */
    static void removeGlusterVolumesUnder(Path dataDir) throws Exception {
        String info = run("gluster", "--mode=script", "volume", "info", "all");
        String volume = "";
        for (String line : info.lines().map(String::strip).toList()) {
            if (line.startsWith("Volume Name:")) {
                volume = line.substring("Volume Name:".length()).strip();
            } else if (line.startsWith("Brick1:") && line.contains(dataDir.toString())) {
                exitCode("gluster", "--mode=script", "volume", "stop", volume, "force");
                exitCode("gluster", "--mode=script", "volume", "delete", volume);
            }
        }
    }
}
