package dev.stevedore.server.console;

import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.control.ecs.stats.TaskStatsBook;
import dev.stevedore.server.EventStream;
import dev.stevedore.server.RunningTasks;
import dev.stevedore.store.InMemoryStateStore;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.Txn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Pages with charts hear "stats" when a sample of what they chart is kept, and only then. */
class LiveUpdatesTest {
    private final StateStore store = new InMemoryStateStore();
    private final ClusterFeed feed = ClusterFeed.start(store);
    private final TaskStatsBook book = new TaskStatsBook(store, feed, Clock.systemUTC());
    private final LiveUpdates live = new LiveUpdates(store, feed, book);
    private final RunningTasks tasks = new RunningTasks(store, book);
    private final List<Thread> streams = new ArrayList<>();

    /** One event a stream sent, and when. */
    record Sent(String event, long atNanos) {
    }

    @AfterEach
    void close() throws InterruptedException {
        for (Thread t : streams) {
            t.interrupt();
            t.join();
        }
        live.close();
        book.close();
        feed.close();
    }

    private List<Sent> open(String cluster, String statsOf) {
        return open(live.stream("123456789012", "us-east-1", cluster, statsOf));
    }

    private List<Sent> open(EventStream stream) {
        List<Sent> sent = new CopyOnWriteArrayList<>();
        streams.add(Thread.ofVirtual().start(() -> {
            try {
                stream.run(new EventStream.Sink() {
                    @Override
                    public boolean open() {
                        return !Thread.currentThread().isInterrupted();
                    }

                    @Override
                    public void send(String event, String data) {
                        sent.add(new Sent(event, System.nanoTime()));
                    }

                    @Override
                    public void keepAlive() {
                    }
                });
            } catch (InterruptedException e) {
                // the page went away
            }
        }));
        return sent;
    }

    private void report(String id) {
        assertThat(tasks.report(id, 0.5, 100)).isTrue();
    }

    private static List<Sent> stats(List<Sent> sent) {
        return sent.stream().filter(s -> s.event().equals("stats")).toList();
    }

    @Test
    void aSampleIsToldToThePagesChartingItsTaskOrItsServiceAtMostOncePerQuietTime() {
        tasks.run("a", "service:web");
        tasks.run("b", "family:batch");
        // The tasks' own changes reach the streams before they open: only samples are told from here on.
        await().until(() -> feed.lagRevisions() == 0);
        List<Sent> taskA = open("c", "task/a");
        List<Sent> web = open("c", "service:web");
        List<Sent> taskB = open("c", "task/b");
        List<Sent> otherCluster = open("d", "task/a");
        List<Sent> noCharts = open("c", "");
        await().until(() -> live.watching() == 5);

        report("a");
        await().until(() -> stats(taskA).size() == 1 && stats(web).size() == 1);
        report("a");
        await().until(() -> stats(taskA).size() == 2 && stats(web).size() == 2);

        assertThat(stats(taskA).get(1).atNanos() - stats(taskA).get(0).atNanos())
                .isGreaterThanOrEqualTo(Duration.ofMillis(LiveUpdates.STATS_QUIET_MILLIS).toNanos());
        report("b");
        await().until(() -> stats(taskB).size() == 1);
        assertThat(stats(otherCluster)).isEmpty();
        assertThat(stats(noCharts)).isEmpty();
        assertThat(stats(web)).hasSize(2);
    }

    @Test
    void aTaskDefinitionPageIsToldOfItsAccountAndRegionsTaskDefinitionsOnly() {
        List<Sent> definitions = open(live.taskDefinitionStream("123456789012", "us-east-1",
                "/ecs/123456789012/us-east-1/taskdefs/"));
        List<Sent> clusterPage = open("c", "");
        await().until(() -> live.watching() == 2);

        store.commit(Txn.builder().put("/ecs/210987654321/us-east-1/taskdefs/web/0000000001", "{}").build());
        store.commit(Txn.builder().put("/ecs/123456789012/eu-west-1/taskdefs/web/0000000001", "{}").build());
        tasks.run("a", "family:web");
        await().until(() -> !clusterPage.isEmpty());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(definitions::isEmpty);

        store.commit(Txn.builder().put("/ecs/123456789012/us-east-1/taskdefs/web/0000000001", "{}").build());
        await().until(() -> definitions.size() == 1);
        assertThat(definitions.getFirst().event()).isEqualTo("change");
    }
}
