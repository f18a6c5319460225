package dev.stevedore.control.ec2.securitygroup;

import dev.stevedore.control.ec2.Ec2Errors;
import dev.stevedore.control.ec2.Ec2Ids;
import dev.stevedore.control.ec2.Ipv4Cidr;
import dev.stevedore.model.ec2.IpPermission;
import dev.stevedore.model.ec2.IpRange;
import dev.stevedore.model.ec2.Ipv6Range;
import dev.stevedore.model.ec2.PrefixListId;
import dev.stevedore.model.ec2.UserIdGroupPair;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Between the wire's {@code IpPermission}s and {@link Rule}s: a request's permissions are checked
 * and normalised the way EC2 stores them (protocol names for 6, 17, 1 and 58, {@code -1} for all,
 * no ports where the protocol has none), and stored rules are bundled back by protocol and ports.
 */
public final class IpPermissions {
    private static final Map<String, String> PROTOCOL_NAMES = Map.of(
            "6", "tcp", "17", "udp", "1", "icmp", "58", "icmpv6", "all", "-1");

    private IpPermissions() {
    }

    /** Resolves a peer security group named in a request to the group (id and owner); fails when there is none. */
    public interface GroupResolver {
        Rule.Peer resolve(UserIdGroupPair pair);
    }

    /** The rules a request's permissions stand for, each checked. */
    public static List<Rule> toRules(List<IpPermission> permissions, GroupResolver groups) {
        List<Rule> rules = new ArrayList<>();
        for (IpPermission p : Optional.ofNullable(permissions).orElse(List.of())) {
            String protocol = protocol(p.ipProtocol());
            Integer[] ports = ports(protocol, p.fromPort(), p.toPort());
            for (IpRange r : orEmpty(p.ipRanges())) {
                String cidr = Ipv4Cidr.parse(r.cidrIp()).map(Ipv4Cidr::toString)
                        .orElseThrow(() -> Ec2Errors.invalidParameterValue("CIDR block " + r.cidrIp() + " is malformed"));
                rules.add(new Rule(protocol, ports[0], ports[1], new Rule.Peer(Rule.PeerKind.IPV4, cidr, null), r.description()));
            }
            for (Ipv6Range r : orEmpty(p.ipv6Ranges())) {
                if (r.cidrIpv6() == null || !r.cidrIpv6().contains(":") || !r.cidrIpv6().contains("/")) {
                    throw Ec2Errors.invalidParameterValue("CIDR block " + r.cidrIpv6() + " is malformed");
                }
                rules.add(new Rule(protocol, ports[0], ports[1],
                        new Rule.Peer(Rule.PeerKind.IPV6, r.cidrIpv6().toLowerCase(Locale.ROOT), null), r.description()));
            }
            for (PrefixListId pl : orEmpty(p.prefixListIds())) {
                if (!Ec2Ids.isId("pl", pl.prefixListId())) {
                    throw Ec2Errors.of("InvalidPrefixListId.Malformed",
                            "The prefix list ID '" + pl.prefixListId() + "' is malformed");
                }
                rules.add(new Rule(protocol, ports[0], ports[1],
                        new Rule.Peer(Rule.PeerKind.PREFIX_LIST, pl.prefixListId(), null), pl.description()));
            }
            for (UserIdGroupPair pair : orEmpty(p.userIdGroupPairs())) {
                rules.add(new Rule(protocol, ports[0], ports[1], groups.resolve(pair), pair.description()));
            }
        }
        return rules;
    }

    /** The rules of stored permissions. */
    public static List<Rule> rulesOf(List<IpPermission> stored) {
        return toRules(stored, pair -> new Rule.Peer(Rule.PeerKind.GROUP, pair.groupId(), pair.userId()));
    }

