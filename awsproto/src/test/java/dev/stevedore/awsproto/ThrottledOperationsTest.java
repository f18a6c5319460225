package dev.stevedore.awsproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottledOperationsTest {
    private static final Principal ALICE = new Principal("111111111111", "AKIAALICE", "arn:aws:iam::111111111111:user/a");
    private static final Principal ALICES_ROOT = new Principal("111111111111", "AKIAROOT", "arn:aws:iam::111111111111:root");
    private static final Principal BOB = new Principal("222222222222", "AKIABOB", "arn:aws:iam::222222222222:user/b");
    private static final RateCategory READS = new RateCategory("reads", 5, 2);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicInteger handled = new AtomicInteger();
    private final Map<String, JsonOperation> throttled = ThrottledOperations.throttle(
            Map.of("Describe", this::answer, "List", this::answer, "Discover", this::answer),
            Map.of("Describe", READS, "List", READS), nanos::get);

    private Object answer(CallContext ctx, com.fasterxml.jackson.databind.node.ObjectNode input) {
        handled.incrementAndGet();
        return JsonNodeFactory.instance.objectNode();
    }

    private boolean call(String operation, Principal who, String region) {
        try {
            throttled.get(operation).handle(new CallContext("r", who, operation, region),
                    JsonNodeFactory.instance.objectNode());
            return true;
        } catch (AwsException e) {
            assertThat(e.code()).isEqualTo("ThrottlingException");
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo("Rate exceeded");
            return false;
        }
    }

    @Test
    void aBurstIsTheBucketsCapacityAndTheOperationsOfACategoryShareIt() {
        for (int i = 0; i < 3; i++) {
            assertThat(call("Describe", ALICE, "us-east-1")).isTrue();
        }
        assertThat(call("List", ALICE, "us-east-1")).isTrue();
        assertThat(call("Describe", ALICE, "us-east-1")).isTrue();
        assertThat(call("List", ALICE, "us-east-1")).isFalse();
        assertThat(handled).hasValue(5);
    }

    @Test
    void theBucketRefillsAtTheSustainedRateAndNeverPastItsCapacity() {
        for (int i = 0; i < 5; i++) {
            call("Describe", ALICE, "us-east-1");
        }
        assertThat(call("Describe", ALICE, "us-east-1")).isFalse();
        nanos.addAndGet(500_000_000L); // half a second at 2 per second: one token
        assertThat(call("Describe", ALICE, "us-east-1")).isTrue();
        assertThat(call("Describe", ALICE, "us-east-1")).isFalse();
        nanos.addAndGet(3_600_000_000_000L); // an hour idle fills it to 5, not more
        int taken = 0;
        while (call("Describe", ALICE, "us-east-1")) {
            taken++;
        }
        assertThat(taken).isEqualTo(5);
    }

    @Test
    void eachAccountAndRegionHasItsOwnBucketAndUsersOfOneAccountShareIt() {
        for (int i = 0; i < 5; i++) {
            call("Describe", ALICE, "us-east-1");
        }
        assertThat(call("Describe", ALICES_ROOT, "us-east-1")).as("same account, same bucket").isFalse();
        assertThat(call("Describe", ALICE, "eu-west-1")).as("another Region").isTrue();
        assertThat(call("Describe", BOB, "us-east-1")).as("another account").isTrue();
    }

    @Test
    void anOperationInNoCategoryIsNeverThrottledAndAThrottledCallNeverReachesItsHandler() {
        for (int i = 0; i < 5; i++) {
            call("Describe", ALICE, "us-east-1");
        }
        int before = handled.get();
        assertThat(call("Describe", ALICE, "us-east-1")).isFalse();
        assertThat(handled).hasValue(before);
        for (int i = 0; i < 50; i++) {
            assertThat(call("Discover", ALICE, "us-east-1")).isTrue();
        }
    }
}
