package dev.stevedore.agent.runtime;

import static dev.stevedore.agent.runtime.DockerTestSupport.RUN_ID;
import static dev.stevedore.agent.runtime.DockerTestSupport.TEST_LABEL;
import static dev.stevedore.agent.runtime.DockerTestSupport.run;
import static dev.stevedore.agent.runtime.DockerTestSupport.runToExit;
import static dev.stevedore.agent.runtime.DockerTestSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stevedore.agent.runtime.ContainerEvent.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContainerEventsIT extends RuntimeITBase {

    private final List<ContainerEvent> seen = new CopyOnWriteArrayList<>();
    /** Each test watches its own group, so events of other tests' containers cannot leak in. */
    private String group;
    private EventSubscription subscription;

    @BeforeEach
    void subscribe() {
        group = DockerTestSupport.uniqueName("events");
        subscription = runtime.subscribe(Map.of(TEST_LABEL, RUN_ID, "group", group), seen::add);
    }

    @AfterEach
    void unsubscribe() {
        subscription.close();
    }

    private ContainerSpec.Builder member(String purpose) {
        return spec(purpose).label("group", group);
    }

    private ContainerEvent awaitEvent(String containerId, Type type) {
        return await().atMost(Duration.ofSeconds(20)).until(
                () -> seen.stream().filter(e -> e.containerId().equals(containerId) && e.type() == type).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    private List<Type> typesFor(String containerId) {
        return seen.stream().filter(e -> e.containerId().equals(containerId)).map(ContainerEvent::type).toList();
    }

    @Test
    void dieEventCarriesTheExitCodeAfterTheStartEvent() {
        ContainerSpec spec = member("die").command("sh", "-c", "exit 7").build();
        String id = run(runtime, spec);

        ContainerEvent die = awaitEvent(id, Type.DIE);

        assertThat(subscription.connected()).isTrue();
        assertThat(die.exitCode()).hasValue(7);
        assertThat(die.containerName()).isEqualTo(spec.name());
        assertThat(die.attributes()).containsEntry("group", group);
        assertThat(typesFor(id)).containsSubsequence(Type.START, Type.DIE);
        // Polling tells the same story as the event.
        assertThat(runtime.inspectContainer(id).exitCode()).hasValue(7);
    }

    @Test
    void healthTransitionsAreAnnounced() {
        String id = run(runtime, member("health")
                .command("sleep", "60")
                .healthCheck(HealthCheck.shell("true").withInterval(Duration.ofSeconds(1)))
                .build());

        ContainerEvent health = awaitEvent(id, Type.HEALTH_STATUS);

        assertThat(health.health()).hasValue(HealthStatus.HEALTHY);
    }

    @Test
    void outOfMemoryKillIsAnnouncedBeforeTheDeath() {
        String id = run(runtime, member("oom")
                .memoryMiB(16)
                .command("sh", "-c", "x=$(head -c 100000000 /dev/zero | tr '\\0' a)")
                .build());

        ContainerEvent die = awaitEvent(id, Type.DIE);

        assertThat(die.exitCode()).hasValue(137);
        assertThat(typesFor(id)).containsSubsequence(Type.OOM, Type.DIE);
    }

    @Test
    void removalIsAnnounced() {
        ContainerStatus done = runToExit(runtime, member("destroy").command("true").build());

        runtime.removeContainer(done.id());

        assertThat(awaitEvent(done.id(), Type.DESTROY).containerName()).isEqualTo(done.name());
    }

    @Test
    void containersOutsideTheLabelsAreNotReported() {
        ContainerStatus outsider = runToExit(runtime, spec("outsider").label("group", "not-" + group).command("true").build());
        String insider = run(runtime, member("insider").command("true").build());

        awaitEvent(insider, Type.DIE);

        assertThat(typesFor(outsider.id())).isEmpty();
    }

    @Test
    void closedSubscriptionDeliversNothingMore() throws InterruptedException {
        subscription.close();
        assertThat(subscription.connected()).isFalse();

        ContainerStatus after = runToExit(runtime, member("after-close").command("true").build());
        Thread.sleep(500);

        assertThat(typesFor(after.id())).isEmpty();
    }

    @Test
    void eventsJustAfterSubscribingAreNotLost() {
        // Subscribes and starts at once: the engine registers a listener only after it answered,
        // and the subscription must cover that gap.
        for (int i = 0; i < 3; i++) {
            List<ContainerEvent> fresh = new CopyOnWriteArrayList<>();
            String own = DockerTestSupport.uniqueName("gap");
            try (EventSubscription s = runtime.subscribe(Map.of(TEST_LABEL, RUN_ID, "group", own), fresh::add)) {
                String id = run(runtime, spec("gap").label("group", own).command("true").build());
                await().atMost(Duration.ofSeconds(20)).until(
                        () -> fresh.stream().anyMatch(e -> e.containerId().equals(id) && e.type() == Type.DIE));
                assertThat(fresh).filteredOn(e -> e.containerId().equals(id)).extracting(ContainerEvent::type)
                        .containsSubsequence(Type.START, Type.DIE);
            }
        }
    }
}
