package dev.stevedore.lb.config;

import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One HTTP listener: the address and port it accepts on, its rules (evaluated lowest priority first) and the
 * default action taken when none matches.
 */
public record Listener(String address, int port, List<Rule> rules, Action defaultAction) {

    public Listener {
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

    /** The target groups this listener's actions forward to. */
    public Set<String> targetGroupIds() {
        Set<String> ids = new LinkedHashSet<>(defaultAction.targetGroupIds());
        rules.forEach(rule -> ids.addAll(rule.action().targetGroupIds()));
        return ids;
    }
}
