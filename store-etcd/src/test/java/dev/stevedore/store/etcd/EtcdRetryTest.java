package dev.stevedore.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.store.StoreException;
import io.grpc.Status;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Which failed etcd requests the journal sends again: the ones a lost member or election explains. */
class EtcdRetryTest {

    @Test
    void aMemberLostOrBeingElectedIsWorthAnotherTry() {
        assertThat(EtcdRequests.retryable(failure(Status.UNAVAILABLE.withDescription("io exception")))).isTrue();
        assertThat(EtcdRequests.retryable(failure(Status.DEADLINE_EXCEEDED))).isTrue();
        assertThat(EtcdRequests.retryable(new StoreException("slow", new TimeoutException()))).isTrue();
    }

    @Test
    void aConnectionClosedUnderTheRequestIsWorthAnotherTry() {
        // What CI saw when a three-member cluster's leader was killed mid-commit.
        assertThat(EtcdRequests.retryable(failure(Status.UNKNOWN.withDescription("channel closed")))).isTrue();
        assertThat(EtcdRequests.retryable(failure(Status.UNKNOWN.withCause(new ClosedChannelException())))).isTrue();
    }

    @Test
    void anAnswerFromEtcdItselfIsFinal() {
        assertThat(EtcdRequests.retryable(failure(Status.INVALID_ARGUMENT.withDescription("too many operations in txn request")))).isFalse();
        assertThat(EtcdRequests.retryable(failure(Status.UNKNOWN.withDescription("something else")))).isFalse();
        assertThat(EtcdRequests.retryable(new StoreException("no cause"))).isFalse();
    }

    private static StoreException failure(Status status) {
        return new StoreException("etcd: could not commit", status.asRuntimeException());
    }
}
