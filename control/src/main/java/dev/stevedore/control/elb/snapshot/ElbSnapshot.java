package dev.stevedore.control.elb.snapshot;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.elb.TargetRef;
import dev.stevedore.control.elb.targetgroup.HealthCheckSettings;
import dev.stevedore.model.elbv2.Action;
import dev.stevedore.model.elbv2.RuleCondition;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole load balancer configuration of the store at one revision, as the data plane needs it: every load
 * balancer with its address, listeners and their rules in evaluation order, and every target group with its
 * health check, attributes and targets. Read by {@link ElbSnapshots#read}.
 *
 * @param revision the store revision before the snapshot was read: it reflects this revision or a later one (watch {@link dev.stevedore.control.elb.ElbKeys#ROOT}
 *     from the next one to know when to read again)
 */
public record ElbSnapshot(long revision, List<LoadBalancerView> loadBalancers, List<TargetGroupView> targetGroups) {
    public ElbSnapshot {
        loadBalancers = List.copyOf(loadBalancers);
        targetGroups = List.copyOf(targetGroups);
    }

    public Optional<TargetGroupView> targetGroup(String arn) {
        return targetGroups.stream().filter(tg -> tg.arn().equals(arn)).findFirst();
    }

    /**
     * @param address the loopback address the load balancer is served on (also its DNSName)
     * @param attributes every attribute, defaults filled in
     */
    public record LoadBalancerView(EcsScope scope, String arn, String name, String address, String scheme,
                                   Map<String, String> attributes, List<ListenerView> listeners) {
        public LoadBalancerView {
            attributes = Map.copyOf(attributes);
            listeners = List.copyOf(listeners);
        }
    }

    /** @param rules by priority, the default rule last */
    public record ListenerView(String arn, int port, String protocol, List<RuleView> rules) {
        public ListenerView {
            rules = List.copyOf(rules);
        }
    }

    /**
     * @param priority 1 to 50000; empty for the default rule
     * @param conditions ELB's answered form (a config for each, Values too for path-pattern and host-header); none
     *     for the default rule
     * @param actions one forward (ForwardConfig always set, weights filled), fixed-response or redirect (every
     *     part filled, {@code #{…}} keeping the request's)
     */
    public record RuleView(String arn, Optional<Integer> priority, List<RuleCondition> conditions, List<Action> actions) {
        public RuleView {
            conditions = List.copyOf(conditions);
            actions = List.copyOf(actions);
        }

        public boolean isDefault() {
            return priority.isEmpty();
        }
    }

    /** @param attributes every attribute, defaults filled in */
    public record TargetGroupView(EcsScope scope, String arn, String name, String protocol, int port, String targetType,
                                  HealthCheckSettings healthCheck, Map<String, String> attributes,
                                  List<TargetView> targets) {
        public TargetGroupView {
            attributes = Map.copyOf(attributes);
            targets = List.copyOf(targets);
        }

        public int deregistrationDelaySeconds() {
            return Integer.parseInt(attributes.get("deregistration_delay.timeout_seconds"));
        }
    }

    /**
     * A registered target, or a draining one (its deregistration delay not over yet by the snapshot's clock): the
     * data plane sends a draining target no new request.
     */
    public record TargetView(TargetRef target, Optional<Instant> drainingSince) {
        public boolean isDraining() {
            return drainingSince.isPresent();
        }
    }
}
