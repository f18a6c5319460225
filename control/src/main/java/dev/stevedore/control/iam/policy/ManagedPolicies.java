package dev.stevedore.control.iam.policy;

import dev.stevedore.control.iam.IamArns;
import dev.stevedore.control.iam.IamEntity;
import dev.stevedore.control.iam.IamIds;
import dev.stevedore.control.iam.IamKeys;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.iam.Policy;
import dev.stevedore.model.iam.PolicyVersion;
import dev.stevedore.model.iam.Tag;
import dev.stevedore.store.StateStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finding managed policies by ARN: the account's own, and the AWS managed ones as this account sees them. */
public final class ManagedPolicies {
    private ManagedPolicies() {
    }

    /** Where the policy an ARN names would be stored for {@code account}; empty for another account's or a malformed ARN. */
    public static Optional<String> key(String account, String arn) {
        return IamArns.parse(arn)
                .filter(a -> a.kind().equals("policy"))
                .flatMap(a -> a.account().equals(IamArns.AWS) ? Optional.of(IamKeys.awsPolicy(account, a.name()))
                        : a.account().equals(account) ? Optional.of(IamKeys.policy(account, a.name()))
                        : Optional.empty());
    }

    /** The policy an ARN names, read as a condition of the transaction; the ARN must match exactly (path and case). */
    public static Optional<PolicyRecord> find(StoreTx tx, String account, String arn) {
        return key(account, arn).flatMap(k -> tx.read(k, PolicyRecord.class)).filter(p -> p.arn().equals(arn));
    }

    /** The same, as one read of the store shows it. */
    public static Optional<PolicyRecord> find(StateStore store, String account, String arn) {
        return key(account, arn).flatMap(store::get)
                .map(kv -> Records.decode(kv.value(), PolicyRecord.class))
                .filter(p -> p.arn().equals(arn));
    }

    public static void put(StoreTx tx, String account, PolicyRecord policy) {
        tx.put(key(account, policy.arn()).orElseThrow(), policy);
    }

    /** A new policy whose one version, v1, is its default. */
    public static PolicyRecord newPolicy(String arn, String name, String path, String description, String document,
                                         List<Tag> tags, Instant now) {
        Policy policy = Policy.builder()
                .policyName(name)
                .policyId(IamIds.uniqueId(IamIds.POLICY))
                .arn(arn)
                .path(path)
                .description(description)
                .createDate(now)
                .updateDate(now)
                .tags(tags == null || tags.isEmpty() ? null : List.copyOf(tags))
                .build();
        PolicyVersion v1 = new PolicyVersion(now, document, true, "v1");
        return new PolicyRecord(policy, List.of(v1), 1, List.of(), List.of());
    }

    /** After a user's rename: the policies attached to it, or bounding it, name it by its new name. */
    public static void renameReferences(StoreTx tx, String account, IamEntity entity, String newName) {
        List<String> arns = new ArrayList<>(entity.grants().attached());
        if (entity.boundary() != null && !arns.contains(entity.boundary().permissionsBoundaryArn())) {
            arns.add(entity.boundary().permissionsBoundaryArn());
        }
        for (String arn : arns) {
            find(tx, account, arn).ifPresent(p -> put(tx, account, p.renamed(entity.kind(), entity.name(), newName)));
        }
    }
}
