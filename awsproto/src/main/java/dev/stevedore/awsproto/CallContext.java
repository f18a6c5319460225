package dev.stevedore.awsproto;

import java.util.Objects;
import java.util.Optional;

/**
 * What an operation handler knows about the call besides its input.
 *
 * @param requestId the id sent back as {@code x-amzn-RequestId}; also useful in logs
 * @param principal the verified caller
 * @param operation the operation name from the service model, e.g. {@code RunTask}
 * @param region    the region the caller signed for (the credential scope's region)
 * @param sourceIp  the caller's address ({@code aws:SourceIp}); empty for calls made in-process
 */
public record CallContext(String requestId, Principal principal, String operation, String region,
                          Optional<String> sourceIp) {
    public CallContext {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(sourceIp, "sourceIp");
    }

    /** A call made in-process, from no address. */
    public CallContext(String requestId, Principal principal, String operation, String region) {
        this(requestId, principal, operation, region, Optional.empty());
    }
}
