package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;
import dev.stevedore.store.LoopFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ServiceUnavailableException;
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
 * there in a database SQLite finds intact. The same for the log store, filled with log events:
 * CloudWatch Logs' own fault, {@code ServiceUnavailableException}.
 */
class FullDiskIT {
    static final String FAMILY = "filler";
    static final String OUT_OF_SPACE = "The state store is out of disk space, so this request changed nothing.";
    static final String LOGS_OUT_OF_SPACE = "The log store is out of disk space, so this request changed nothing.";
    static final String GROUP = "/full-disk/app";
    static final String STREAM = "web/1";
    /** Events per PutLogEvents call, each about 1 KiB: a call of about 1 MiB, CloudWatch Logs' limit. */
    static final int EVENTS_PER_CALL = 960;

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
                EcsException refusal = writeUntilRefused(EcsException.class, 2_000, i -> revisions.add(register(ecs, i)));
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

    @Test
    void logWritesAreRefusedWithCloudWatchLogsOwnFaultAndResumeWhenSpaceReturns() throws Exception {
        try (LoopFileSystem disk = LoopFileSystem.mount(dir, 16, 8)) {
            Path data = disk.root();
            int calls = 0;
            try (InProcessStevedore server = InProcessStevedore.start(data);
                 CloudWatchLogsClient logs = server.logs(b -> b.overrideConfiguration(o -> o.retryStrategy(
                         AwsRetryStrategy.doNotRetry())))) {
                logs.createLogGroup(b -> b.logGroupName(GROUP));
                logs.createLogStream(b -> b.logGroupName(GROUP).logStreamName(STREAM));
                int[] acknowledged = {0};
                CloudWatchLogsException refusal = writeUntilRefused(CloudWatchLogsException.class, 100, i -> {
                    put(logs, i);
                    acknowledged[0]++;
                });
                calls = acknowledged[0];
                assertThat(calls).as("PutLogEvents calls before the disk filled").isGreaterThan(0);
                assertThat(refusal.statusCode()).isEqualTo(500);
                assertThat(refusal.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailableException");
                assertThat(refusal.awsErrorDetails().errorMessage()).startsWith(LOGS_OUT_OF_SPACE);
                assertThat(refusal).isInstanceOf(ServiceUnavailableException.class);
                System.out.printf("FullDiskIT: %d PutLogEvents calls acknowledged, then refused with 500 "
                        + "ServiceUnavailableException%n", calls);

                assertThat(count(logs)).as("reads go on: every acknowledged event").isEqualTo(calls * EVENTS_PER_CALL);

                disk.freeBallast();
                put(logs, calls);
                calls++;
            }

            assertThat(LoopFileSystem.integrityCheck(data.resolve("logs.db"))).isEqualTo("ok");
            try (InProcessStevedore again = InProcessStevedore.start(data);
                 CloudWatchLogsClient logs = again.logs(b -> { })) {
                assertThat(count(logs)).as("every acknowledged event, after a restart").isEqualTo(calls * EVENTS_PER_CALL);
            }
        }
    }

    /** Makes writes 0, 1, 2… until one is refused with {@code type}, which it returns; at most {@code limit}. */
    private static <E extends RuntimeException> E writeUntilRefused(Class<E> type, int limit, IntConsumer write) {
        for (int i = 0; i < limit; i++) {
            try {
                write.accept(i);
            } catch (RuntimeException e) {
                if (type.isInstance(e)) {
                    return type.cast(e);
                }
                throw e;
            }
        }
        throw new AssertionError(limit + " writes acknowledged: the disk never filled");
    }

    /** One call of {@value #EVENTS_PER_CALL} events of random text (nothing a file system could compress). */
    private static void put(CloudWatchLogsClient logs, int call) {
        Random random = new Random(call);
        long start = System.currentTimeMillis() - 60_000;
        List<InputLogEvent> events = new ArrayList<>();
        for (int i = 0; i < EVENTS_PER_CALL; i++) {
            byte[] line = new byte[500];
            random.nextBytes(line);
            events.add(InputLogEvent.builder().timestamp(start + i).message(java.util.HexFormat.of().formatHex(line))
                    .build());
        }
        logs.putLogEvents(b -> b.logGroupName(GROUP).logStreamName(STREAM).logEvents(events));
    }

    /** The stream's events, read from the start to the end a page at a time. */
    private static int count(CloudWatchLogsClient logs) {
        int events = 0;
        String token = null;
        while (true) {
            String from = token;
            GetLogEventsResponse page = logs.getLogEvents(b -> b.logGroupName(GROUP).logStreamName(STREAM)
                    .startFromHead(true).nextToken(from));
            events += page.events().size();
            if (page.events().isEmpty() || page.nextForwardToken().equals(token)) {
                return events;
            }
            token = page.nextForwardToken();
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
