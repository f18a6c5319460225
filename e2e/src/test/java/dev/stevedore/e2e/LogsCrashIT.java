package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/**
 * kill -9 of the server while four streams take PutLogEvents batches: after a restart every
 * acknowledged batch is there whole, and no batch is there in part.
 */
class LogsCrashIT {
    private static final int STREAMS = 4;
    private static final int EVENTS_PER_BATCH = 500;

    @Test
    void acknowledgedBatchesSurviveSigkillWhole() throws Exception {
        Path dataDir = Files.createTempDirectory("stevedore-logs-crash");
        int port = StevedoreProcess.freePort();
        Map<Integer, Set<Integer>> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch enough = new CountDownLatch(40);
        long start = System.currentTimeMillis() - 60_000;
        try (StevedoreProcess server = StevedoreProcess.start(dataDir, port)) {
            try (CloudWatchLogsClient logs = server.logs()) {
                logs.createLogGroup(b -> b.logGroupName("/crash"));
                for (int s = 0; s < STREAMS; s++) {
                    String stream = "s" + s;
                    logs.createLogStream(b -> b.logGroupName("/crash").logStreamName(stream));
                }
            }
            ExecutorService writers = Executors.newFixedThreadPool(STREAMS);
            for (int s = 0; s < STREAMS; s++) {
                int stream = s;
                acknowledged.put(stream, new ConcurrentSkipListSet<>());
                writers.execute(() -> {
                    try (CloudWatchLogsClient logs = server.logs()) {
                        for (int batch = 0; !stop.get(); batch++) {
                            int b = batch;
                            List<InputLogEvent> events = IntStream.range(0, EVENTS_PER_BATCH)
                                    .mapToObj(i -> InputLogEvent.builder().timestamp(start + b)
                                            .message("b" + b + " e" + i).build()).toList();
                            try {
                                logs.putLogEvents(r -> r.logGroupName("/crash").logStreamName("s" + stream)
                                        .logEvents(events));
                            } catch (RuntimeException e) {
                                return;  // the server is gone
                            }
                            acknowledged.get(stream).add(b);
                            enough.countDown();
                        }
                    }
                });
            }
            assertThat(enough.await(120, TimeUnit.SECONDS)).as("batches before the kill").isTrue();
            server.kill();
            stop.set(true);
            writers.shutdown();
            assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        try (StevedoreProcess restarted = StevedoreProcess.start(dataDir, port);
             CloudWatchLogsClient logs = restarted.logs()) {
            for (int s = 0; s < STREAMS; s++) {
                Map<Integer, Integer> eventsPerBatch = new HashMap<>();
                for (OutputLogEvent event : everyEvent(logs, "s" + s)) {
                    String message = event.message();
                    eventsPerBatch.merge(Integer.parseInt(message.substring(1, message.indexOf(' '))), 1, Integer::sum);
                }
                assertThat(eventsPerBatch.keySet()).as("stream s" + s).containsAll(acknowledged.get(s));
                assertThat(new ArrayList<>(eventsPerBatch.values())).as("every batch whole")
                        .allMatch(count -> count == EVENTS_PER_BATCH);
            }
        }
    }

    private static List<OutputLogEvent> everyEvent(CloudWatchLogsClient logs, String stream) {
        List<OutputLogEvent> all = new ArrayList<>();
        String token = null;
        while (true) {
            String from = token;
            GetLogEventsResponse page = logs.getLogEvents(b -> b.logGroupName("/crash").logStreamName(stream)
                    .startFromHead(true).nextToken(from));
            all.addAll(page.events());
            if (page.events().isEmpty()) {
                return all;
            }
            token = page.nextForwardToken();
        }
    }
}
