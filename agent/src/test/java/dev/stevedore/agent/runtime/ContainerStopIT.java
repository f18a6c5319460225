package dev.stevedore.agent.runtime;

import static dev.stevedore.agent.runtime.DockerTestSupport.run;
import static dev.stevedore.agent.runtime.DockerTestSupport.runToExit;
import static dev.stevedore.agent.runtime.DockerTestSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.stevedore.agent.runtime.ContainerRuntimeException.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ContainerStopIT extends RuntimeITBase {

    /** Loops in short sleeps so that the shell gets to run its trap soon after a signal. */
    private static final String LOOP = "echo ready; while true; do sleep 0.1; done";

    @Test
    void containerThatHandlesSigtermExitsWithItsOwnCodeWithoutWaitingForTheTimeout() {
        String id = run(runtime, spec("trap-term").command("sh", "-c", "trap 'exit 42' TERM; " + LOOP).build());
        awaitReady(id);

        long start = System.nanoTime();
        runtime.stopContainer(id, Duration.ofSeconds(20));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        ContainerStatus stopped = runtime.inspectContainer(id);
        assertThat(stopped.state()).isEqualTo(ContainerState.EXITED);
        assertThat(stopped.exitCode()).hasValue(42);
        assertThat(took).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void containerThatIgnoresSigtermIsKilledWhenTheTimeoutRunsOut() {
        String id = run(runtime, spec("ignore-term").command("sh", "-c", "trap '' TERM; " + LOOP).build());
        awaitReady(id);

        long start = System.nanoTime();
        runtime.stopContainer(id, Duration.ofSeconds(2));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        ContainerStatus stopped = runtime.inspectContainer(id);
        assertThat(stopped.exitCode()).hasValue(137); // 128 + SIGKILL
        assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(15));
    }

    @Test
    void stoppingAContainerThatAlreadyExitedChangesNothing() {
        ContainerStatus done = runToExit(runtime, spec("exited").command("sh", "-c", "exit 4").build());

        runtime.stopContainer(done.id(), Duration.ofSeconds(1));

        assertThat(runtime.inspectContainer(done.id()).exitCode()).hasValue(4);
    }

    @Test
    void stoppingAnUnknownContainerIsNotFound() {
        assertThatThrownBy(() -> runtime.stopContainer(DockerTestSupport.uniqueName("ghost"), Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }

    @Test
    void anExitedContainerCanBeStartedAgain() {
        ContainerStatus first = runToExit(runtime, spec("restart").command("sh", "-c", "echo run; exit 2").build());

        runtime.startContainer(first.id());
        ContainerStatus second = runtime.awaitExit(first.id(), Duration.ofSeconds(20)).orElseThrow();

        assertThat(second.exitCode()).hasValue(2);
        assertThat(runtime.logs(first.id()).stdout()).isEqualTo("run\nrun\n");
    }

    private static void awaitReady(String id) {
        // The trap must be installed before the signal arrives, or PID 1 would just ignore SIGTERM.
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.logs(id).stdout().contains("ready"));
    }
}
