package dev.stevedore.agent.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Shared set-up of the integration tests: a runtime on the real engine, names and labels that
 * make every test's containers its own, and clean-up.
 */
final class DockerTestSupport {

    /** Built by tools/build-test-images.sh; nothing is pulled from a public registry. */
    static final String TEST_IMAGE = "stevedore-test/busybox:latest";
    /** Every container a test run makes carries this label with {@link #RUN_ID}. */
    static final String TEST_LABEL = "dev.stevedore.test-run";
    static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);
    static final String SETUP_HINT = "Run `bin/setup-test-env` as root first: it installs Docker, starts dockerd and builds the test images.";
    /** The CLI of Debian's engine; a newer client elsewhere on PATH may not speak its API. */
    static final String DOCKER_CLI = "/usr/bin/docker";

    private DockerTestSupport() {}

    /** A runtime on the local engine; fails (never skips) the test when the engine or the test image is missing. */
    static DockerContainerRuntime connect() {
        DockerContainerRuntime runtime = DockerContainerRuntime.connectDefault();
        try {
            runtime.hostInfo();
        } catch (ContainerRuntimeException e) {
            runtime.close();
            fail("Docker engine not reachable at " + runtime.dockerHost() + " (" + e.getMessage() + "). " + SETUP_HINT);
        }
        if (runtime.inspectImage(TEST_IMAGE).isEmpty()) {
            runtime.close();
            fail("Test image " + TEST_IMAGE + " is missing. " + SETUP_HINT);
        }
        return runtime;
    }

    static String uniqueName(String purpose) {
        return "stevedore-it-" + purpose + "-" + RUN_ID + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** A spec for the test image with a unique name and the run's label. */
    static ContainerSpec.Builder spec(String purpose) {
        return ContainerSpec.builder(uniqueName(purpose), TEST_IMAGE).label(TEST_LABEL, RUN_ID);
    }

    /** Creates and starts a container, returning its id. */
    static String run(ContainerRuntime runtime, ContainerSpec spec) {
        String id = runtime.createContainer(spec);
        runtime.startContainer(id);
        return id;
    }

    /** Runs a container to its end and returns its final status. */
    static ContainerStatus runToExit(ContainerRuntime runtime, ContainerSpec spec) {
        String id = run(runtime, spec);
        return runtime.awaitExit(id, Duration.ofSeconds(30))
                .orElseThrow(() -> new AssertionError("container " + spec.name() + " did not exit within 30 s"));
    }

    /** Removes every container this test run created. */
    static void removeTestContainers(ContainerRuntime runtime) {
        for (ContainerStatus c : runtime.listContainers(Map.of(TEST_LABEL, RUN_ID))) {
            runtime.removeContainer(c.id());
        }
    }

    static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /** Runs the engine's CLI (for things the runtime deliberately does not do, such as pushing). */
    static String dockerCli(String... args) {
        List<String> command = new ArrayList<>();
        command.add(DOCKER_CLI);
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("`" + String.join(" ", command) + "` failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + DOCKER_CLI + ". " + SETUP_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
