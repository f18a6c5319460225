package dev.stevedore.control.elb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.ServiceSpec;
import dev.stevedore.control.access.Conditions;
import dev.stevedore.control.access.RequestList;
import dev.stevedore.control.ecs.EcsScope;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What every ELBv2 operation needs to be allowed, as the Service Authorization Reference for Elastic Load
 * Balancing V2 lists it: {@code elasticloadbalancing:OP} on the ARN of the resource acted on (a creation on
 * the ARN it will have, its id unknown: {@code …/NAME/*}, with {@code aws:RequestTag} and {@code aws:TagKeys}
 * for the tags given), Describe* on {@code *}. The operations not served yet are asked for on {@code *}.
 */
public final class ElbAccessRules {
    private static final String PREFIX = "elasticloadbalancing:";

    private ElbAccessRules() {
    }

    public static Map<String, AccessRule> rules(ServiceSpec spec) {
        Map<String, AccessRule> rules = new TreeMap<>();
        for (String op : spec.operationNames()) {
            rules.put(op, AccessRule.anyResource(PREFIX + op));
        }
        rules.put("CreateLoadBalancer", created("CreateLoadBalancer",
                (arns) -> arns.prefix() + "loadbalancer/app/" + arns.text("Name") + "/*"));
        rules.put("CreateTargetGroup", created("CreateTargetGroup",
                (arns) -> arns.prefix() + "targetgroup/" + arns.text("Name") + "/*"));
        rules.put("CreateListener", on("CreateListener", "LoadBalancerArn"));
        rules.put("CreateRule", on("CreateRule", "ListenerArn"));
        for (String op : List.of("DeleteLoadBalancer", "ModifyLoadBalancerAttributes")) {
            rules.put(op, on(op, "LoadBalancerArn"));
        }
        for (String op : List.of("DeleteTargetGroup", "ModifyTargetGroup", "ModifyTargetGroupAttributes",
                "RegisterTargets", "DeregisterTargets")) {
            rules.put(op, on(op, "TargetGroupArn"));
        }
        for (String op : List.of("ModifyListener", "DeleteListener")) {
            rules.put(op, on(op, "ListenerArn"));
        }
        for (String op : List.of("ModifyRule", "DeleteRule")) {
            rules.put(op, on(op, "RuleArn"));
        }
        rules.put("SetRulePriorities", (ctx, input) -> {
            RequestList requests = new RequestList();
            for (JsonNode pair : input.path("RulePriorities")) {
                requests.add(PREFIX + "SetRulePriorities", pair.path("RuleArn").asText());
            }
            return requests.toListOr(PREFIX + "SetRulePriorities");
        });
        rules.put("AddTags", (ctx, input) -> {
            RequestList requests = new RequestList();
            for (JsonNode arn : input.path("ResourceArns")) {
                requests.add(PREFIX + "AddTags", arn.asText(),
                        Conditions.none().withRequestTags(input.path("Tags"), "Key", "Value"));
            }
            return requests.toListOr(PREFIX + "AddTags");
        });
        rules.put("RemoveTags", (ctx, input) -> {
            RequestList requests = new RequestList();
            List<String> keys = new java.util.ArrayList<>();
            input.path("TagKeys").forEach(k -> keys.add(k.asText()));
            for (JsonNode arn : input.path("ResourceArns")) {
                requests.add(PREFIX + "RemoveTags", arn.asText(), Conditions.none().withAll("aws:TagKeys", keys));
            }
            return requests.toListOr(PREFIX + "RemoveTags");
        });
        return rules;
    }

    private record Input(EcsScope scope, ObjectNode input) {
        String prefix() {
            return ElbArns.prefix(scope);
        }

        String text(String member) {
            return input.path(member).asText("");
        }
    }

    private static AccessRule on(String op, String member) {
        return (ctx, input) -> new RequestList().add(PREFIX + op, input.path(member).asText("*")).toList();
    }

    /** A creation: on what it creates, with the request's tags; tags given also need AddTags on it, as ELB asks. */
    private static AccessRule created(String op, Function<Input, String> resource) {
        return (ctx, input) -> {
            String arn = resource.apply(new Input(EcsScope.of(ctx), input));
            RequestList requests = new RequestList()
                    .add(PREFIX + op, arn, Conditions.none().withRequestTags(input.path("Tags"), "Key", "Value")
                            .with("elasticloadbalancing:CreateAction", op));
            if (!input.path("Tags").isEmpty()) {
                requests.add(PREFIX + "AddTags", arn, Conditions.none().withRequestTags(input.path("Tags"), "Key", "Value")
                        .with("elasticloadbalancing:CreateAction", op));
            }
            return requests.toList();
        };
    }
}
