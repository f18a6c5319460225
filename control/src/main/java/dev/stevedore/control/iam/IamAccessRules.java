package dev.stevedore.control.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.control.access.Conditions;
import dev.stevedore.control.access.RequestList;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * What every operation of the IAM API needs to be allowed, as the Service Authorization Reference for
 * IAM lists it: users, roles, instance profiles and policies by their ARN
 * ({@code arn:aws:iam::ACCOUNT:user/PATH/NAME}), List* of a whole kind on {@code *} (or on every
 * instance profile under the path prefix, the one List* IAM restricts by resource).
 *
 * <p>A call that names an entity by name alone is asked for on the name at the path {@code /}: the
 * rule does not read the store, so a user or role created under another path is authorized as if it
 * were at the root path. The calls whose user is optional act on the caller when it is left out.
 * Creating with tags also needs the matching {@code iam:Tag*} action, as IAM asks.
 */
public final class IamAccessRules {

    private IamAccessRules() {
    }

    public static Map<String, AccessRule> rules() {
        Map<String, AccessRule> rules = new TreeMap<>();
        BiConsumer<String, BiConsumer<Call, String>> declare = (op, declaration) -> rules.put(op, (ctx, input) -> {
            Call call = new Call(ctx, input);
            String action = "iam:" + op;
            declaration.accept(call, action);
            return call.requests.toListOr(action);
        });

        for (String op : List.of("ListUsers", "ListRoles", "ListPolicies")) {
            rules.put(op, AccessRule.anyResource("iam:" + op));
        }

        // Users.
        declare.accept("CreateUser", (c, action) -> {
            String user = c.arn("user", c.path("Path"), c.text("UserName"));
            c.requests.add(action, user, c.boundary().withRequestTags(c.tags(), "Key", "Value"));
            c.tagOnCreate("iam:TagUser", user);
        });
        declare.accept("UpdateUser", (c, action) -> {
            c.requests.add(action, c.user("UserName"));
            // Renaming or moving a user needs the action on what it becomes too.
            if (c.input.has("NewUserName") || c.input.has("NewPath")) {
                c.requests.add(action, c.arn("user", c.path("NewPath"),
                        c.input.has("NewUserName") ? c.text("NewUserName") : c.text("UserName")));
            }
        });
        for (String op : List.of("DeleteUser", "GetUser", "CreateAccessKey", "DeleteAccessKey", "UpdateAccessKey",
                "ListAccessKeys", "PutUserPolicy", "GetUserPolicy", "DeleteUserPolicy", "ListUserPolicies",
                "ListAttachedUserPolicies", "ListUserTags")) {
            declare.accept(op, (c, action) -> c.requests.add(action, c.user("UserName")));
        }
        // The key's owner is only known from the store: only a grant on every user allows it.
        declare.accept("GetAccessKeyLastUsed", (c, action) -> c.requests.add(action, c.arn("user", "/", "*")));

        // Roles.
        declare.accept("CreateRole", (c, action) -> {
            String role = c.arn("role", c.path("Path"), c.text("RoleName"));
            c.requests.add(action, role, c.boundary().withRequestTags(c.tags(), "Key", "Value"));
            c.tagOnCreate("iam:TagRole", role);
        });
        for (String op : List.of("DeleteRole", "GetRole", "UpdateRole", "UpdateAssumeRolePolicy", "PutRolePolicy",
                "GetRolePolicy", "DeleteRolePolicy", "ListRolePolicies", "ListAttachedRolePolicies", "ListRoleTags",
                "ListInstanceProfilesForRole")) {
            declare.accept(op, (c, action) -> c.requests.add(action, c.role()));
        }

        // Attachments, tags.
        for (String op : List.of("AttachUserPolicy", "DetachUserPolicy")) {
            declare.accept(op, (c, action) -> c.requests.add(action, c.user("UserName"),
                    Conditions.none().with("iam:PolicyARN", c.text("PolicyArn"))));
        }
        for (String op : List.of("AttachRolePolicy", "DetachRolePolicy")) {
            declare.accept(op, (c, action) -> c.requests.add(action, c.role(),
                    Conditions.none().with("iam:PolicyARN", c.text("PolicyArn"))));
        }
        declare.accept("TagUser", (c, action) -> c.requests.add(action, c.user("UserName"),
                Conditions.none().withRequestTags(c.tags(), "Key", "Value")));
        declare.accept("TagRole", (c, action) -> c.requests.add(action, c.role(),
                Conditions.none().withRequestTags(c.tags(), "Key", "Value")));
        declare.accept("UntagUser", (c, action) -> c.requests.add(action, c.user("UserName"),
                Conditions.none().withAll("aws:TagKeys", c.texts("TagKeys"))));
        declare.accept("UntagRole", (c, action) -> c.requests.add(action, c.role(),
                Conditions.none().withAll("aws:TagKeys", c.texts("TagKeys"))));

        // Managed policies.
        declare.accept("CreatePolicy", (c, action) -> {
            String policy = c.arn("policy", c.path("Path"), c.text("PolicyName"));
            c.requests.add(action, policy, Conditions.none().withRequestTags(c.tags(), "Key", "Value"));
            c.tagOnCreate("iam:TagPolicy", policy);
        });
        for (String op : List.of("GetPolicy", "DeletePolicy", "CreatePolicyVersion", "GetPolicyVersion",
                "DeletePolicyVersion", "SetDefaultPolicyVersion", "ListPolicyVersions", "ListEntitiesForPolicy")) {
            declare.accept(op, (c, action) -> c.requests.add(action, c.text("PolicyArn")));
        }

        // Instance profiles.
        declare.accept("CreateInstanceProfile", (c, action) -> {
            String profile = c.arn("instance-profile", c.path("Path"), c.text("InstanceProfileName"));
            c.requests.add(action, profile, Conditions.none().withRequestTags(c.tags(), "Key", "Value"));
            c.tagOnCreate("iam:TagInstanceProfile", profile);
        });
        for (String op : List.of("DeleteInstanceProfile", "GetInstanceProfile", "RemoveRoleFromInstanceProfile")) {
            declare.accept(op, (c, action) -> c.requests.add(action, c.instanceProfile()));
        }
        // Putting a role in a profile hands it to whatever runs with the profile: IAM asks for PassRole.
        declare.accept("AddRoleToInstanceProfile", (c, action) -> c.requests
                .add(action, c.instanceProfile())
                .add("iam:PassRole", c.role()));
        declare.accept("ListInstanceProfiles", (c, action) ->
                c.requests.add(action, c.arn("instance-profile", c.path("PathPrefix"), "*")));
        return Map.copyOf(rules);
    }

