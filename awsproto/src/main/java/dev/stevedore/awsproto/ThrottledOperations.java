package dev.stevedore.awsproto;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Puts a service's documented request rates in front of its operations: every call of an operation in a
 * {@link RateCategory} takes a token from that category's bucket of the caller's account in the Region it
 * signed for (the way AWS throttles: per account and Region, not per user), and a call finding the bucket
 * empty is refused with the service's throttling error before its handler runs, so it changes nothing.
 * Operations in no category are not throttled.
 *
 * <p>It runs after the protocol endpoint's shape check, so a malformed request costs no token, and before
 * authorization, so a denied call does (as on AWS, where throttling comes first).
 */
public final class ThrottledOperations {

    private ThrottledOperations() {
    }

    /** The ECS (awsJson) refusal: {@code ThrottlingException}, 400, "Rate exceeded". */
    public static AwsException jsonThrottling() {
        return AwsException.clientError("ThrottlingException", EdgeRefusals.JSON_THROTTLING_MESSAGE);
    }

    public static Map<String, JsonOperation> throttle(Map<String, JsonOperation> handlers,
                                                      Map<String, RateCategory> categoryByOperation,
                                                      LongSupplier nanoClock) {
        Map<BucketKey, TokenBucket> buckets = new ConcurrentHashMap<>();
        Map<String, JsonOperation> throttled = new LinkedHashMap<>();
        handlers.forEach((name, handler) -> {
            RateCategory category = categoryByOperation.get(name);
            if (category == null) {
                throttled.put(name, handler);
                return;
            }
            throttled.put(name, (ctx, input) -> {
                BucketKey key = new BucketKey(ctx.principal().accountId(), ctx.region(), category.name());
                if (!buckets.computeIfAbsent(key, k -> new TokenBucket(category, nanoClock)).tryTake()) {
                    throw jsonThrottling();
                }
                return handler.handle(ctx, input);
            });
        });
        return Map.copyOf(throttled);
    }

    private record BucketKey(String accountId, String region, String category) {
    }
}
