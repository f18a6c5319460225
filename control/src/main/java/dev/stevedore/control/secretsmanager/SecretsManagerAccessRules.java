package dev.stevedore.control.secretsmanager;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.control.access.Conditions;
import dev.stevedore.model.secretsmanager.Tag;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What each Secrets Manager operation needs to be allowed, as the Service Authorization Reference
 * lists it: {@code secretsmanager:OPERATION} on the secret's ARN, ListSecrets on {@code *}; with the
 * condition keys {@code secretsmanager:SecretId} (the secret's ARN), the secret's tags
 * ({@code secretsmanager:ResourceTag/K} and {@code aws:ResourceTag/K}), CreateSecret's
 * {@code secretsmanager:Name}, the {@code secretsmanager:Description} given, GetSecretValue's
 * {@code secretsmanager:VersionId} and {@code secretsmanager:VersionStage}, and the tags a call
 * adds or removes ({@code aws:RequestTag/K}, {@code aws:TagKeys}).
 *
 * <p>A call may name a secret by its name or partial ARN, while policies name the full ARN (or a
 * pattern of it), so the rule reads the one record the name leads to for its ARN and tags: the
 * exception to "rules do not read the store", as with ECS's task definition roles. A secret that
 * does not exist (yet: CreateSecret) is asked for as {@code secret:NAME-??????}, which a policy's
 * {@code NAME-*} or {@code NAME*} matches as it would match the ARN the secret will get.
 */
final class SecretsManagerAccessRules {
    private static final List<String> ON_A_SECRET = List.of("GetSecretValue", "PutSecretValue", "UpdateSecret",
            "DescribeSecret", "DeleteSecret", "RestoreSecret", "TagResource", "UntagResource");

    private SecretsManagerAccessRules() {
    }

    static Map<String, AccessRule> rules(StateStore store, Clock clock) {
        Map<String, AccessRule> rules = new TreeMap<>();
        rules.put("ListSecrets", AccessRule.anyResource("secretsmanager:ListSecrets"));
        rules.put("CreateSecret", (ctx, input) -> {
            String arn = SecretsScope.of(ctx).arnPrefix() + input.path("Name").asText() + "-??????";
            Conditions conditions = Conditions.none()
                    .with("secretsmanager:Name", input.path("Name").asText())
                    .with("secretsmanager:Description", text(input, "Description"))
                    .withRequestTags(input.path("Tags"), "Key", "Value");
            return List.of(new AccessRequest("secretsmanager:CreateSecret", arn, conditions.toMap()));
        });
        for (String op : ON_A_SECRET) {
            rules.put(op, (ctx, input) -> {
                Conditions conditions = Conditions.none();
                String arn = onTheSecret(store, clock, ctx, input, conditions);
                switch (op) {
                    case "GetSecretValue" -> conditions.with("secretsmanager:VersionId", text(input, "VersionId"))
                            .with("secretsmanager:VersionStage", text(input, "VersionStage"));
                    case "UpdateSecret" -> conditions.with("secretsmanager:Description", text(input, "Description"));
                    case "TagResource" -> conditions.withRequestTags(input.path("Tags"), "Key", "Value");
                    case "UntagResource" -> conditions.withAll("aws:TagKeys",
                            texts(input.path("TagKeys")));
                    default -> { }
                }
                return List.of(new AccessRequest("secretsmanager:" + op, arn, conditions.toMap()));
            });
        }
        return rules;
    }

    /** The ARN of the secret the call names, its id and tags added to {@code conditions}. */
    private static String onTheSecret(StateStore store, Clock clock, CallContext ctx, ObjectNode input,
                                      Conditions conditions) {
        SecretsScope scope = SecretsScope.of(ctx);
        String secretId = input.path("SecretId").asText();
        Optional<SecretRecord> secret = SecretDirectory.peek(store, scope, secretId, clock.instant());
        String arn = secret.map(SecretRecord::arn)
                .orElseGet(() -> secretId.startsWith("arn:") ? secretId : scope.arnPrefix() + secretId + "-??????");
        conditions.with("secretsmanager:SecretId", arn);
        for (Tag tag : secret.map(SecretRecord::tags).orElse(List.of())) {
            conditions.with("secretsmanager:ResourceTag/" + tag.key(), tag.value());
            conditions.with("aws:ResourceTag/" + tag.key(), tag.value());
        }
        return arn;
    }

    private static List<String> texts(com.fasterxml.jackson.databind.JsonNode list) {
        List<String> out = new java.util.ArrayList<>();
        list.forEach(item -> out.add(item.asText()));
        return out;
    }

    private static String text(ObjectNode input, String member) {
        return input.has(member) ? input.path(member).asText() : null;
    }
}