    /** One call being declared: its input and the requests gathered so far. */
    private static final class Call {
        final CallContext ctx;
        final ObjectNode input;
        final RequestList requests = new RequestList();

        Call(CallContext ctx, ObjectNode input) {
            this.ctx = ctx;
            this.input = input;
        }

        String text(String member) {
            return input.path(member).asText("");
        }

        List<String> texts(String member) {
            List<String> values = new ArrayList<>();
            input.path(member).forEach(value -> values.add(value.asText()));
            return values;
        }

        /** A path member; IAM's default is {@code /}. */
        String path(String member) {
            return input.path(member).isTextual() ? input.path(member).asText() : "/";
        }

        JsonNode tags() {
            return input.path("Tags");
        }

        /** {@code arn:aws:iam::ACCOUNT:TYPE/PATH/NAME}: IAM ARNs have no Region, and the path keeps its slashes. */
        String arn(String resourceType, String path, String name) {
            return "arn:aws:iam::" + ctx.principal().accountId() + ":" + resourceType + path + name;
        }

        /** The user a member names; the caller itself when the member is left out, as IAM reads it. */
        String user(String member) {
            return input.path(member).isTextual() ? arn("user", "/", text(member)) : ctx.principal().arn();
        }

        String role() {
            return arn("role", "/", text("RoleName"));
        }

        String instanceProfile() {
            return arn("instance-profile", "/", text("InstanceProfileName"));
        }

        /** {@code iam:PermissionsBoundary} when the request sets one. */
        Conditions boundary() {
            Conditions conditions = Conditions.none();
            if (input.path("PermissionsBoundary").isTextual()) {
                conditions.with("iam:PermissionsBoundary", text("PermissionsBoundary"));
            }
            return conditions;
        }

        void tagOnCreate(String tagAction, String created) {
            if (!tags().isEmpty()) {
                requests.add(tagAction, created, Conditions.none().withRequestTags(tags(), "Key", "Value"));
            }
        }
    }
}
