package dev.stevedore.agent.stats;

import dev.stevedore.agent.engine.ContainerSnapshot;
import dev.stevedore.agent.engine.TaskSnapshot;
import dev.stevedore.agent.runtime.ContainerRuntime;
import dev.stevedore.agent.runtime.ContainerRuntimeException;
import dev.stevedore.agent.runtime.ContainerUsage;
import dev.stevedore.model.agent.TaskStatsReport;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class TaskStatsSamplerTest {
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    /** The engine as far as the sampler uses it: each container's reading, a second and a tenth of a CPU second more each time. */
    private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    private final ContainerRuntime engine = (ContainerRuntime) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {ContainerRuntime.class}, (proxy, method, args) -> {
                if (!method.getName().equals("usage")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                String id = (String) args[0];
                if (id.startsWith("gone")) {
                    throw new ContainerRuntimeException(ContainerRuntimeException.Kind.NOT_FOUND, "No such container: " + id);
                }
                int n = reads.computeIfAbsent(id, k -> new AtomicInteger()).getAndIncrement();
                if (id.startsWith("exited") && n > 0) {
                    // What the engine answers for a container it does not have running any more.
                    return ContainerUsage.parse("{\"read\":\"0001-01-01T00:00:00Z\",\"memory_stats\":{}}");
                }
                return new ContainerUsage(T0.plusSeconds(n), n * 100_000_000L, 1 << 20);
            });

    private static ContainerSnapshot container(String name, Optional<String> id, String lastStatus) {
        return new ContainerSnapshot(name, true, id, lastStatus, OptionalInt.empty(), Optional.empty(), "UNKNOWN", List.of());
    }

    private static TaskSnapshot task(String arn, String lastStatus, ContainerSnapshot... containers) {
        return new TaskSnapshot(arn, lastStatus, "RUNNING", false, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(containers), Optional.empty());
    }

    @Test
    void reportsRunningTasksFromTheirSecondRoundInMessagesOfAtMostTheLimit() throws Exception {
        List<TaskSnapshot> tasks = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            tasks.add(task("t" + i, "RUNNING", container("app", Optional.of("c" + i), "RUNNING"),
                    container("sidecar", Optional.of("s" + i), "RUNNING")));
        }
        tasks.add(task("pending", "PENDING", container("app", Optional.empty(), "PENDING")));
        tasks.add(task("partly-exited", "RUNNING", container("app", Optional.of("p"), "RUNNING"),
                container("init", Optional.of("i"), "STOPPED")));
        tasks.add(task("vanishing", "RUNNING", container("app", Optional.of("gone"), "RUNNING")));
        // Its container exits after the first round, and the agent has not seen it yet: the engine's
        // answer has no time (which once threw every task's stats of the round away).
        tasks.add(task("exiting", "RUNNING", container("app", Optional.of("exited"), "RUNNING")));
        List<TaskStatsReport> sent = new CopyOnWriteArrayList<>();
        TaskStatsSampler sampler = new TaskStatsSampler(() -> tasks, engine, sent::add, Duration.ofSeconds(10));

        sampler.sampleOnce();
        assertThat(sent).isEmpty();
        sampler.sampleOnce();

        assertThat(sent).extracting(r -> r.tasks().size()).containsExactly(100, 100, 51);
        List<TaskStatsReport.TaskUsage> all = sent.stream().flatMap(r -> r.tasks().stream()).toList();
        assertThat(all).extracting(TaskStatsReport.TaskUsage::taskArn).doesNotContain("pending", "vanishing", "exiting")
                .contains("t0", "t249", "partly-exited");
        // Two containers, each a tenth of a CPU second per second, and a MiB each.
        assertThat(all).filteredOn(u -> u.taskArn().equals("t7")).singleElement()
                .satisfies(u -> {
                    assertThat(u.cpuVcpus()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
                    assertThat(u.memoryBytes()).isEqualTo(2 << 20);
                });
        assertThat(reads).doesNotContainKey("i");
        sampler.close();
    }
}
