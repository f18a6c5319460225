package dev.stevedore.policy;

import java.util.Set;

/**
 * A statement's Principal (or NotPrincipal) element: {@code "*"}, or lists of AWS accounts and
 * ARNs, service names, federated providers and canonical users.
 */
public record PrincipalSpec(
        boolean everyone, Set<String> accounts, Set<String> arns, Set<String> services, Set<String> federated, Set<String> canonicalUsers) {

    public PrincipalSpec {
        accounts = Set.copyOf(accounts);
        arns = Set.copyOf(arns);
        services = Set.copyOf(services);
        federated = Set.copyOf(federated);
        canonicalUsers = Set.copyOf(canonicalUsers);
    }

    /** How a principal was named, which decides what a resource-based Allow grants it. */
    enum Match {
        NONE,
        /** By the account (root ARN or account id): the account delegates to its own IAM policies. */
        ACCOUNT,
        /** By a role's ARN, for one of its sessions: the grant still passes the session's boundary and session policies. */
        ROLE,
        /** By the user's or session's own ARN, by service, or by {@code "*"}: a grant on its own. */
        DIRECT
    }

    Match match(Principal principal) {
        if (everyone) {
            return Match.DIRECT;
        }
        return switch (principal) {
            case Principal.Service s -> services.contains(s.name()) ? Match.DIRECT : Match.NONE;
            case Principal.Aws a -> {
                if (a.sessionArn().isPresent() && arns.contains(a.sessionArn().get())) {
                    yield Match.DIRECT;
                }
                if (arns.contains(a.arn())) {
                    yield a.isRoleSession() ? Match.ROLE : Match.DIRECT;
                }
                yield accounts.contains(a.account()) ? Match.ACCOUNT : Match.NONE;
            }
        };
    }
}
