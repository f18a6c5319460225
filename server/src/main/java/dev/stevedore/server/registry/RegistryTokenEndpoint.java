package dev.stevedore.server.registry;

import dev.stevedore.awsproto.Principal;
import dev.stevedore.control.ecr.RegistryAccess;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Docker's token authentication, served to the registry's clients: HTTP basic credentials ({@code AWS}
 * and a GetAuthorizationToken password) in, a bearer token out that grants, for each
 * {@code scope=repository:NAME:ACTIONS} asked for, the actions {@link RegistryAccess} allows. Wrong or
 * expired credentials get 401, so {@code docker login} fails; a scope not granted is left out of the
 * token, and the registry refuses the request it was for.
 */
final class RegistryTokenEndpoint {
    private final RegistryAccess access;
    private final RegistryTokenSigner signer;

    RegistryTokenEndpoint(RegistryAccess access, RegistryTokenSigner signer) {
        this.access = access;
        this.signer = signer;
    }

    RegistryReply handle(String authorization, List<String> scopes) {
        Optional<Principal> principal = access.authenticate(authorization);
        if (principal.isEmpty()) {
            return new RegistryReply(401, Map.of("WWW-Authenticate", "Basic realm=\"stevedore-ecr\"",
                    "Content-Type", "application/json"), RegistryFront.json(Map.of("errors", List.of(Map.of(
                    "code", "UNAUTHORIZED", "message",
                    "Your authorization token is not valid or has expired: get a new one with ecr get-login-password."))))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        List<RegistryTokenSigner.Grant> grants = new ArrayList<>();
        for (String scope : scopes) {
            int first = scope.indexOf(':');
            int last = scope.lastIndexOf(':');
            if (first < 0 || last <= first || !scope.substring(0, first).equals("repository")) {
                continue;
            }
            String repository = scope.substring(first + 1, last);
            Set<String> requested = new LinkedHashSet<>(Arrays.asList(scope.substring(last + 1).split(",")));
            Set<String> granted = access.granted(principal.get(), repository, requested);
            if (!granted.isEmpty()) {
                grants.add(new RegistryTokenSigner.Grant(repository, granted));
            }
        }
        String token = signer.sign(principal.get().arn(), principal.get().accountId(), grants);
        return RegistryReply.json(200, Map.of(), RegistryFront.json(Map.of("token", token, "access_token", token,
                "expires_in", RegistryTokenSigner.LIFETIME.toSeconds(), "issued_at", Instant.now().toString())));
    }
}
