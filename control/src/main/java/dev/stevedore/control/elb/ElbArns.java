package dev.stevedore.control.elb;

import dev.stevedore.control.ecs.EcsScope;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * ELB's ARNs and ids. An application load balancer is {@code …:loadbalancer/app/NAME/ID}, a target group
 * {@code …:targetgroup/NAME/ID}, a listener {@code …:listener/app/LB/LBID/ID}, a rule
 * {@code …:listener-rule/app/LB/LBID/LISTENERID/ID}; ids are 16 hex digits. An ARN is parsed into the names
 * and ids that make its record's key; one of another scope or of another form is empty.
 */
public final class ElbArns {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ElbArns() {
    }

    public record LoadBalancerRef(String name, String id) {
    }

    public record TargetGroupRef(String name, String id) {
    }

    public record ListenerRef(String loadBalancerName, String loadBalancerId, String id) {
        public LoadBalancerRef loadBalancer() {
            return new LoadBalancerRef(loadBalancerName, loadBalancerId);
        }
    }

    public record RuleRef(ListenerRef listener, String id) {
    }

    public static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The id of a listener's default rule: derived from the listener's id so that the rule, which is not
     * stored, has the same ARN every time it is described.
     */
    public static String defaultRuleId(String listenerId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("default-rule:" + listenerId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String prefix(EcsScope s) {
        return "arn:aws:elasticloadbalancing:" + s.region() + ":" + s.accountId() + ":";
    }

    public static String loadBalancer(EcsScope s, String name, String id) {
        return prefix(s) + "loadbalancer/app/" + name + "/" + id;
    }

    public static String targetGroup(EcsScope s, String name, String id) {
        return prefix(s) + "targetgroup/" + name + "/" + id;
    }

    public static String listener(EcsScope s, LoadBalancerRef lb, String id) {
        return prefix(s) + "listener/app/" + lb.name() + "/" + lb.id() + "/" + id;
    }

    public static String rule(EcsScope s, ListenerRef listener, String id) {
        return prefix(s) + "listener-rule/app/" + listener.loadBalancerName() + "/" + listener.loadBalancerId() + "/"
                + listener.id() + "/" + id;
    }

    public static Optional<LoadBalancerRef> parseLoadBalancer(EcsScope s, String arn) {
        return parts(s, arn, "loadbalancer/app/", 2).map(p -> new LoadBalancerRef(p[0], p[1]));
    }

    public static Optional<TargetGroupRef> parseTargetGroup(EcsScope s, String arn) {
        return parts(s, arn, "targetgroup/", 2).map(p -> new TargetGroupRef(p[0], p[1]));
    }

    public static Optional<ListenerRef> parseListener(EcsScope s, String arn) {
        return parts(s, arn, "listener/app/", 3).map(p -> new ListenerRef(p[0], p[1], p[2]));
    }

    public static Optional<RuleRef> parseRule(EcsScope s, String arn) {
        return parts(s, arn, "listener-rule/app/", 4).map(p -> new RuleRef(new ListenerRef(p[0], p[1], p[2]), p[3]));
    }

    private static Optional<String[]> parts(EcsScope s, String arn, String kind, int count) {
        String head = prefix(s) + kind;
        if (arn == null || !arn.startsWith(head)) {
            return Optional.empty();
        }
        String[] parts = arn.substring(head.length()).split("/", -1);
        if (parts.length != count) {
            return Optional.empty();
        }
        for (String part : parts) {
            if (part.isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.of(parts);
    }
}
