package dev.stevedore.control.elb.listener;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.elb.ElbErrors;
import dev.stevedore.control.elb.ElbKeys;
import dev.stevedore.control.elb.ElbRecords;
import dev.stevedore.control.elb.loadbalancer.LoadBalancerRecord;
import dev.stevedore.control.elb.targetgroup.TargetGroupRecord;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.elbv2.Action;
import dev.stevedore.model.elbv2.FixedResponseActionConfig;
import dev.stevedore.model.elbv2.ForwardActionConfig;
import dev.stevedore.model.elbv2.RedirectActionConfig;
import dev.stevedore.model.elbv2.TargetGroupStickinessConfig;
import dev.stevedore.model.elbv2.TargetGroupTuple;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The actions of a listener or rule as ALB checks and keeps them: one of {@code forward} (a target group, or
 * up to five weighted ones with optional stickiness), {@code fixed-response} or {@code redirect}. A forward
 * is kept in ELB's answered form: ForwardConfig always, TargetGroupArn too when there is one group.
 */
public final class Actions {
    private static final Set<String> CONTENT_TYPES =
            Set.of("text/plain", "text/css", "text/html", "application/javascript", "application/json");

    private Actions() {
    }

    /**
     * The actions checked and normalised. Each target group forwarded to is read (it must exist, be in the load
     * balancer's VPC and be used by no other load balancer) and written back unchanged, so a DeleteTargetGroup
     * that did not see this rule or listener conflicts with it and runs again.
     */
    public static List<Action> checked(StoreTx tx, EcsScope scope, LoadBalancerRecord lb, List<Action> actions) {
        if (actions == null || actions.isEmpty()) {
            throw ElbErrors.validation("At least one action must be specified");
        }
        for (Action action : actions) {
            if (action.type() != null && action.type().startsWith("authenticate-")) {
                throw ElbErrors.notImplemented("the action type '" + action.type() + "'");
            }
            if (action.type() != null && action.type().equals("jwt-validation")) {
                throw ElbErrors.notImplemented("the action type 'jwt-validation'");
            }
        }
        if (actions.size() > 1) {
            throw ElbErrors.validation("Only one action of type 'forward', 'redirect' or 'fixed-response' can be specified");
        }
        Action action = actions.getFirst();
        Action checked = switch (action.type()) {
            case "forward" -> forward(tx, scope, lb, action);
            case "fixed-response" -> fixedResponse(action);
            case "redirect" -> redirect(action);
            default -> throw ElbErrors.validation("Action type '" + action.type() + "' is not valid");
        };
        return List.of(checked);
    }

