package dev.stevedore.control.iam.policy;

import dev.stevedore.control.iam.EntityKind;
import dev.stevedore.model.iam.Policy;
import dev.stevedore.model.iam.PolicyVersion;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A managed policy as stored: its wire {@code Policy} (tags inside it; the counts are derived from
 * the lists here), its versions (documents as given), the number of the last version ever made
 * (IAM never reuses one), and whom it is attached to or bounds. Attaching writes this record and
 * the user's or role's, so the counts and DeleteConflict are always right.
 */
public record PolicyRecord(Policy policy, List<PolicyVersion> versions, int lastVersion,
                           List<EntityRef> attachedTo, List<EntityRef> boundaryOf) {
    public PolicyRecord {
        versions = versions == null ? List.of() : List.copyOf(versions);
        attachedTo = attachedTo == null ? List.of() : List.copyOf(attachedTo);
        boundaryOf = boundaryOf == null ? List.of() : List.copyOf(boundaryOf);
    }

    public String arn() {
        return policy.arn();
    }

    public String name() {
        return policy.policyName();
    }

    public PolicyVersion defaultVersion() {
        return versions.stream().filter(v -> Boolean.TRUE.equals(v.isDefaultVersion())).findFirst().orElseThrow();
    }

    public Optional<PolicyVersion> version(String versionId) {
        return versions.stream().filter(v -> v.versionId().equals(versionId)).findFirst();
    }

    /** The policy as GetPolicy answers it: counts from the lists. */
    public Policy answered() {
        return policy.toBuilder()
                .attachmentCount(attachedTo.size())
                .permissionsBoundaryUsageCount(boundaryOf.size())
                .defaultVersionId(defaultVersion().versionId())
                .isAttachable(true)
                .build();
    }

    /** As ListPolicies answers it: without description and tags. */
    public Policy listed() {
        return answered().toBuilder().description(null).tags(null).build();
    }

    public PolicyRecord withVersion(PolicyVersion version, Instant now) {
        List<PolicyVersion> next = new ArrayList<>();
        boolean makeDefault = Boolean.TRUE.equals(version.isDefaultVersion());
        for (PolicyVersion v : versions) {
            next.add(makeDefault ? v.toBuilder().isDefaultVersion(false).build() : v);
        }
        next.add(version);
        return new PolicyRecord(policy.toBuilder().updateDate(now).build(), sorted(next), lastVersion + 1, attachedTo, boundaryOf);
    }

    public PolicyRecord withoutVersion(String versionId) {
        List<PolicyVersion> next = new ArrayList<>(versions);
        next.removeIf(v -> v.versionId().equals(versionId));
        return new PolicyRecord(policy, next, lastVersion, attachedTo, boundaryOf);
    }

    public PolicyRecord withDefault(String versionId, Instant now) {
        List<PolicyVersion> next = versions.stream()
                .map(v -> v.toBuilder().isDefaultVersion(v.versionId().equals(versionId)).build())
                .toList();
        return new PolicyRecord(policy.toBuilder().updateDate(now).build(), next, lastVersion, attachedTo, boundaryOf);
    }

    public PolicyRecord attached(EntityRef ref) {
        List<EntityRef> next = new ArrayList<>(attachedTo);
        next.add(ref);
        return new PolicyRecord(policy, versions, lastVersion, next, boundaryOf);
    }

    public PolicyRecord detached(EntityKind kind, String name) {
        List<EntityRef> next = new ArrayList<>(attachedTo);
        next.removeIf(r -> r.is(kind, name));
        return new PolicyRecord(policy, versions, lastVersion, next, boundaryOf);
    }

    public PolicyRecord bounding(EntityRef ref) {
        List<EntityRef> next = new ArrayList<>(boundaryOf);
        next.add(ref);
        return new PolicyRecord(policy, versions, lastVersion, attachedTo, next);
    }

    public PolicyRecord notBounding(EntityKind kind, String name) {
        List<EntityRef> next = new ArrayList<>(boundaryOf);
        next.removeIf(r -> r.is(kind, name));
        return new PolicyRecord(policy, versions, lastVersion, attachedTo, next);
    }

    /** The same references with a user's new name (UpdateUser renames). */
    public PolicyRecord renamed(EntityKind kind, String oldName, String newName) {
        return new PolicyRecord(policy, versions, lastVersion, rename(attachedTo, kind, oldName, newName),
                rename(boundaryOf, kind, oldName, newName));
    }

    private static List<EntityRef> rename(List<EntityRef> refs, EntityKind kind, String oldName, String newName) {
        return refs.stream().map(r -> r.is(kind, oldName) ? new EntityRef(kind, newName, r.id()) : r).toList();
    }

    private static List<PolicyVersion> sorted(List<PolicyVersion> versions) {
        return versions.stream().sorted(Comparator.comparingInt(v -> Integer.parseInt(v.versionId().substring(1)))).toList();
    }
}
