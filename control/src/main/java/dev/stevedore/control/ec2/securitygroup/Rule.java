package dev.stevedore.control.ec2.securitygroup;

import dev.stevedore.control.ec2.Ec2Ids;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.model.ec2.ReferencedSecurityGroup;
import dev.stevedore.model.ec2.RevokedSecurityGroupRule;
import dev.stevedore.model.ec2.SecurityGroupRule;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One security group rule as EC2 counts them: a protocol, a port range and one peer (an IPv4 or
 * IPv6 block, a prefix list or a security group). An {@code IpPermission} on the wire bundles
 * several of them; two rules are the same rule whatever their descriptions say.
 *
 * @param protocol    {@code tcp}, {@code udp}, {@code icmp}, {@code icmpv6}, {@code -1} (all) or a protocol number
 * @param fromPort    absent for protocols without ports
 * @param toPort      absent for protocols without ports
 * @param peer        what the rule lets in or out
 * @param description optional
 */
public record Rule(String protocol, Integer fromPort, Integer toPort, Peer peer, String description) {

    /** The kinds of peer, as {@code IpPermission} lists them. */
    public enum PeerKind { IPV4, IPV6, PREFIX_LIST, GROUP }

    /** A rule's peer: a block, a prefix list id or a security group id (with its owner). */
    public record Peer(PeerKind kind, String value, String ownerId) {
    }

    /** The rule without its description: what makes two rules the same. */
    public Rule identity() {
        return new Rule(protocol, fromPort, toPort, peer, null);
    }

    /**
     * A stable id for the rule in its group: the same rule always gets the same id, so Authorize,
     * Revoke and Describe agree on it without storing ids beside the rules.
     */
    public String ruleId(String groupId, boolean egress) {
        String text = groupId + "|" + egress + "|" + identity();
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sgr-" + HexFormat.of().formatHex(hash).substring(0, 17);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public SecurityGroupRule describe(EcsScope scope, String groupId, boolean egress) {
        String id = ruleId(groupId, egress);
        SecurityGroupRule.Builder b = SecurityGroupRule.builder()
                .securityGroupRuleId(id)
                .securityGroupRuleArn(Ec2Ids.arn(scope, "security-group-rule", id))
                .groupId(groupId)
                .groupOwnerId(scope.accountId())
                .isEgress(egress)
                .ipProtocol(protocol)
                // EC2 shows -1 as the port range of a rule whose protocol has no ports.
                .fromPort(fromPort == null ? -1 : fromPort)
                .toPort(toPort == null ? -1 : toPort)
                .description(description);
        switch (peer.kind()) {
            case IPV4 -> b.cidrIpv4(peer.value());
            case IPV6 -> b.cidrIpv6(peer.value());
            case PREFIX_LIST -> b.prefixListId(peer.value());
            case GROUP -> b.referencedGroupInfo(ReferencedSecurityGroup.builder()
                    .groupId(peer.value()).userId(peer.ownerId()).build());
        }
        return b.build();
    }

    /** The rule as Revoke answers it: the same facts as {@link #describe}, the referenced group by id alone. */
    public RevokedSecurityGroupRule revoked(EcsScope scope, String groupId, boolean egress) {
        SecurityGroupRule r = describe(scope, groupId, egress);
        return RevokedSecurityGroupRule.builder()
                .securityGroupRuleId(r.securityGroupRuleId())
                .groupId(groupId)
                .isEgress(egress)
                .ipProtocol(r.ipProtocol())
                .fromPort(r.fromPort())
                .toPort(r.toPort())
                .cidrIpv4(r.cidrIpv4())
                .cidrIpv6(r.cidrIpv6())
                .prefixListId(r.prefixListId())
                .referencedGroupId(r.referencedGroupInfo() == null ? null : r.referencedGroupInfo().groupId())
                .description(r.description())
                .build();
    }

    /** EC2's wording of the rule in InvalidPermission.Duplicate. */
    public String text() {
        StringBuilder s = new StringBuilder("peer: ").append(peer.value()).append(", ")
                .append(protocol.equals("-1") ? "ALL" : protocol.toUpperCase(Locale.ROOT));
        if (fromPort != null) {
            s.append(", from port: ").append(fromPort).append(", to port: ").append(toPort);
        }
        return s.append(", ALLOW").toString();
    }
}
