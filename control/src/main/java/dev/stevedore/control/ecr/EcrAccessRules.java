package dev.stevedore.control.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.control.access.Conditions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each ECR operation needs to be allowed, as the Service Authorization Reference lists it:
 * {@code ecr:OPERATION} on the repository's ARN (the one {@code repositoryName} names, or the
 * {@code resourceArn} of the tag operations); GetAuthorizationToken on {@code *}, DescribeRepositories
 * without names (and the registry-wide operations) on {@code repository/*}; with the tags a call adds ({@code aws:RequestTag/K}) or removes ({@code aws:TagKeys}).
 */
final class EcrAccessRules {
    private EcrAccessRules() {
    }

    static Map<String, AccessRule> rules(Collection<String> operations) {
        Map<String, AccessRule> rules = new TreeMap<>();
        for (String op : operations) {
            String action = "ecr:" + op;
            rules.put(op, (ctx, input) -> {
                EcrScope scope = EcrScope.of(ctx);
                Conditions conditions = Conditions.none();
                if (input.has("tags")) {
                    conditions.withRequestTags(input.path("tags"), "Key", "Value");
                }
                if (input.has("tagKeys")) {
                    conditions.withAll("aws:TagKeys", texts(input.path("tagKeys")));
                }
                List<String> resources = new ArrayList<>();
                if (input.hasNonNull("resourceArn")) {
                    resources.add(input.path("resourceArn").asText());
                } else if (input.hasNonNull("repositoryName")) {
                    resources.add(scope.repositoryArn(input.path("repositoryName").asText()));
                } else if (input.path("repositoryNames").isArray() && !input.path("repositoryNames").isEmpty()) {
                    input.path("repositoryNames").forEach(n -> resources.add(scope.repositoryArn(n.asText())));
                } else if (op.equals("GetAuthorizationToken")) {
                    resources.add("*");
                } else {
                    // A listing of every repository: a policy naming repository/* (or *) allows it.
                    resources.add(scope.repositoryArn("*"));
                }
                return resources.stream().map(arn -> new AccessRequest(action, arn, conditions.toMap())).toList();
            });
        }
        return rules;
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(item -> out.add(item.asText()));
        return out;
    }
}
