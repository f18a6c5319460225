package dev.stevedore.control.elb.listener;

import dev.stevedore.model.elbv2.Listener;
import dev.stevedore.model.elbv2.Tag;

import java.util.List;

/**
 * A stored listener: the wire {@code Listener}, its tags, and the tags of its default rule (which has no
 * record of its own: it is the listener's default actions).
 */
public record ListenerRecord(Listener listener, List<Tag> tags, List<Tag> defaultRuleTags) {
    public ListenerRecord {
        tags = List.copyOf(tags);
        defaultRuleTags = List.copyOf(defaultRuleTags);
    }

    public String arn() {
        return listener.listenerArn();
    }

    public ListenerRecord withListener(Listener next) {
        return new ListenerRecord(next, tags, defaultRuleTags);
    }

    public ListenerRecord withTags(List<Tag> next) {
        return new ListenerRecord(listener, next, defaultRuleTags);
    }

    public ListenerRecord withDefaultRuleTags(List<Tag> next) {
        return new ListenerRecord(listener, tags, next);
    }
}
