package dev.stevedore.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class InMemoryStateStoreTest extends StateStoreContract implements PipelinedCommitContract {

    @Override
    public StateStore storeUnderTest() {
        return store;
    }


    @Override
    protected StateStore newStore() {
        return new InMemoryStateStore();
    }

    @Test
    void compactionDiscardsHistoryBeyondTheRetainedRevisions() {
        InMemoryStateStore small = track(new InMemoryStateStore(StoreOptions.defaults().withRetainedRevisions(10)));
        for (int i = 0; i < 100; i++) {
            small.commit(Txn.builder().put("/k" + i, "v").build());
        }

        long compacted = small.compactedRevision();
        assertThat(compacted).isBetween(100L - 10 - 2, 100L - 10);
        assertThatThrownBy(() -> small.watch("/", 5, events -> {}))
                .isInstanceOfSatisfying(CompactedException.class, e -> {
                    assertThat(e.requestedRevision()).isEqualTo(5);
                    assertThat(e.compactedRevision()).isEqualTo(compacted);
                });

        Recorder recorder = new Recorder();
        track(small.watch("/", compacted, recorder));
        recorder.awaitRevision(100);
        assertThat(recorder.revisions()).containsExactlyElementsOf(LongStream.rangeClosed(compacted + 1, 100).boxed().toList());
    }

    @Test
    void watchThatOverflowsItsBufferCatchesUpFromHistory() {
        InMemoryStateStore tiny = track(new InMemoryStateStore(StoreOptions.defaults().withWatchBufferBatches(2)));
        CountDownLatch inFirstCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Recorder recorder = new Recorder() {
            @Override
            public void onEvents(List<WatchEvent> events) {
                inFirstCall.countDown();
                awaitLatch(release);
                super.onEvents(events);
            }
        };
        track(tiny.watch("/", 0, recorder));
        tiny.commit(Txn.builder().put("/first", "v").build());
        awaitLatch(inFirstCall);

        for (int i = 0; i < 50; i++) {
            tiny.commit(Txn.builder().put("/k" + i, Integer.toString(i)).build());
        }
        release.countDown();
        recorder.awaitRevision(51);

        assertThat(recorder.revisions()).containsExactlyElementsOf(LongStream.rangeClosed(1, 51).boxed().toList());
    }
}
