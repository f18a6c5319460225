package dev.stevedore.server.lb;

import dev.stevedore.control.elb.TargetRef;
import dev.stevedore.control.elb.snapshot.ElbSnapshot;
import dev.stevedore.control.elb.snapshot.ElbSnapshot.LoadBalancerView;
import dev.stevedore.control.elb.snapshot.ElbSnapshot.ListenerView;
import dev.stevedore.control.elb.snapshot.ElbSnapshot.RuleView;
import dev.stevedore.control.elb.snapshot.ElbSnapshot.TargetGroupView;
import dev.stevedore.control.elb.targetgroup.HealthCheckSettings;
import dev.stevedore.lb.config.Action;
import dev.stevedore.lb.config.Condition;
import dev.stevedore.lb.config.HealthCheck;
import dev.stevedore.lb.config.Listener;
import dev.stevedore.lb.config.ProxyConfig;
import dev.stevedore.lb.config.Rule;
import dev.stevedore.lb.config.Target;
import dev.stevedore.lb.config.TargetGroup;
import dev.stevedore.model.elbv2.RuleCondition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The ELB records of the store, as the data plane serves them: a pure translation of an {@link ElbSnapshot}
 * into a {@link ProxyConfig}. Target groups are known to the data plane by their ARN; a target of type
 * {@code ip} is reached at its address, one of type {@code instance} at the address its instance is reached
 * at ({@link #host}).
 */
final class ProxyConfigs {

    private ProxyConfigs() {
    }

    /**
     * Where the data plane reaches an instance target's host port. Stevedore's hosts publish container ports
     * on every address of their host; the agents of one machine are all reached on loopback.
     */
    static final String INSTANCE_HOST = "127.0.0.1";

    static ProxyConfig of(ElbSnapshot snapshot) {
        Map<String, TargetGroup> groups = new HashMap<>();
        for (TargetGroupView group : snapshot.targetGroups()) {
            groups.put(group.arn(), targetGroup(group));
        }
        List<Listener> listeners = new ArrayList<>();
        for (LoadBalancerView lb : snapshot.loadBalancers()) {
            for (ListenerView listener : lb.listeners()) {
                listeners.add(listener(lb.address(), listener, idleTimeout(lb)));
            }
        }
        return new ProxyConfig(listeners, groups);
    }

    /** The host the data plane sends a target's requests to, when the snapshot has its group. */
    static java.util.Optional<String> host(ElbSnapshot snapshot, String targetGroupArn, TargetRef target) {
        return snapshot.targetGroup(targetGroupArn).map(group -> host(group.targetType(), target));
    }

    /** The host the data plane sends a target's requests to. */
    static String host(String targetType, TargetRef target) {
        return targetType.equals("instance") ? INSTANCE_HOST : target.id();
    }

    private static TargetGroup targetGroup(TargetGroupView view) {
        // Two registrations can name one address: instance targets of two agents of this machine are both
        // reached on loopback, and a host port freed by a draining task may be taken by a new one. The data
        // plane holds one target per address; a registered one wins over a draining one.
        Map<String, Target> byAddress = new LinkedHashMap<>();
        for (ElbSnapshot.TargetView registration : view.targets()) {
            Target target = new Target(host(view.targetType(), registration.target()), registration.target().port(),
                    registration.isDraining());
            byAddress.merge(target.host() + ":" + target.port(), target, (a, b) -> a.draining() ? b : a);
        }
        List<Target> targets = List.copyOf(byAddress.values());
        Map<String, String> attributes = view.attributes();
        TargetGroup.Algorithm algorithm = "least_outstanding_requests".equals(
                attributes.get("load_balancing.algorithm.type"))
                ? TargetGroup.Algorithm.LEAST_OUTSTANDING_REQUESTS : TargetGroup.Algorithm.ROUND_ROBIN;
        return new TargetGroup(view.arn(), targets, healthCheck(view.healthCheck()), algorithm,
                Duration.ofSeconds(seconds(attributes, "slow_start.duration_seconds")),
                Duration.ofSeconds(view.deregistrationDelaySeconds()));
    }

    /** The load balancer's {@code idle_timeout.timeout_seconds}, which all its listeners share. */
    private static Duration idleTimeout(LoadBalancerView lb) {
        String seconds = lb.attributes().get("idle_timeout.timeout_seconds");
        return seconds == null ? Listener.DEFAULT_IDLE_TIMEOUT : Duration.ofSeconds(Long.parseLong(seconds));
    }

    private static long seconds(Map<String, String> attributes, String key) {
        String value = attributes.get(key);
        return value == null ? 0 : Long.parseLong(value);
    }

    private static HealthCheck healthCheck(HealthCheckSettings settings) {
        OptionalInt port = settings.port().equals("traffic-port")
                ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(settings.port()));
        return new HealthCheck(true, settings.path(), port, Duration.ofSeconds(settings.intervalSeconds()),
                Duration.ofSeconds(settings.timeoutSeconds()), settings.healthyThreshold(),
                settings.unhealthyThreshold(), settings.httpCode());
    }

    private static Listener listener(String address, ListenerView view, Duration idleTimeout) {
        List<Rule> rules = new ArrayList<>();
        Action defaultAction = null;
        for (RuleView rule : view.rules()) {
            Action action = action(rule.actions());
            if (rule.isDefault()) {
                defaultAction = action;
            } else {
                rules.add(new Rule(rule.priority().orElseThrow(),
                        rule.conditions().stream().map(ProxyConfigs::condition).toList(), action));
            }
        }
        if (defaultAction == null) {
            throw new IllegalStateException("listener " + view.arn() + " has no default rule");
        }
        return new Listener(address, view.port(), rules, defaultAction, idleTimeout);
    }

    /** The rule's action that ends it: ELB's snapshot gives one forward, fixed-response or redirect. */
    private static Action action(List<dev.stevedore.model.elbv2.Action> actions) {
        dev.stevedore.model.elbv2.Action last = actions.get(actions.size() - 1);
        return switch (last.type()) {
            case "forward" -> new Action.Forward(last.forwardConfig().targetGroups().stream()
                    .map(t -> new Action.WeightedGroup(t.targetGroupArn(), t.weight() == null ? 1 : t.weight()))
                    .toList(), stickiness(last.forwardConfig().targetGroupStickinessConfig()));
            case "fixed-response" -> new Action.FixedResponse(
                    Integer.parseInt(last.fixedResponseConfig().statusCode()),
                    orEmpty(last.fixedResponseConfig().contentType()), orEmpty(last.fixedResponseConfig().messageBody()));
            case "redirect" -> {
                var r = last.redirectConfig();
                yield new Action.Redirect(r.protocol(), r.host(), r.port(), r.path(), r.query(),
                        r.statusCode().equals("HTTP_302") ? 302 : 301);
            }
            default -> throw new IllegalStateException("action type " + last.type() + " is not served");
        };
    }

    private static Duration stickiness(dev.stevedore.model.elbv2.TargetGroupStickinessConfig config) {
        if (config == null || !Boolean.TRUE.equals(config.enabled())) {
            return Duration.ZERO;
        }
        return Duration.ofSeconds(config.durationSeconds() == null ? 3600 : config.durationSeconds());
    }

    private static Condition condition(RuleCondition c) {
        return switch (c.field()) {
            case "path-pattern" -> new Condition.PathPattern(c.pathPatternConfig() != null
                    ? c.pathPatternConfig().values() : c.values());
            case "host-header" -> new Condition.HostHeader(c.hostHeaderConfig() != null
                    ? c.hostHeaderConfig().values() : c.values());
            case "http-header" -> new Condition.HttpHeader(c.httpHeaderConfig().httpHeaderName(),
                    c.httpHeaderConfig().values());
            case "http-request-method" -> new Condition.HttpRequestMethod(c.httpRequestMethodConfig().values());
            case "query-string" -> new Condition.QueryString(c.queryStringConfig().values().stream()
                    .map(kv -> new Condition.KeyValue(orEmpty(kv.key()), kv.value())).toList());
            case "source-ip" -> new Condition.SourceIp(c.sourceIpConfig().values());
            default -> throw new IllegalStateException("condition field " + c.field() + " is not served");
        };
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
