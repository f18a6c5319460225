package dev.stevedore.lb.route;

import dev.stevedore.lb.config.Action;
import dev.stevedore.lb.config.Listener;
import dev.stevedore.lb.config.Rule;
import java.util.List;
import java.util.function.Predicate;

/** A listener's rules compiled, in priority order, with its default action last. */
public final class RouteTable {

    private record CompiledRule(List<Predicate<RequestView>> conditions, Action action) {
    }

    private final List<CompiledRule> rules;
    private final Action defaultAction;

    public RouteTable(Listener listener) {
        this.rules = listener.rules().stream()
                .map(rule -> new CompiledRule(rule.conditions().stream().map(CompiledCondition::of).toList(), rule.action()))
                .toList();
        this.defaultAction = listener.defaultAction();
    }

    /** The action of the first rule whose conditions all hold, or the default action. */
    public Action route(RequestView request) {
        for (CompiledRule rule : rules) {
            if (allHold(rule.conditions(), request)) {
                return rule.action();
            }
        }
        return defaultAction;
    }

    /** Whether a rule would match (for tests of the rules themselves). */
    static boolean matches(Rule rule, RequestView request) {
        return allHold(rule.conditions().stream().map(CompiledCondition::of).toList(), request);
    }

    private static boolean allHold(List<Predicate<RequestView>> conditions, RequestView request) {
        for (Predicate<RequestView> condition : conditions) {
            if (!condition.test(request)) {
                return false;
            }
        }
        return true;
    }
}
