package dev.stevedore.control.ecr;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.model.ecr.AuthorizationData;
import dev.stevedore.model.ecr.GetAuthorizationTokenRequest;
import dev.stevedore.model.ecr.GetAuthorizationTokenResponse;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * GetAuthorizationToken: base64 of {@code AWS:<password>}, valid 12 hours, and the registry's endpoint.
 * One registry serves the account, so the deprecated {@code registryIds} get the same single token.
 */
final class AuthorizationTokens {
    private final Clock clock;
    private final RegistryPasswords passwords;
    private final ImageRegistry registry;

    AuthorizationTokens(Clock clock, RegistryPasswords passwords, ImageRegistry registry) {
        this.clock = clock;
        this.passwords = passwords;
        this.registry = registry;
    }

    Map<String, JsonOperation> operations() {
        return Map.of("GetAuthorizationToken", Operations.typed(GetAuthorizationTokenRequest.class, this::get));
    }

    GetAuthorizationTokenResponse get(CallContext ctx, GetAuthorizationTokenRequest request) {
        Instant expiresAt = clock.instant().plus(RegistryPasswords.LIFETIME);
        String password = passwords.issue(ctx.principal(), expiresAt);
        String token = Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
        return new GetAuthorizationTokenResponse(List.of(
                new AuthorizationData(token, expiresAt, "http://" + registry.address())));
    }
}