    private static Action forward(StoreTx tx, EcsScope scope, LoadBalancerRecord lb, Action action) {
        if (action.fixedResponseConfig() != null || action.redirectConfig() != null) {
            throw ElbErrors.validation("A forward action can only have a target group ARN or a forward config");
        }
        ForwardActionConfig config = action.forwardConfig();
        List<TargetGroupTuple> groups;
        if (config == null || config.targetGroups() == null || config.targetGroups().isEmpty()) {
            if (action.targetGroupArn() == null) {
                throw ElbErrors.validation("A target group ARN must be specified for a forward action");
            }
            groups = List.of(new TargetGroupTuple(action.targetGroupArn(), 1));
        } else {
            groups = config.targetGroups().stream()
                    .map(t -> new TargetGroupTuple(t.targetGroupArn(), t.weight() == null ? 1 : t.weight())).toList();
            if (action.targetGroupArn() != null
                    && (groups.size() != 1 || !groups.getFirst().targetGroupArn().equals(action.targetGroupArn()))) {
                throw ElbErrors.validation("You cannot specify both a target group ARN and a forward config with "
                        + "different target groups");
            }
        }
        if (groups.size() > 5) {
            throw ElbErrors.validation("A forward action can have at most 5 target groups");
        }
        Set<String> seen = new HashSet<>();
        for (TargetGroupTuple group : groups) {
            if (group.targetGroupArn() == null) {
                throw ElbErrors.validation("A target group ARN must be specified for each target group of a forward config");
            }
            if (!seen.add(group.targetGroupArn())) {
                throw ElbErrors.validation("Target group '" + group.targetGroupArn() + "' is specified more than once");
            }
            if (group.weight() < 0 || group.weight() > 999) {
                throw ElbErrors.validation("Target group weights must be between 0 and 999");
            }
            TargetGroupRecord tg = ElbRecords.requireTargetGroup(tx, scope, group.targetGroupArn());
            if (!tg.targetGroup().vpcId().equals(lb.loadBalancer().vpcId())) {
                throw ElbErrors.validation("The target group '" + tg.arn() + "' is not in the VPC of load balancer '"
                        + lb.arn() + "'");
            }
            List<String> users = ElbRecords.loadBalancersUsing(tx, scope, tg.arn());
            if (!users.isEmpty() && !users.contains(lb.arn())) {
                throw ElbErrors.of("TargetGroupAssociationLimit",
                        "The following target groups cannot be associated with more than one load balancer: " + tg.arn());
            }
            tx.put(ElbKeys.targetGroup(scope, tg.name()), tg);
        }
        TargetGroupStickinessConfig stickiness = config == null || config.targetGroupStickinessConfig() == null
                ? new TargetGroupStickinessConfig(null, false) : config.targetGroupStickinessConfig();
        if (Boolean.TRUE.equals(stickiness.enabled())) {
            if (stickiness.durationSeconds() == null || stickiness.durationSeconds() < 1
                    || stickiness.durationSeconds() > 604800) {
                throw ElbErrors.validation("The target group stickiness duration must be between 1 and 604800 seconds");
            }
        } else {
            stickiness = new TargetGroupStickinessConfig(null, false);
        }
        return Action.builder().type("forward").order(action.order())
                .targetGroupArn(groups.size() == 1 ? groups.getFirst().targetGroupArn() : null)
                .forwardConfig(new ForwardActionConfig(stickiness, groups))
                .build();
    }

    private static Action fixedResponse(Action action) {
        FixedResponseActionConfig config = action.fixedResponseConfig();
        if (config == null || action.targetGroupArn() != null || action.forwardConfig() != null
                || action.redirectConfig() != null) {
            throw ElbErrors.validation("A fixed-response action must have a fixed-response config and nothing else");
        }
        if (config.contentType() != null && !CONTENT_TYPES.contains(config.contentType())) {
            throw ElbErrors.validation("Content type '" + config.contentType() + "' is not valid");
        }
        return Action.builder().type("fixed-response").order(action.order()).fixedResponseConfig(config).build();
    }

    private static Action redirect(Action action) {
        RedirectActionConfig config = action.redirectConfig();
        if (config == null || action.targetGroupArn() != null || action.forwardConfig() != null
                || action.fixedResponseConfig() != null) {
            throw ElbErrors.validation("A redirect action must have a redirect config and nothing else");
        }
        String protocol = config.protocol() == null ? "#{protocol}" : config.protocol();
        if (!protocol.equals("#{protocol}") && !protocol.equals("HTTP") && !protocol.equals("HTTPS")) {
            throw ElbErrors.validation("Redirect protocol must be 'HTTP', 'HTTPS' or '#{protocol}'");
        }
        String path = config.path() == null ? "/#{path}" : config.path();
        if (!path.startsWith("/")) {
            throw ElbErrors.validation("Redirect path must begin with a '/' character");
        }
        RedirectActionConfig full = new RedirectActionConfig(
                config.host() == null ? "#{host}" : config.host(), path,
                config.port() == null ? "#{port}" : config.port(), protocol,
                config.query() == null ? "#{query}" : config.query(), config.statusCode());
        if (full.host().equals("#{host}") && full.path().equals("/#{path}") && full.port().equals("#{port}")
                && full.protocol().equals("#{protocol}") && full.query().equals("#{query}")) {
            throw ElbErrors.of("InvalidLoadBalancerAction",
                    "The redirect must change at least one of host, path, port, protocol or query");
        }
        return Action.builder().type("redirect").order(action.order()).redirectConfig(full).build();
    }
}
