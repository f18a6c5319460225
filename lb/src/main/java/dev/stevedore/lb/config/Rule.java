package dev.stevedore.lb.config;

import java.util.List;

/** A listener rule: it matches when every one of its conditions does; the lowest priority that matches wins. */
public record Rule(int priority, List<Condition> conditions, Action action) {

    public Rule {
        conditions = List.copyOf(conditions);
        if (priority < 1 || priority > 50000) {
            throw new IllegalArgumentException("rule priority out of range: " + priority);
        }
    }
}
