package dev.stevedore.lb.config;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One HTTP listener: the address and port it accepts on, its rules (evaluated lowest priority first) and the
 * default action taken when none matches.
 *
 * @param idleTimeout its load balancer's {@code idle_timeout.timeout_seconds}: how long a client connection
 *     may sit between requests, and a target stay silent on a request (then 504), before it is given up
 */
public record Listener(String address, int port, List<Rule> rules, Action defaultAction, Duration idleTimeout) {

    /** ALB's default {@code idle_timeout.timeout_seconds}. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    public Listener {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive: " + idleTimeout);
        }
        if (address.isBlank()) {
            throw new IllegalArgumentException("listener address is blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("listener port out of range: " + port);
        }
        rules = rules.stream().sorted(Comparator.comparingInt(Rule::priority)).toList();
        Set<Integer> priorities = new HashSet<>();
        for (Rule rule : rules) {
            if (!priorities.add(rule.priority())) {
                throw new IllegalArgumentException("two rules with priority " + rule.priority() + " on port " + port);
            }
        }
    }

    public Listener(String address, int port, List<Rule> rules, Action defaultAction) {
        this(address, port, rules, defaultAction, DEFAULT_IDLE_TIMEOUT);
    }

    public Listener withIdleTimeout(Duration timeout) {
        return new Listener(address, port, rules, defaultAction, timeout);
    }

    /** The target groups this listener's actions forward to. */
    public Set<String> targetGroupIds() {
        Set<String> ids = new LinkedHashSet<>(defaultAction.targetGroupIds());
        rules.forEach(rule -> ids.addAll(rule.action().targetGroupIds()));
        return ids;
    }
}
