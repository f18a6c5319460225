package dev.stevedore.control.ec2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.control.access.Conditions;
import dev.stevedore.control.access.RequestList;
import dev.stevedore.control.ec2.tags.TagTargets;
import dev.stevedore.control.ecs.EcsScope;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every operation of the EC2 API served here needs to be allowed, as the Service Authorization
 * Reference for Amazon EC2 lists it: creations on {@code TYPE/*} of the type they create (the id is
 * not known before), acts on one resource on its ARN, Describe* on {@code *}.
 *
 * <p>A creation with {@code TagSpecifications} also needs {@code ec2:CreateTags} on what it creates,
 * with {@code ec2:CreateAction} naming it. A security group named by {@code GroupName} (the default
 * VPC's) is asked for as {@code security-group/*}: which group the name means is only known from the
 * store, so only a grant on every group allows it.
 */
public final class Ec2AccessRules {
    private static final String VPC = "vpc";
    private static final String SUBNET = "subnet";
    private static final String SECURITY_GROUP = "security-group";

    private Ec2AccessRules() {
    }

    public static Map<String, AccessRule> rules() {
        Map<String, AccessRule> rules = new TreeMap<>();
        for (String op : List.of("DescribeAvailabilityZones", "DescribeNetworkInterfaces", "DescribeSecurityGroups",
                "DescribeSubnets", "DescribeTags", "DescribeVpcs")) {
            rules.put(op, AccessRule.anyResource("ec2:" + op));
        }
        rules.put("CreateVpc", (ctx, input) -> {
            Arns arns = new Arns(EcsScope.of(ctx));
            RequestList requests = new RequestList();
            created(requests, "CreateVpc", arns.every(VPC), input, Conditions.none());
            return requests.toList();
        });
        rules.put("CreateSubnet", (ctx, input) -> {
            Arns arns = new Arns(EcsScope.of(ctx));
            String vpc = arns.of(VPC, input.path("VpcId").asText());
            RequestList requests = new RequestList();
            created(requests, "CreateSubnet", arns.every(SUBNET), input, Conditions.none().with("ec2:Vpc", vpc));
            requests.add("ec2:CreateSubnet", vpc, Conditions.none().with("ec2:Vpc", vpc));
            return requests.toList();
        });
        rules.put("CreateSecurityGroup", (ctx, input) -> {
            Arns arns = new Arns(EcsScope.of(ctx));
            // Without VpcId the group goes to the default VPC, whose id the rule does not look up.
            String vpc = input.path("VpcId").isTextual() ? arns.of(VPC, input.path("VpcId").asText()) : arns.every(VPC);
            RequestList requests = new RequestList();
            created(requests, "CreateSecurityGroup", arns.every(SECURITY_GROUP), input, Conditions.none().with("ec2:Vpc", vpc));
            requests.add("ec2:CreateSecurityGroup", vpc, Conditions.none().with("ec2:Vpc", vpc));
            return requests.toList();
        });
        rules.put("DeleteVpc", one("ec2:DeleteVpc", VPC, "VpcId"));
        rules.put("DeleteSubnet", one("ec2:DeleteSubnet", SUBNET, "SubnetId"));
        for (String op : List.of("DeleteSecurityGroup", "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
                "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress")) {
            rules.put(op, (ctx, input) -> {
                Arns arns = new Arns(EcsScope.of(ctx));
                JsonNode groupId = input.path("GroupId");
                String group = groupId.isTextual() ? arns.of(SECURITY_GROUP, groupId.asText()) : arns.every(SECURITY_GROUP);
                RequestList requests = new RequestList().add("ec2:" + op, group);
                if (op.startsWith("Authorize") && !input.path("TagSpecifications").isEmpty()) {
                    created(requests, op, arns.every("security-group-rule"), input, Conditions.none());
                }
                return requests.toList();
            });
        }
        rules.put("CreateTags", (ctx, input) -> tagging("ec2:CreateTags", ctx, input,
                Conditions.none().withRequestTags(input.path("Tags"), "Key", "Value")));
        rules.put("DeleteTags", (ctx, input) -> {
            List<String> keys = new ArrayList<>();
            input.path("Tags").forEach(tag -> keys.add(tag.path("Key").asText()));
            return tagging("ec2:DeleteTags", ctx, input,
                    Conditions.none().withAll("aws:TagKeys", keys));
        });
        return Map.copyOf(rules);
    }

    private static AccessRule one(String action, String resourceType, String idMember) {
        return (ctx, input) -> new RequestList()
                .add(action, new Arns(EcsScope.of(ctx)).of(resourceType, input.path(idMember).asText()))
                .toList();
    }

    /**
     * The creating action on {@code created}, with the tags the request puts on it, and when there
     * are any, {@code ec2:CreateTags} on it for that action.
     */
    private static void created(RequestList requests, String operation, String created, ObjectNode input,
                                Conditions conditions) {
        JsonNode tags = requestTags(input);
        requests.add("ec2:" + operation, created, conditions.withRequestTags(tags, "Key", "Value"));
        if (!tags.isEmpty()) {
            requests.add("ec2:CreateTags", created, Conditions.none()
                    .with("ec2:CreateAction", operation)
                    .withRequestTags(tags, "Key", "Value"));
        }
    }

    /** The tags of every tag specification of the request, as one list. */
    private static JsonNode requestTags(ObjectNode input) {
        var tags = input.arrayNode();
        input.path("TagSpecifications").forEach(spec -> spec.path("Tags").forEach(tags::add));
        return tags;
    }

    private static List<AccessRequest> tagging(String action, CallContext ctx, ObjectNode input, Conditions conditions) {
        Arns arns = new Arns(EcsScope.of(ctx));
        RequestList requests = new RequestList();
        input.path("Resources").forEach(id -> requests.add(action, arns.ofId(id.asText()), conditions));
        return requests.toListOr(action);
    }

    /** EC2 ARNs in the caller's account and Region. */
    private record Arns(EcsScope scope) {
        String of(String resourceType, String id) {
            return Ec2Ids.arn(scope, resourceType, id);
        }

        /** Every resource of the type: what a creation, whose id is not known yet, acts on. */
        String every(String resourceType) {
            return Ec2Ids.arn(scope, resourceType, "*");
        }

        /** The ARN of a taggable id, by its prefix; an id of no known kind keeps its prefix as the type. */
        String ofId(String id) {
            return of(TagTargets.resourceTypeOf(id).orElseGet(() -> Ec2Ids.prefixOf(id).orElse("*")), id);
        }
    }
}
