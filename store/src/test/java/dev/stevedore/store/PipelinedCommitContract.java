package dev.stevedore.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a writer needs to keep several transactions in flight: version conditions it can predict
 * ahead of its own commits, and asynchronous commits applied in the order they were queued.
 * Mixed into a store's test class next to {@link StateStoreContract}.
 */
public interface PipelinedCommitContract {

    /** The store under test, fresh for every test. */
    StateStore storeUnderTest();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    default void versionConditionHoldsOnlyAtTheExactVersion() {
        StateStore store = storeUnderTest();
        assertThat(store.commit(Txn.builder().requireVersion("/v/a", 0).put("/v/a", bytes("1")).build()).succeeded()).isTrue();
        assertThat(store.commit(Txn.builder().requireVersion("/v/a", 0).put("/v/a", bytes("x")).build()).succeeded())
                .as("version 0 means absent").isFalse();
        assertThat(store.commit(Txn.builder().requireVersion("/v/a", 1).put("/v/a", bytes("2")).build()).succeeded()).isTrue();
        assertThat(store.commit(Txn.builder().requireVersion("/v/a", 1).put("/v/a", bytes("y")).build()).succeeded()).isFalse();
        assertThat(new String(store.get("/v/a").orElseThrow().value(), StandardCharsets.UTF_8)).isEqualTo("2");
        assertThat(store.get("/v/a").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    default void queuedTransactionsApplyInOrderAndMayRelyOnTheOnesBefore() {
        StateStore store = storeUnderTest();
        List<CompletableFuture<TxnResult>> results = new ArrayList<>();
        // Each relies on the one before having written the key: predicted versions 0, 1, 2, ...
        for (int i = 0; i < 50; i++) {
            results.add(store.commitAsync(Txn.builder().requireVersion("/v/chain", i).put("/v/chain", bytes("" + i)).build()));
        }
        long previous = 0;
        for (CompletableFuture<TxnResult> r : results) {
            TxnResult result = r.join();
            assertThat(result.succeeded()).isTrue();
            assertThat(result.revision()).isGreaterThan(previous);
            previous = result.revision();
        }
        assertThat(store.get("/v/chain").orElseThrow().version()).isEqualTo(50);
    }

    @Test
    default void aLostConditionFailsEveryQueuedTransactionThatReliesOnIt() {
        StateStore store = storeUnderTest();
        store.commit(Txn.builder().put("/v/k", bytes("theirs")).build());  // version 1, not the 0 predicted below
        CompletableFuture<TxnResult> first = store.commitAsync(
                Txn.builder().requireVersion("/v/k", 0).put("/v/k", bytes("mine")).build());
        CompletableFuture<TxnResult> second = store.commitAsync(
                Txn.builder().requireVersion("/v/k", 1).requireVersion("/v/marker", 1).put("/v/k", bytes("mine too")).build());
        assertThat(first.join().succeeded()).isFalse();
        assertThat(second.join().succeeded()).as("the marker the first would have written is missing").isFalse();
        assertThat(new String(store.get("/v/k").orElseThrow().value(), StandardCharsets.UTF_8)).isEqualTo("theirs");
    }
}
