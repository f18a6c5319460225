package dev.stevedore.control.ec2.securitygroup;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ec2.DefaultVpc;
import dev.stevedore.control.ec2.Ec2Errors;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ec2.Ec2Records;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ec2.AuthorizeSecurityGroupEgressRequest;
import dev.stevedore.model.ec2.AuthorizeSecurityGroupEgressResult;
import dev.stevedore.model.ec2.AuthorizeSecurityGroupIngressRequest;
import dev.stevedore.model.ec2.AuthorizeSecurityGroupIngressResult;
import dev.stevedore.model.ec2.IpPermission;
import dev.stevedore.model.ec2.RevokeSecurityGroupEgressRequest;
import dev.stevedore.model.ec2.RevokeSecurityGroupEgressResult;
import dev.stevedore.model.ec2.RevokeSecurityGroupIngressRequest;
import dev.stevedore.model.ec2.RevokeSecurityGroupIngressResult;
import dev.stevedore.model.ec2.RevokedSecurityGroupRule;
import dev.stevedore.model.ec2.SecurityGroup;
import dev.stevedore.model.ec2.SecurityGroupRule;
import dev.stevedore.model.ec2.UserIdGroupPair;
import dev.stevedore.model.ec2.Vpc;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Authorize and Revoke, ingress and egress: the rules of a group are kept in its
 * {@code IpPermissions} and {@code IpPermissionsEgress}, each rule once.
 */
public final class RuleOperations {
    /** EC2's default quota of rules per direction of a group. */
    static final int MAX_RULES = 60;

    private final StateStore store;

