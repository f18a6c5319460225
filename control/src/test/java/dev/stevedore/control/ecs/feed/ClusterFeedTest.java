package dev.stevedore.control.ecs.feed;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.store.InMemoryStateStore;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.Txn;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ClusterFeedTest {
    private static final String PREFIX = "/ecs/123456789012/us-east-1/";
    private static final String I1 = "arn:aws:ecs:us-east-1:123456789012:container-instance/c/i1";
    private static final String I2 = "arn:aws:ecs:us-east-1:123456789012:container-instance/c/i2";

    private final StateStore store = new InMemoryStateStore();

    private void putTask(String id, String instance, String lastStatus) {
        String json = """
                {"taskArn": "arn:aws:ecs:us-east-1:123456789012:task/c/%s", "containerInstanceArn": "%s",
                 "group": "service:web", "lastStatus": "%s", "desiredStatus": "RUNNING", "version": 1,
                 "containers": [{"name": "app"}]}""".formatted(id, instance, lastStatus);
        store.commit(Txn.builder().put(PREFIX + "tasks/c/" + id, json.getBytes(StandardCharsets.UTF_8)).build());
    }

    @Test
    void indexesTasksAlreadyStoredAndOnesAddedLater() {
        putTask("a", I1, "RUNNING");
        putTask("b", I2, "PENDING");
        try (ClusterFeed feed = ClusterFeed.start(store)) {
            assertThat(feed.taskCount(I1)).isEqualTo(1);
            putTask("c", I1, "PENDING");
            await().atMost(Duration.ofSeconds(5)).until(() -> feed.taskCount(I1) == 2);
            assertThat(feed.taskCount(I2)).isEqualTo(1);
        }
    }

    @Test
    void countsEachClustersTasksByLastStatusThroughScanChangesAndDeletes() {
        putTask("a", I1, "RUNNING");
        putTask("b", I2, "PENDING");
        try (ClusterFeed feed = ClusterFeed.start(store)) {
            ClusterRef c = new ClusterRef(new EcsScope("123456789012", "us-east-1"), "c");
            ClusterRef other = new ClusterRef(new EcsScope("123456789012", "us-east-1"), "other");
            assertThat(feed.taskCountsByStatus()).isEqualTo(Map.of(
                    new ClusterFeed.StatusCount(c, "RUNNING"), 1, new ClusterFeed.StatusCount(c, "PENDING"), 1));
            putTask("b", I2, "RUNNING");
            putTask("c", I1, "PENDING");
            store.commit(Txn.builder().delete(PREFIX + "tasks/c/a").build());
            store.commit(Txn.builder().put(PREFIX + "tasks/other/d", ("{\"taskArn\": "
                    + "\"arn:aws:ecs:us-east-1:123456789012:task/other/d\", \"lastStatus\": \"STOPPED\"}")
                    .getBytes(StandardCharsets.UTF_8)).build());
            await().atMost(Duration.ofSeconds(5)).until(() -> feed.lagRevisions() == 0);
            assertThat(feed.taskCountsByStatus()).isEqualTo(Map.of(
                    new ClusterFeed.StatusCount(c, "RUNNING"), 1, new ClusterFeed.StatusCount(c, "PENDING"), 1,
                    new ClusterFeed.StatusCount(other, "STOPPED"), 1));
        }
    }

    @Test
    void anInstanceSubscriberGetsOnlyItsTasksIncludingOnesThatLeaveIt() {
        putTask("a", I1, "RUNNING");
        try (ClusterFeed feed = ClusterFeed.start(store)) {
            List<FeedEvent> seen = new CopyOnWriteArrayList<>();
            ClusterFeed.InstanceSubscription sub = feed.subscribeInstance(I1, seen::addAll);
            assertThat(sub.taskKeys()).containsExactly(PREFIX + "tasks/c/a");
            putTask("b", I2, "PENDING");        // another instance: not delivered
            putTask("c", I1, "PENDING");        // delivered
            putTask("a", I2, "PENDING");        // moved away: delivered, it was here
            store.commit(Txn.builder().delete(PREFIX + "tasks/c/c").build());  // deleted: delivered via the index
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 3);
            assertThat(seen).extracting(FeedEvent::storeKey)
                    .containsExactly(PREFIX + "tasks/c/c", PREFIX + "tasks/c/a", PREFIX + "tasks/c/c");
            assertThat(seen.get(2).deleted()).isTrue();
            assertThat(seen.get(2).previousInstance()).contains(I1);
            sub.close();
            putTask("d", I1, "PENDING");
            await().atMost(Duration.ofSeconds(5)).until(() -> feed.taskCount(I1) == 1);
            assertThat(seen).hasSize(3);
        }
    }

    @Test
    void clusterSubscribersGetEveryClusterRecordWithTasksDecodedOnce() {
        try (ClusterFeed feed = ClusterFeed.start(store)) {
            List<FeedEvent> seen = new CopyOnWriteArrayList<>();
            feed.subscribeAll(seen::addAll);
            store.commit(Txn.builder().put(PREFIX + "services/c/web", "{}".getBytes(StandardCharsets.UTF_8)).build());
            store.commit(Txn.builder().put(PREFIX + "taskdefs/web/0000000001", "{}".getBytes(StandardCharsets.UTF_8)).build());
            putTask("a", I1, "RUNNING");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
            assertThat(seen.get(0).key().kind()).isEqualTo(EcsKey.Kind.SERVICE);
            assertThat(seen.get(0).key().id()).isEqualTo("web");
            assertThat(seen.get(1).task()).hasValueSatisfying(t -> {
                assertThat(t.serviceName()).contains("web");
                assertThat(t.isRunning()).isTrue();
            });
        }
    }

    @Test
    void parsesOnlyClusterRecords() {
        assertThat(EcsKey.parse(PREFIX + "clusters/c")).hasValueSatisfying(k -> {
            assertThat(k.kind()).isEqualTo(EcsKey.Kind.CLUSTER);
            assertThat(k.cluster()).isEqualTo("c");
        });
        assertThat(EcsKey.parse(PREFIX + "tasks/c/abc")).hasValueSatisfying(k -> assertThat(k.id()).isEqualTo("abc"));
        assertThat(EcsKey.parse(PREFIX + "taskdefs/web/0000000001")).isEmpty();
        assertThat(EcsKey.parse(PREFIX + "tags/arn:aws:ecs:us-east-1:1:task/c/x")).isEmpty();
        assertThat(EcsKey.parse("/placement/applier-batches")).isEmpty();
    }
}
