package dev.stevedore.control.elb.targetgroup;

import dev.stevedore.model.elbv2.Tag;
import dev.stevedore.model.elbv2.TargetGroup;

import java.util.List;
import java.util.Map;

/**
 * A stored target group: the wire {@code TargetGroup} without LoadBalancerArns (those follow from the
 * listeners and rules that forward to it), its attributes as set (defaults are not stored) and its tags.
 */
public record TargetGroupRecord(TargetGroup targetGroup, Map<String, String> attributes, List<Tag> tags) {
    public TargetGroupRecord {
        attributes = Map.copyOf(attributes);
        tags = List.copyOf(tags);
    }

    public String arn() {
        return targetGroup.targetGroupArn();
    }

    public String name() {
        return targetGroup.targetGroupName();
    }

    public TargetGroupRecord withTargetGroup(TargetGroup next) {
        return new TargetGroupRecord(next, attributes, tags);
    }

    public TargetGroupRecord withAttributes(Map<String, String> next) {
        return new TargetGroupRecord(targetGroup, next, tags);
    }

    public TargetGroupRecord withTags(List<Tag> next) {
        return new TargetGroupRecord(targetGroup, attributes, next);
    }
}