    public RuleOperations(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "AuthorizeSecurityGroupIngress", Operations.typed(AuthorizeSecurityGroupIngressRequest.class, (ctx, r) -> {
                    List<SecurityGroupRule> added = authorize(ctx, groupId(ctx, r.groupId(), r.groupName()), false,
                            permissions(r.ipPermissions(), r.cidrIp(), r.ipProtocol(), r.fromPort(), r.toPort()));
                    return new AuthorizeSecurityGroupIngressResult(true, added);
                }),
                "AuthorizeSecurityGroupEgress", Operations.typed(AuthorizeSecurityGroupEgressRequest.class, (ctx, r) -> {
                    List<SecurityGroupRule> added = authorize(ctx, required(r.groupId()), true,
                            permissions(r.ipPermissions(), r.cidrIp(), r.ipProtocol(), r.fromPort(), r.toPort()));
                    return new AuthorizeSecurityGroupEgressResult(true, added);
                }),
                "RevokeSecurityGroupIngress", Operations.typed(RevokeSecurityGroupIngressRequest.class, (ctx, r) -> {
                    Revoked revoked = revoke(ctx, groupId(ctx, r.groupId(), r.groupName()), false,
                            permissions(r.ipPermissions(), r.cidrIp(), r.ipProtocol(), r.fromPort(), r.toPort()),
                            r.securityGroupRuleIds());
                    return new RevokeSecurityGroupIngressResult(true, revoked.rules(), revoked.unknown());
                }),
                "RevokeSecurityGroupEgress", Operations.typed(RevokeSecurityGroupEgressRequest.class, (ctx, r) -> {
                    Revoked revoked = revoke(ctx, required(r.groupId()), true,
                            permissions(r.ipPermissions(), r.cidrIp(), r.ipProtocol(), r.fromPort(), r.toPort()),
                            r.securityGroupRuleIds());
                    return new RevokeSecurityGroupEgressResult(true, revoked.rules(), revoked.unknown());
                }));
    }

    /** What a revoke did: the rules it removed, and (default VPC only) the ones it did not know. */
    private record Revoked(List<RevokedSecurityGroupRule> rules, List<IpPermission> unknown) {
    }

    private List<SecurityGroupRule> authorize(CallContext ctx, String groupId, boolean egress, List<IpPermission> asked) {
        EcsScope scope = EcsScope.of(ctx);
        if (asked.isEmpty()) {
            throw Ec2Errors.missingParameter("ipPermissions");
        }
        return StoreTx.run(store, tx -> {
            SecurityGroup group = tx.read(Ec2Keys.securityGroup(scope, groupId), SecurityGroup.class)
                    .orElseThrow(() -> Ec2Errors.groupNotFound(groupId));
            List<Rule> rules = new ArrayList<>(IpPermissions.rulesOf(stored(group, egress)));
            List<Rule> added = IpPermissions.toRules(asked, pair -> peer(tx, scope, group, pair));
            for (Rule rule : added) {
                if (rules.stream().anyMatch(r -> r.identity().equals(rule.identity()))) {
                    throw Ec2Errors.of("InvalidPermission.Duplicate", "the specified rule \"" + rule.text() + "\" already exists");
                }
                rules.add(rule);
            }
            if (rules.size() > MAX_RULES) {
                throw Ec2Errors.of("RulesPerSecurityGroupLimitExceeded", "The maximum number of rules per security group has been reached.");
            }
            tx.put(Ec2Keys.securityGroup(scope, groupId), with(group, egress, rules));
            // A peer group is rewritten unchanged, so a DeleteSecurityGroup that looked for
            // references to it before this commits sees its read go stale and looks again.
            added.stream().map(Rule::peer)
                    .filter(p -> p.kind() == Rule.PeerKind.GROUP && !p.value().equals(groupId))
                    .map(Rule.Peer::value)
                    .distinct()
                    .forEach(peerId -> tx.read(Ec2Keys.securityGroup(scope, peerId), SecurityGroup.class)
                            .ifPresent(peer -> tx.put(Ec2Keys.securityGroup(scope, peerId), peer)));
            return added.stream().map(r -> r.describe(scope, groupId, egress)).toList();
        });
    }

    /**
     * Removes the rules named by properties or by id. As EC2 documents it, in the default VPC rules
     * that do not exist are answered back as unknown; in any other VPC they fail the call and
     * nothing is removed.
     */
    private Revoked revoke(CallContext ctx, String groupId, boolean egress, List<IpPermission> asked, List<String> ruleIds) {
        EcsScope scope = EcsScope.of(ctx);
        List<String> ids = Optional.ofNullable(ruleIds).orElse(List.of());
        if (asked.isEmpty() && ids.isEmpty()) {
            throw Ec2Errors.missingParameter("ipPermissions");
        }
        Optional<String> defaultVpcId = DefaultVpc.find(store, scope).map(Vpc::vpcId);
        return StoreTx.run(store, tx -> {
            SecurityGroup group = tx.read(Ec2Keys.securityGroup(scope, groupId), SecurityGroup.class)
                    .orElseThrow(() -> Ec2Errors.groupNotFound(groupId));
            List<Rule> rules = new ArrayList<>(IpPermissions.rulesOf(stored(group, egress)));
            List<Rule> removed = new ArrayList<>();
            List<Rule> unknown = new ArrayList<>();
            for (Rule rule : IpPermissions.toRules(asked, pair -> peer(tx, scope, group, pair))) {
                Optional<Rule> match = rules.stream().filter(r -> r.identity().equals(rule.identity())).findFirst();
                match.ifPresentOrElse(r -> {
                    rules.remove(r);
                    removed.add(r);
                }, () -> unknown.add(rule));
            }
            for (String id : ids) {
                Rule match = rules.stream().filter(r -> r.ruleId(groupId, egress).equals(id)).findFirst()
                        .orElseThrow(() -> Ec2Errors.of("InvalidSecurityGroupRuleId.NotFound",
                                "The security group rule ID '" + id + "' does not exist"));
                rules.remove(match);
                removed.add(match);
            }
            boolean inDefaultVpc = defaultVpcId.filter(id -> id.equals(group.vpcId())).isPresent();
            if (!unknown.isEmpty() && !inDefaultVpc) {
                throw Ec2Errors.of("InvalidPermission.NotFound", "The specified rule does not exist in this security group.");
            }
            if (!removed.isEmpty()) {
                tx.put(Ec2Keys.securityGroup(scope, groupId), with(group, egress, rules));
            }
            return new Revoked(removed.stream().map(r -> r.revoked(scope, groupId, egress)).toList(),
                    unknown.isEmpty() ? null : IpPermissions.toPermissions(unknown));
        });
    }

    /** A peer group of a rule: by id, or by name in the rule's own VPC; either must exist there. */
    private static Rule.Peer peer(StoreTx tx, EcsScope scope, SecurityGroup group, UserIdGroupPair pair) {
        SecurityGroup peer;
        if (pair.groupId() != null) {
            peer = pair.groupId().equals(group.groupId()) ? group
                    : tx.read(Ec2Keys.securityGroup(scope, pair.groupId()), SecurityGroup.class)
                    .filter(g -> group.vpcId().equals(g.vpcId()))
                    .orElseThrow(() -> Ec2Errors.groupNotFound(pair.groupId()));
        } else if (pair.groupName() != null) {
            peer = tx.scan(Ec2Keys.securityGroups(scope), SecurityGroup.class).stream()
                    .filter(g -> group.vpcId().equals(g.vpcId()) && pair.groupName().equals(g.groupName()))
                    .findFirst()
                    .orElseThrow(() -> Ec2Errors.groupNotFound(pair.groupName()));
        } else {
            throw Ec2Errors.missingParameter("groupId");
        }
        return new Rule.Peer(Rule.PeerKind.GROUP, peer.groupId(), scope.accountId());
    }

    private String groupId(CallContext ctx, String groupId, String groupName) {
        if (groupId != null) {
            return Ec2Errors.wellFormedGroupId(groupId);
        }
        if (groupName == null) {
            throw Ec2Errors.missingParameter("groupId");
        }
        EcsScope scope = EcsScope.of(ctx);
        String vpcId = DefaultVpc.find(store, scope).map(Vpc::vpcId)
                .orElseThrow(() -> Ec2Errors.groupNotFound(groupName));
        return Ec2Records.all(store, Ec2Keys.securityGroups(scope), SecurityGroup.class).stream()
                .filter(g -> vpcId.equals(g.vpcId()) && groupName.equals(g.groupName()))
                .map(SecurityGroup::groupId)
                .findFirst()
                .orElseThrow(() -> Ec2Errors.of("InvalidGroup.NotFound",
                        "The security group '" + groupName + "' does not exist in default VPC '" + vpcId + "'"));
    }

    private static String required(String groupId) {
        return Ec2Errors.wellFormedGroupId(Optional.ofNullable(groupId).orElseThrow(() -> Ec2Errors.missingParameter("groupId")));
    }

    private static List<IpPermission> permissions(List<IpPermission> permissions, String cidrIp, String protocol,
                                                  Integer fromPort, Integer toPort) {
        List<IpPermission> all = new ArrayList<>(Optional.ofNullable(permissions).orElse(List.of()));
        all.addAll(IpPermissions.legacy(cidrIp, protocol, fromPort, toPort));
        return all;
    }

    private static List<IpPermission> stored(SecurityGroup group, boolean egress) {
        return Optional.ofNullable(egress ? group.ipPermissionsEgress() : group.ipPermissions()).orElse(List.of());
    }

    private static SecurityGroup with(SecurityGroup group, boolean egress, List<Rule> rules) {
        List<IpPermission> permissions = IpPermissions.toPermissions(rules);
        return egress
                ? group.toBuilder().ipPermissionsEgress(permissions).build()
                : group.toBuilder().ipPermissions(permissions).build();
    }
}
