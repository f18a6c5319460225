package dev.stevedore.control.elb.rule;

import dev.stevedore.model.elbv2.Rule;
import dev.stevedore.model.elbv2.Tag;

import java.util.List;

/** A stored (non-default) rule: the wire {@code Rule}, the listener it belongs to, its tags. */
public record RuleRecord(Rule rule, String listenerArn, List<Tag> tags) {
    public RuleRecord {
        tags = List.copyOf(tags);
    }

    public String arn() {
        return rule.ruleArn();
    }

    public int priority() {
        return Integer.parseInt(rule.priority());
    }

    public RuleRecord withRule(Rule next) {
        return new RuleRecord(next, listenerArn, tags);
    }

    public RuleRecord withTags(List<Tag> next) {
        return new RuleRecord(rule, listenerArn, next);
    }
}
