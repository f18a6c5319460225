package dev.stevedore.e2e;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the server in the middle of a burst of registrations: every acknowledged revision is
 * there after restart, and revision numbers stay contiguous (none reused, none skipped).
 */
class CrashDurabilityIT {

    @Test
    void acknowledgedRegistrationsSurviveSigkill() throws Exception {
        Path dataDir = Files.createTempDirectory("stevedore-crash");
        int port = StevedoreProcess.freePort();
        Set<Integer> acknowledged = new ConcurrentSkipListSet<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch enough = new CountDownLatch(150);
        try (StevedoreProcess server = StevedoreProcess.start(dataDir, port)) {
            ExecutorService writers = Executors.newFixedThreadPool(8);
            for (int w = 0; w < 8; w++) {
                writers.execute(() -> {
                    try (EcsClient ecs = server.ecs()) {
                        while (!stop.get()) {
                            try {
                                TaskDefinition td = ecs.registerTaskDefinition(b -> b.family("burst")
                                        .containerDefinitions(ContainerDefinition.builder()
                                                .name("c").image("img").memory(16).build())).taskDefinition();
                                acknowledged.add(td.revision());
                                enough.countDown();
                            } catch (RuntimeException e) {
                                return;  // the server is gone
                            }
                        }
                    }
                });
            }
            assertThat(enough.await(60, TimeUnit.SECONDS)).as("registrations before the kill").isTrue();
            server.kill();
            stop.set(true);
            writers.shutdown();
            assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        try (StevedoreProcess restarted = StevedoreProcess.start(dataDir, port);
             EcsClient ecs = restarted.ecs()) {
            List<Integer> present = new ArrayList<>();
            ecs.listTaskDefinitionsPaginator(b -> b.familyPrefix("burst")).taskDefinitionArns()
                    .forEach(arn -> present.add(Integer.parseInt(arn.substring(arn.lastIndexOf(':') + 1))));
            assertThat(present).containsAll(acknowledged);
            int max = present.stream().mapToInt(Integer::intValue).max().orElseThrow();
            assertThat(present).containsExactlyElementsOf(IntStream.rangeClosed(1, max).boxed().toList());
            TaskDefinition next = ecs.registerTaskDefinition(b -> b.family("burst")
                    .containerDefinitions(ContainerDefinition.builder().name("c").image("img").memory(16).build()))
                    .taskDefinition();
            assertThat(next.revision()).isEqualTo(max + 1);
        }
    }
}
