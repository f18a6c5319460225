package dev.stevedore.control.ecr;

import dev.stevedore.awsproto.CallContext;

/**
 * The account and Region an ECR call runs in: its registry (the registry id is the account id), the
 * prefix of its store keys and repository ARNs.
 */
public record EcrScope(String accountId, String region) {

    public static EcrScope of(CallContext ctx) {
        return new EcrScope(ctx.principal().accountId(), ctx.region());
    }

    String repositoryArn(String name) {
        return "arn:aws:ecr:" + region + ":" + accountId + ":repository/" + name;
    }

    String repositoriesPrefix() {
        return "/ecr/" + accountId + "/" + region + "/repositories/";
    }

    String repositoryKey(String name) {
        return repositoriesPrefix() + name;
    }

    /** Every image of a repository lives under this prefix, keyed by digest. */
    String imagesPrefix(String repository) {
        return "/ecr/" + accountId + "/" + region + "/images/" + repository + "/";
    }

    String imageKey(String repository, String digest) {
        return imagesPrefix(repository) + digest;
    }

    /** The registry a call names, refused when it is another account's: this server holds one per account. */
    void requireOwnRegistry(String registryId, String repository) {
        if (registryId != null && !registryId.equals(accountId)) {
            throw EcrErrors.repositoryNotFound(repository, registryId);
        }
    }
}
