package dev.stevedore.control.ecr;

import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.Authorizer;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.Principal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What the registry's token endpoint decides: who is asking (HTTP basic auth, user {@code AWS} and a
 * password from GetAuthorizationToken) and which of the {@code pull}/{@code push} actions of a
 * repository scope to grant: none on a repository that does not exist in the registry's account and
 * Region, and each only when the principal may do every ECR action it stands for, as IAM decides.
 */
public final class RegistryAccess {
    /** The IAM actions behind each registry action, as ECR's documentation names them for docker pull and push. */
    static final Map<String, List<String>> ACTIONS = Map.of(
            "pull", List.of("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"),
            "push", List.of("ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
                    "ecr:CompleteLayerUpload", "ecr:BatchCheckLayerAvailability"));

    private final ImageLedger ledger;
    private final RegistryPasswords passwords;
    private final Authorizer authorizer;
    private final String region;
    private final Clock clock;

    /** @param region the Region whose repositories the registry serves */
    public RegistryAccess(ImageLedger ledger, RegistryPasswords passwords, Authorizer authorizer, String region,
                          Clock clock) {
        this.ledger = ledger;
        this.passwords = passwords;
        this.authorizer = authorizer;
        this.region = region;
        this.clock = clock;
    }

    /** The principal an {@code Authorization: Basic …} header's credentials stand for; empty when they are not valid. */
    public Optional<Principal> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0 || !decoded.substring(0, colon).equals("AWS")) {
            return Optional.empty();
        }
        return passwords.verify(decoded.substring(colon + 1), clock.instant());
    }

    /** The scope of the registry's account and Region the principal's repositories are in. */
    public EcrScope scopeOf(Principal principal) {
        return new EcrScope(principal.accountId(), region);
    }

    /** Of {@code requested} ({@code pull}, {@code push}, others ignored), those granted on {@code repository}. */
    public Set<String> granted(Principal principal, String repository, Set<String> requested) {
        Set<String> granted = new LinkedHashSet<>();
        EcrScope scope = scopeOf(principal);
        if (!ledger.repositoryExists(scope, repository)) {
            return granted;
        }
        CallContext ctx = new CallContext(UUID.randomUUID().toString(), principal, "RegistryToken", region);
        String arn = scope.repositoryArn(repository);
        for (String action : requested) {
            List<String> needs = ACTIONS.get(action);
            if (needs != null && (principal.isRoot() || needs.stream()
                    .allMatch(a -> authorizer.denial(ctx, new AccessRequest(a, arn)).isEmpty()))) {
                granted.add(action);
            }
        }
        return granted;
    }
}
