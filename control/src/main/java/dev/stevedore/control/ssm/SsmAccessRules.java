package dev.stevedore.control.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.CallContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What each Parameter Store operation needs, after the Service Authorization Reference for Systems
 * Manager: the action named like the operation, on the parameter's ARN (for a path, the path's ARN);
 * DescribeParameters names no resource. A {@code name:version} selector is authorized on the name.
 */
final class SsmAccessRules {
    private SsmAccessRules() {
    }

    static Map<String, AccessRule> rules() {
        return Map.ofEntries(
                Map.entry("PutParameter", (ctx, in) -> List.of(new AccessRequest("ssm:PutParameter",
                        arn(ctx, in.path("Name").asText()), flag("ssm:Overwrite", in.get("Overwrite"))))),
                Map.entry("GetParameter", one("ssm:GetParameter", "Name")),
                Map.entry("GetParameters", each("ssm:GetParameters", "Names")),
                Map.entry("GetParametersByPath", (ctx, in) -> List.of(new AccessRequest("ssm:GetParametersByPath",
                        arn(ctx, in.path("Path").asText()), flag("ssm:Recursive", in.get("Recursive"))))),
                Map.entry("GetParameterHistory", one("ssm:GetParameterHistory", "Name")),
                Map.entry("DeleteParameter", one("ssm:DeleteParameter", "Name")),
                Map.entry("DeleteParameters", each("ssm:DeleteParameters", "Names")),
                Map.entry("DescribeParameters", AccessRule.anyResource("ssm:DescribeParameters")),
                Map.entry("AddTagsToResource", one("ssm:AddTagsToResource", "ResourceId")),
                Map.entry("RemoveTagsFromResource", one("ssm:RemoveTagsFromResource", "ResourceId")),
                Map.entry("ListTagsForResource", one("ssm:ListTagsForResource", "ResourceId")));
    }

    private static AccessRule one(String action, String member) {
        return (ctx, in) -> List.of(new AccessRequest(action, arn(ctx, in.path(member).asText())));
    }

    private static AccessRule each(String action, String member) {
        return (CallContext ctx, ObjectNode in) -> {
            List<AccessRequest> requests = new ArrayList<>();
            in.path(member).forEach(name -> requests.add(new AccessRequest(action, arn(ctx, name.asText()))));
            return requests;
        };
    }

    private static Map<String, List<String>> flag(String conditionKey, JsonNode value) {
        return value == null ? Map.of() : Map.of(conditionKey, List.of(String.valueOf(value.asBoolean())));
    }

    private static String arn(CallContext ctx, String nameOrSelector) {
        String name = Selector.parse(nameOrSelector).map(Selector::name).orElse(nameOrSelector);
        // An ARN names itself, even another account's: IAM then decides on what was asked for.
        return name.startsWith(ParameterArn.PREFIX) ? name : new ParameterName(name).arn(SsmScope.of(ctx));
    }
}
