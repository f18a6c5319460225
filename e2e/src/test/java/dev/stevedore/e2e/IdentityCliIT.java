package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IAM, STS and authorization through the real AWS CLI v2: the root makes users, roles and policies;
 * the users' own keys and assumed roles' temporary credentials are then allowed exactly what their
 * policies say, by the same server, for ECS as for IAM. Each test makes its own users and roles (a
 * random suffix), so the tests share one server without depending on each other.
 */
class IdentityCliIT {
    static InProcessStevedore stevedore;
    static AwsCli root;

    @BeforeAll
    static void start() {
        stevedore = InProcessStevedore.start();
        root = new AwsCli(stevedore.plane.endpoint());
    }

    @AfterAll
    static void stop() {
        stevedore.close();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String allow(String action, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":" + action
                + ",\"Resource\":\"" + resource + "\"}]}";
    }

    /** A user with one inline policy and an access key; the CLI signing as that user. */
    private static AwsCli userWith(String name, String policy) {
        root.ok("iam", "create-user", "--user-name", name);
        root.ok("iam", "put-user-policy", "--user-name", name, "--policy-name", "only", "--policy-document", policy);
        JsonNode key = root.ok("iam", "create-access-key", "--user-name", name).path("AccessKey");
        return root.as(key.path("AccessKeyId").asText(), key.path("SecretAccessKey").asText(), Optional.empty());
    }

    @Test
    void aUserAllowedOnlyEcsDescribeAndListIsDeniedRunTaskInAwsWords() {
        String name = unique("reader");
        AwsCli reader = userWith(name, allow("[\"ecs:Describe*\",\"ecs:List*\"]", "*"));

        JsonNode me = reader.ok("sts", "get-caller-identity");
        assertThat(me.path("Arn").asText()).isEqualTo("arn:aws:iam::" + InProcessStevedore.ACCOUNT + ":user/" + name);
        assertThat(me.path("UserId").asText()).matches("AIDA[A-Z0-9]{17}");
        assertThat(reader.ok("ecs", "list-clusters").path("clusterArns").toString()).contains("cluster/default");

        String denied = reader.fails("AccessDeniedException", "ecs", "run-task", "--task-definition", "web");
        assertThat(denied).contains("User: arn:aws:iam::" + InProcessStevedore.ACCOUNT + ":user/" + name
                + " is not authorized to perform: ecs:RunTask on resource: ")
                .contains("because no identity-based policy allows the ecs:RunTask action");
        reader.fails("AccessDeniedException", "ecs", "create-cluster", "--cluster-name", unique("nope"));
        // IAM itself is denied the same way, in the Query protocol's code.
        reader.fails("AccessDenied", "iam", "create-user", "--user-name", unique("x"));
    }

    @Test
    void anExplicitDenyBeatsAnAllow() {
        String cluster = unique("keep");
        root.ok("ecs", "create-cluster", "--cluster-name", cluster);
        AwsCli user = userWith(unique("denied"), "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"ecs:DeleteCluster\",\"Resource\":\"*\"}]}");

        String stderr = user.fails("AccessDeniedException", "ecs", "delete-cluster", "--cluster", cluster);
        assertThat(stderr).contains("with an explicit deny in an identity-based policy");
        assertThat(root.ok("ecs", "describe-clusters", "--clusters", cluster).at("/clusters/0/status").asText())
                .isEqualTo("ACTIVE");
        String other = unique("made");
        user.ok("ecs", "create-cluster", "--cluster-name", other);
        assertThat(root.ok("ecs", "describe-clusters", "--clusters", other).at("/clusters/0/status").asText())
                .isEqualTo("ACTIVE");
    }

    @Test
    void aRoleIsAssumedOnlyByWhomItsTrustPolicyNamesAndItsSessionHasTheRolesPermissions() {
        String trusted = unique("trusted");
        AwsCli alice = userWith(trusted, allow("\"sts:AssumeRole\"", "*"));
        AwsCli mallory = userWith(unique("other"), allow("\"sts:AssumeRole\"", "*"));
        String roleName = unique("lister");
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::" + InProcessStevedore.ACCOUNT + ":user/" + trusted + "\"},\"Action\":\"sts:AssumeRole\"}]}";
        String roleArn = root.ok("iam", "create-role", "--role-name", roleName, "--assume-role-policy-document", trust)
                .at("/Role/Arn").asText();
        root.ok("iam", "put-role-policy", "--role-name", roleName, "--policy-name", "list",
                "--policy-document", allow("\"ecs:ListClusters\"", "*"));

        String refused = mallory.fails("AccessDenied", "sts", "assume-role", "--role-arn", roleArn,
                "--role-session-name", "s1");
        assertThat(refused).contains("is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
        root.fails("AccessDenied", "sts", "assume-role", "--role-arn", roleArn, "--role-session-name", "s1");

        JsonNode assumed = alice.ok("sts", "assume-role", "--role-arn", roleArn, "--role-session-name", "s1");
        JsonNode credentials = assumed.path("Credentials");
        assertThat(credentials.path("AccessKeyId").asText()).startsWith("ASIA");
        AwsCli session = root.as(credentials.path("AccessKeyId").asText(), credentials.path("SecretAccessKey").asText(),
                Optional.of(credentials.path("SessionToken").asText()));
        JsonNode me = session.ok("sts", "get-caller-identity");
        assertThat(me.path("Arn").asText()).isEqualTo("arn:aws:sts::" + InProcessStevedore.ACCOUNT + ":assumed-role/"
                + roleName + "/s1");
        assertThat(me.path("UserId").asText()).isEqualTo(assumed.at("/AssumedRoleUser/AssumedRoleId").asText());
        session.ok("ecs", "list-clusters");
        assertThat(session.fails("AccessDeniedException", "ecs", "create-cluster", "--cluster-name", unique("no")))
                .contains("User: arn:aws:sts::" + InProcessStevedore.ACCOUNT + ":assumed-role/" + roleName + "/s1");
        // A forged session token is not a session at all.
        AwsCli forged = root.as(credentials.path("AccessKeyId").asText(), credentials.path("SecretAccessKey").asText(),
                Optional.of(credentials.path("SessionToken").asText() + "x"));
        forged.fails("UnrecognizedClientException", "ecs", "list-clusters");
    }

    @Test
    void namingARoleInATaskDefinitionNeedsPassRole() {
        String roleArn = root.ok("iam", "get-role", "--role-name", "ecsTaskExecutionRole").at("/Role/Arn").asText();
        AwsCli noPass = userWith(unique("nopass"), allow("\"ecs:*\"", "*"));
        String family = unique("web");
        String containers = "[{\"name\":\"web\",\"image\":\"stevedore/busybox\",\"memory\":64}]";

        String denied = noPass.fails("AccessDeniedException", "ecs", "register-task-definition", "--family", family,
                "--execution-role-arn", roleArn, "--container-definitions", containers);
        assertThat(denied).contains("iam:PassRole on resource: " + roleArn);
        assertThat(root.run("ecs", "describe-task-definition", "--task-definition", family).exitCode()).isNotZero();

        AwsCli withPass = userWith(unique("pass"), "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"" + roleArn + "\","
                + "\"Condition\":{\"StringEquals\":{\"iam:PassedToService\":\"ecs-tasks.amazonaws.com\"}}}]}");
        withPass.ok("ecs", "register-task-definition", "--family", family, "--execution-role-arn", roleArn,
                "--container-definitions", containers);
    }

    @Test
    void iamRefusalsAreIamsAndChangeNothing() {
        String name = unique("dup");
        root.ok("iam", "create-user", "--user-name", name);
        root.fails("EntityAlreadyExists", "iam", "create-user", "--user-name", name);
        root.fails("NoSuchEntity", "iam", "get-user", "--user-name", unique("ghost"));
        root.fails("MalformedPolicyDocument", "iam", "put-user-policy", "--user-name", name, "--policy-name", "p",
                "--policy-document", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Maybe\"}]}");
        assertThat(root.ok("iam", "list-user-policies", "--user-name", name).path("PolicyNames")).isEmpty();
        root.ok("iam", "create-access-key", "--user-name", name);
        root.fails("DeleteConflict", "iam", "delete-user", "--user-name", name);
        assertThat(root.ok("iam", "get-user", "--user-name", name).at("/User/UserName").asText()).isEqualTo(name);
    }

    @Test
    void aNewAccountHasTheAwsManagedPoliciesAndTheEcsRoles() {
        JsonNode policies = root.ok("iam", "list-policies", "--scope", "AWS", "--query", "Policies[].PolicyName");
        assertThat(policies.toString()).contains("\"AdministratorAccess\"", "\"ReadOnlyAccess\"",
                "\"AmazonECSTaskExecutionRolePolicy\"", "\"AmazonEC2ContainerServiceforEC2Role\"");
        assertThat(root.ok("iam", "get-role", "--role-name", "ecsInstanceRole").at("/Role/AssumeRolePolicyDocument")
                .toString()).contains("ec2.amazonaws.com");
        assertThat(root.ok("iam", "list-attached-role-policies", "--role-name", "ecsTaskExecutionRole")
                .toString()).contains("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
    }
}
