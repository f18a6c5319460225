package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import dev.stevedore.store.LoopFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;

/**
 * The server's data directory on a file system that fills up: a 16 MiB ext4 image mounted through
 * a loop device (needs root), with 8 MiB of it taken by a file the test deletes later. The server
 * is filled through the AWS SDK with task definition revisions until a write is refused; then the
 * refusal is ECS's {@code ServerException} (500) saying the store is out of space, reads go on, the
 * next write succeeds once the file is gone, and after a restart every acknowledged revision is
 * there in a database SQLite finds intact.
 */
class FullDiskIT {
    static final String FAMILY = "filler";
    static final String OUT_OF_SPACE = "The state store is out of disk space, so this request changed nothing.";

    @TempDir
    Path dir;

    @Test
    void writesAreRefusedWithAClearServerExceptionReadsGoOnAndWritesResumeWhenSpaceReturns() throws Exception {
        try (LoopFileSystem disk = LoopFileSystem.mount(dir, 16, 8)) {
            Path data = disk.root();
            int acknowledged;
            try (InProcessStevedore server = InProcessStevedore.start(data);
                 EcsClient ecs = server.ecs(b -> b.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())))) {
                List<Integer> revisions = new ArrayList<>();
                EcsException refusal = null;
                while (refusal == null) {
                    assertThat(revisions).as("revisions before the disk filled").hasSizeLessThan(2_000);
                    try {
                        revisions.add(register(ecs, revisions.size()));
                    } catch (EcsException e) {
                        refusal = e;
                    }
                }
                assertThat(revisions).as("revisions before the disk filled").hasSizeGreaterThan(10);
                assertThat(refusal.statusCode()).isEqualTo(500);
                assertThat(refusal.awsErrorDetails().errorCode()).isEqualTo("ServerException");
                assertThat(refusal.awsErrorDetails().errorMessage()).startsWith(OUT_OF_SPACE);

                // Refused again and again for the same reason: the store has not given up on writing.
                for (int i = 0; i < 5; i++) {
                    int seed = revisions.size() + i;
                    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(EcsException.class, () -> register(ecs, seed)))
                            .satisfies(e -> assertThat(e.statusCode()).isEqualTo(500))
                            .satisfies(e -> assertThat(e.awsErrorDetails().errorMessage()).startsWith(OUT_OF_SPACE));
                }
                System.out.printf("FullDiskIT: %d revisions acknowledged, then 6 writes refused with 500 ServerException%n",
                        revisions.size());

                // Reads are served from memory and the store's file as it is.
                assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition(FAMILY + ":" + revisions.getLast()))
                        .taskDefinition().revision()).isEqualTo(revisions.getLast());
                assertThat(ecs.listTaskDefinitions(b -> b.familyPrefix(FAMILY).maxResults(100)).taskDefinitionArns())
                        .hasSize(Math.min(100, revisions.size()));

                disk.freeBallast();
                int next = register(ecs, revisions.size());
                assertThat(next).as("no revision lost or reused").isEqualTo(revisions.getLast() + 1);
                acknowledged = next;
            }

            assertThat(LoopFileSystem.integrityCheck(data.resolve("state.db"))).isEqualTo("ok");
            try (InProcessStevedore again = InProcessStevedore.start(data); EcsClient ecs = again.ecs()) {
                for (int revision = 1; revision <= acknowledged; revision++) {
                    int r = revision;
                    assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition(FAMILY + ":" + r)).taskDefinition()
                            .containerDefinitions().get(0).environment()).hasSize(16);
                }
                assertThat(register(ecs, acknowledged)).isEqualTo(acknowledged + 1);
            }
        }
    }

    /** A revision of about 16 KiB (random values, as a definition full of settings would be). */
    private static int register(EcsClient ecs, int seed) {
        Random random = new Random(seed);
        List<KeyValuePair> environment = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            byte[] value = new byte[768];
            random.nextBytes(value);
            environment.add(KeyValuePair.builder().name("SETTING_" + i)
                    .value(java.util.HexFormat.of().formatHex(value)).build());
        }
        return ecs.registerTaskDefinition(b -> b.family(FAMILY).containerDefinitions(ContainerDefinition.builder()
                .name("main").image("stevedore-test/busybox:latest").memory(16).environment(environment).build()))
                .taskDefinition().revision();
    }
}
