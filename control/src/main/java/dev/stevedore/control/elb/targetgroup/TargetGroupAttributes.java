package dev.stevedore.control.elb.targetgroup;

import dev.stevedore.control.elb.AttributeSchema;
import dev.stevedore.control.elb.ElbErrors;

import java.util.List;
import java.util.Map;

/** The attributes of an ALB target group of type instance or ip, with ALB's defaults and ranges. */
public final class TargetGroupAttributes {
    public static final String DEREGISTRATION_DELAY = "deregistration_delay.timeout_seconds";

    public static final AttributeSchema SCHEMA = new AttributeSchema("Target group")
            .range(DEREGISTRATION_DELAY, 300, 0, 3600)
            .key("slow_start.duration_seconds", "0",
                    v -> v.equals("0") || AttributeSchema.within(v, 30, 900), "0 or an integer from 30 to 900")
            .oneOf("load_balancing.algorithm.type", "round_robin", "round_robin", "least_outstanding_requests",
                    "weighted_random")
            .oneOf("load_balancing.algorithm.anomaly_mitigation", "off", "on", "off")
            .oneOf("load_balancing.cross_zone.enabled", "use_load_balancer_configuration", "true", "false",
                    "use_load_balancer_configuration")
            .bool("stickiness.enabled", false)
            .oneOf("stickiness.type", "lb_cookie", "lb_cookie", "app_cookie")
            .range("stickiness.lb_cookie.duration_seconds", 86400, 1, 604800)
            .key("stickiness.app_cookie.cookie_name", "", v -> true, "a cookie name")
            .range("stickiness.app_cookie.duration_seconds", 86400, 1, 604800)
            .key("target_group_health.dns_failover.minimum_healthy_targets.count", "1",
                    v -> v.equals("off") || AttributeSchema.within(v, 1, 1000), "'off' or an integer from 1")
            .key("target_group_health.dns_failover.minimum_healthy_targets.percentage", "off",
                    v -> v.equals("off") || AttributeSchema.within(v, 1, 100), "'off' or an integer from 1 to 100")
            .key("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1",
                    v -> AttributeSchema.within(v, 1, 1000), "an integer from 1")
            .key("target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off",
                    v -> v.equals("off") || AttributeSchema.within(v, 1, 100), "'off' or an integer from 1 to 100");

    private TargetGroupAttributes() {
    }

    /** The values set after a Modify, checked key by key and then together. */
    public static Map<String, String> modified(Map<String, String> set, List<Map.Entry<String, String>> changes) {
        Map<String, String> next = SCHEMA.modified(set, changes);
        Map<String, String> effective = SCHEMA.effective(next);
        if (effective.get("load_balancing.algorithm.anomaly_mitigation").equals("on")
                && !effective.get("load_balancing.algorithm.type").equals("weighted_random")) {
            throw ElbErrors.invalidConfiguration(
                    "Anomaly mitigation can only be enabled with the 'weighted_random' load balancing algorithm");
        }
        if (!effective.get("slow_start.duration_seconds").equals("0")
                && effective.get("load_balancing.algorithm.type").equals("weighted_random")) {
            throw ElbErrors.invalidConfiguration(
                    "Slow start cannot be enabled with the 'weighted_random' load balancing algorithm");
        }
        if (effective.get("stickiness.enabled").equals("true") && effective.get("stickiness.type").equals("app_cookie")
                && effective.get("stickiness.app_cookie.cookie_name").isEmpty()) {
            throw ElbErrors.validation("An application cookie name must be specified for 'app_cookie' stickiness");
        }
        return next;
    }

    public static int deregistrationDelaySeconds(Map<String, String> set) {
        return Integer.parseInt(SCHEMA.effective(set).get(DEREGISTRATION_DELAY));
    }
}
