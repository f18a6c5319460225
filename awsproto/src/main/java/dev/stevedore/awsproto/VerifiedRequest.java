package dev.stevedore.awsproto;

import java.util.Objects;

/**
 * The outcome of a successful signature check.
 *
 * @param principal the identity that signed the request
 * @param region    the region of the credential scope, which is the region the request addresses
 * @param service   the service of the credential scope, e.g. {@code ecs}
 */
public record VerifiedRequest(Principal principal, String region, String service) {
    public VerifiedRequest {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(service, "service");
    }
}
