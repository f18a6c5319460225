package dev.stevedore.control.secretsmanager;

import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each Secrets Manager operation needs to be allowed, as the Service Authorization Reference
 * lists it: {@code secretsmanager:OPERATION} on the secret's ARN, ListSecrets on {@code *}.
 *
 * <p>A call may name a secret by its name or partial ARN, while policies name the full ARN (or a
 * pattern of it), so the rule reads the one record the name leads to for its ARN: the exception to
 * "rules do not read the store", as with ECS's task definition roles. A secret that does not exist
 * (yet: CreateSecret) is asked for as {@code secret:NAME-??????}, which a policy's {@code NAME-*} or
 * {@code NAME*} matches as it would match the ARN the secret will get.
 */
final class SecretsManagerAccessRules {
    private static final List<String> ON_A_SECRET = List.of("GetSecretValue", "PutSecretValue", "UpdateSecret",
            "DescribeSecret", "DeleteSecret", "RestoreSecret", "TagResource", "UntagResource");

    private SecretsManagerAccessRules() {
    }

    static Map<String, AccessRule> rules(StateStore store, Clock clock) {
        Map<String, AccessRule> rules = new TreeMap<>();
        rules.put("ListSecrets", AccessRule.anyResource("secretsmanager:ListSecrets"));
        rules.put("CreateSecret", (ctx, input) -> List.of(new AccessRequest("secretsmanager:CreateSecret",
                SecretsScope.of(ctx).arnPrefix() + input.path("Name").asText() + "-??????")));
        for (String op : ON_A_SECRET) {
            rules.put(op, (ctx, input) -> {
                SecretsScope scope = SecretsScope.of(ctx);
                String secretId = input.path("SecretId").asText();
                String arn = SecretDirectory.arnOf(store, scope, secretId, clock.instant())
                        .orElseGet(() -> secretId.startsWith("arn:") ? secretId : scope.arnPrefix() + secretId + "-??????");
                return List.of(new AccessRequest("secretsmanager:" + op, arn));
            });
        }
        return rules;
    }
}
