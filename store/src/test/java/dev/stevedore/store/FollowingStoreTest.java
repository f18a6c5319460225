package dev.stevedore.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A store that follows another's commits (a replica that is not the leader), then writes its own. */
class FollowingStoreTest {

    private final MemoryJournal shared = new MemoryJournal();
    private final JournaledStateStore leader = JournaledStateStore.open(shared, new Journal.Contents(Map.of(), 0, 0),
            StoreOptions.defaults(), "leader-writer", StoreObserver.NONE);
    private final JournaledStateStore follower = JournaledStateStore.following(shared,
            new Journal.Contents(Map.of(), 0, 0), StoreOptions.defaults(), "follower-writer", StoreObserver.NONE);

    @AfterEach
    void close() {
        follower.close();
        leader.close();
    }

    private void catchUp() {
        follower.applyCommitted(shared.read(follower.currentRevision(), leader.currentRevision()));
    }

    @Test
    void followedChangesAreReadAndWatchedAsOwnCommitsWouldBe() throws Exception {
        List<WatchEvent> seen = new CopyOnWriteArrayList<>();
        Watch watch = follower.watch("/k", 0, seen::addAll);
        leader.commit(Txn.builder().put("/k1", "a").build());
        leader.commit(Txn.builder().put("/k2", "b").delete("/k1").build());

        catchUp();

        assertThat(follower.currentRevision()).isEqualTo(2);
        assertThat(follower.range("/k")).containsExactlyElementsOf(leader.range("/k"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (seen.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(seen).extracting(WatchEvent::revision).containsExactly(1L, 2L, 2L);
        watch.close();
    }

    @Test
    void commitsAreRefusedWhileFollowingAndNothingIsWritten() {
        assertThatThrownBy(() -> follower.commit(Txn.builder().put("/k", "v").build()))
                .isInstanceOf(FollowerStoreException.class);
        assertThatThrownBy(() -> follower.commitAsync(Txn.builder().put("/k", "v").build()))
                .isInstanceOf(FollowerStoreException.class);
        assertThat(follower.currentRevision()).isZero();
        assertThat(follower.isFollowing()).isTrue();
    }

    @Test
    void aGapInTheFollowedChangesIsRefused() {
        leader.commit(Txn.builder().put("/k1", "a").build());
        leader.commit(Txn.builder().put("/k2", "b").build());

        assertThatThrownBy(() -> follower.applyCommitted(shared.read(1, 2)))
                .isInstanceOf(StoreException.class).hasMessageContaining("start at revision 2");
        assertThat(follower.currentRevision()).isZero();
    }

    @Test
    void afterFollowingItsOwnCommitsContinueTheRevisions() {
        leader.commit(Txn.builder().put("/k", "a").build());
        catchUp();
        leader.close();

        follower.stopFollowing();
        TxnResult result = follower.commit(Txn.builder().put("/k", "b")
                .requireModRevision("/k", 1).build());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.revision()).isEqualTo(2);
        assertThat(follower.isFollowing()).isFalse();
        assertThatThrownBy(() -> follower.applyCommitted(List.of())).isInstanceOf(IllegalStateException.class);
    }
}