    /** Rules bundled into permissions the way EC2 lists them: one per protocol and port range. */
    public static List<IpPermission> toPermissions(List<Rule> rules) {
        Map<List<Object>, List<Rule>> bundles = new LinkedHashMap<>();
        for (Rule r : rules) {
            bundles.computeIfAbsent(java.util.Arrays.asList(r.protocol(), r.fromPort(), r.toPort()), k -> new ArrayList<>()).add(r);
        }
        List<IpPermission> out = new ArrayList<>();
        bundles.forEach((key, bundle) -> {
            Rule first = bundle.getFirst();
            out.add(IpPermission.builder()
                    .ipProtocol(first.protocol())
                    .fromPort(first.fromPort())
                    .toPort(first.toPort())
                    .ipRanges(of(bundle, Rule.PeerKind.IPV4, r -> new IpRange(r.peer().value(), r.description())))
                    .ipv6Ranges(of(bundle, Rule.PeerKind.IPV6, r -> new Ipv6Range(r.peer().value(), r.description())))
                    .prefixListIds(of(bundle, Rule.PeerKind.PREFIX_LIST, r -> new PrefixListId(r.description(), r.peer().value())))
                    .userIdGroupPairs(of(bundle, Rule.PeerKind.GROUP, r -> UserIdGroupPair.builder()
                            .groupId(r.peer().value()).userId(r.peer().ownerId()).description(r.description()).build()))
                    .build());
        });
        return out;
    }

    /** The legacy single-rule form of Authorize/Revoke (CidrIp, IpProtocol, FromPort, ToPort) as a permission. */
    public static List<IpPermission> legacy(String cidrIp, String ipProtocol, Integer fromPort, Integer toPort) {
        if (cidrIp == null && ipProtocol == null && fromPort == null && toPort == null) {
            return List.of();
        }
        return List.of(IpPermission.builder()
                .ipProtocol(ipProtocol)
                .fromPort(fromPort)
                .toPort(toPort)
                .ipRanges(cidrIp == null ? List.of() : List.of(new IpRange(cidrIp, null)))
                .build());
    }

    static String protocol(String given) {
        if (given == null) {
            throw Ec2Errors.missingParameter("ipProtocol");
        }
        String p = given.toLowerCase(Locale.ROOT);
        p = PROTOCOL_NAMES.getOrDefault(p, p);
        if (List.of("tcp", "udp", "icmp", "icmpv6", "-1").contains(p)) {
            return p;
        }
        try {
            int number = Integer.parseInt(p);
            if (number >= 0 && number <= 255) {
                return String.valueOf(number);
            }
        } catch (NumberFormatException e) {
            // not a number: refused below
        }
        throw Ec2Errors.invalidParameterValue("Invalid value '" + given + "' for IP protocol. Unknown protocol.");
    }

    /** The port range EC2 keeps for a protocol: none for all and numbered protocols, -1 meaning any for ICMP. */
    private static Integer[] ports(String protocol, Integer from, Integer to) {
        switch (protocol) {
            case "tcp", "udp" -> {
                if (from == null || to == null) {
                    throw Ec2Errors.invalidParameterValue(
                            "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.");
                }
                if (from < 0 || to > 65535 || from > to) {
                    throw Ec2Errors.invalidParameterValue("Invalid " + protocol.toUpperCase(Locale.ROOT)
                            + " port range " + from + " to " + to + ".");
                }
                return new Integer[]{from, to};
            }
            case "icmp", "icmpv6" -> {
                int type = from == null ? -1 : from;
                int code = to == null ? -1 : to;
                if (type < -1 || type > 255 || code < -1 || code > 255) {
                    throw Ec2Errors.invalidParameterValue("Invalid ICMP type " + type + " or code " + code + ".");
                }
                return new Integer[]{type, code};
            }
            default -> {
                return new Integer[]{null, null};
            }
        }
    }

    private static <T> List<T> of(List<Rule> bundle, Rule.PeerKind kind, Function<Rule, T> wire) {
        return bundle.stream().filter(r -> r.peer().kind() == kind).map(wire).toList();
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
