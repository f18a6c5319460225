package dev.stevedore.control.ecs.access;

import dev.stevedore.awsproto.AccessDenials;
import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.Authorizer;
import dev.stevedore.awsproto.GuardedOperations;
import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionRef;
import dev.stevedore.control.access.RuleCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static dev.stevedore.control.access.RuleCalls.request;
import static dev.stevedore.control.access.RuleCalls.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class EcsAccessRulesTest {
    private static final String ECS = "arn:aws:ecs:us-east-1:123456789012:";
    private static final String DEFAULT = ECS + "cluster/default";
    private static final String PROD = ECS + "cluster/prod";
    private static final String TASK_A = "0123456789abcdef0123456789abcdef";
    private static final String TASK_B = "fedcba9876543210fedcba9876543210";
    private static final String ROLE = "arn:aws:iam::123456789012:role/";

    /** Roles of stored definitions, by family: web names both roles, the rest none. */
    private final List<TaskDefinitionRef> lookedUp = new ArrayList<>();
    private final Map<String, AccessRule> rules = EcsAccessRules.rules((scope, ref) -> {
        lookedUp.add(ref);
        return ref.family().equals("web")
                ? DefinitionRoles.of(ROLE + "web-task", ROLE + "ecsTaskExecutionRole") : DefinitionRoles.NONE;
    });

    private EcsHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.api.close();
        }
    }

    @Test
    void everyOperationOfTheApiHasARule() {
        harness = new EcsHarness();

        assertThat(harness.api.accessRules().keySet()).isEqualTo(harness.api.operations().keySet());
        assertThatCode(() -> GuardedOperations.guard(harness.api.operations(), harness.api.accessRules(),
                Authorizer.allowAll(), AccessDenials.JSON)).doesNotThrowAnyException();
    }

    @Test
    void describeCallsAskForEachResourceTheyNameInTheCallersScope() {
        assertThat(requests(rules, "DescribeTasks", "{'tasks': ['" + TASK_A + "', '" + ECS + "task/default/" + TASK_B + "']}"))
                .containsExactly(
                        request("ecs:DescribeTasks", ECS + "task/default/" + TASK_A, "ecs:cluster", DEFAULT),
                        request("ecs:DescribeTasks", ECS + "task/default/" + TASK_B, "ecs:cluster", DEFAULT));
        assertThat(requests(rules, "DescribeClusters", "{}"))
                .containsExactly(request("ecs:DescribeClusters", DEFAULT));
        assertThat(requests(rules, "DescribeClusters", "{'clusters': ['prod', '" + PROD + "', 'dev']}"))
                .as("a cluster named twice is asked about once")
                .containsExactly(request("ecs:DescribeClusters", PROD), request("ecs:DescribeClusters", ECS + "cluster/dev"));
        assertThat(requests(rules, "DescribeServices", "{'cluster': '" + PROD + "', 'services': ['web',"
                + " 'arn:aws:ecs:us-east-1:123456789012:service/api']}"))
                .as("a legacy short service ARN means the service in the given cluster")
                .containsExactly(
                        request("ecs:DescribeServices", ECS + "service/prod/web", "ecs:cluster", PROD),
                        request("ecs:DescribeServices", ECS + "service/prod/api", "ecs:cluster", PROD));
        assertThat(requests(rules, "DescribeContainerInstances", "{'cluster': 'prod', 'containerInstances': ['" + TASK_A + "']}"))
                .containsExactly(request("ecs:DescribeContainerInstances", ECS + "container-instance/prod/" + TASK_A,
                        "ecs:cluster", PROD));
    }

    @Test
    void resourcesOfAnotherAccountOrClusterAreAskedForAsWritten() {
        String foreign = "arn:aws:ecs:us-east-1:999999999999:cluster/theirs";

        assertThat(requests(rules, "DeleteCluster", "{'cluster': '" + foreign + "'}"))
                .containsExactly(request("ecs:DeleteCluster", foreign));
        assertThat(requests(rules, "StopTask", "{'cluster': 'prod', 'task': '" + ECS + "task/other/" + TASK_A + "'}"))
                .containsExactly(request("ecs:StopTask", ECS + "task/other/" + TASK_A, "ecs:cluster", PROD));
    }

    @Test
    void runTaskAsksForTheDefinitionAndToPassItsRoles() {
        assertThat(requests(rules, "RunTask", "{'cluster': 'prod', 'taskDefinition': 'web'}"))
                .as("a bare family is authorized without a revision; its latest revision's roles are passed")
                .containsExactly(
                        request("ecs:RunTask", ECS + "task-definition/web", "ecs:cluster", PROD),
                        passRole(ROLE + "web-task"),
                        passRole(ROLE + "ecsTaskExecutionRole"));
        assertThat(lookedUp).containsExactly(new TaskDefinitionRef("web", OptionalInt.empty()));

        assertThat(requests(rules, "RunTask", "{'taskDefinition': '" + ECS + "task-definition/web:3',"
                + " 'overrides': {'taskRoleArn': 'other-task'}, 'enableExecuteCommand': true,"
                + " 'capacityProviderStrategy': [{'capacityProvider': 'FARGATE'}]}"))
                .as("an overridden role replaces the definition's")
                .containsExactly(
                        request("ecs:RunTask", ECS + "task-definition/web:3", "ecs:capacity-provider",
                                ECS + "capacity-provider/FARGATE", "ecs:cluster", DEFAULT,
                                "ecs:enable-execute-command", "true"),
                        passRole(ROLE + "other-task"),
                        passRole(ROLE + "ecsTaskExecutionRole"));
    }

    @Test
    void runTaskOverridingBothRolesReadsNoDefinition() {
        assertThat(requests(rules, "RunTask", "{'taskDefinition': 'web:1', 'overrides': {'taskRoleArn': '"
                + ROLE + "a', 'executionRoleArn': '" + ROLE + "a'}}"))
                .containsExactly(request("ecs:RunTask", ECS + "task-definition/web:1", "ecs:cluster", DEFAULT),
                        passRole(ROLE + "a"));
        assertThat(lookedUp).isEmpty();
    }

    @Test
    void taggingWhatACallCreatesNeedsTagResourceForThatCall() {
        assertThat(requests(rules, "StartTask", "{'cluster': 'prod', 'taskDefinition': 'batch:2', 'containerInstances': ['"
                + TASK_A + "', '" + TASK_B + "'], 'tags': [{'key': 'team', 'value': 'a'}]}"))
                .containsExactly(
                        request("ecs:StartTask", ECS + "task-definition/batch:2",
                                "ecs:container-instances", ECS + "container-instance/prod/" + TASK_A,
                                "ecs:container-instances", ECS + "container-instance/prod/" + TASK_B,
                                "ecs:cluster", PROD, "aws:RequestTag/team", "a", "aws:TagKeys", "team"),
                        request("ecs:TagResource", ECS + "task/prod/*", "ecs:CreateAction", "StartTask",
                                "aws:RequestTag/team", "a", "aws:TagKeys", "team"));
        assertThat(requests(rules, "CreateCluster", "{'clusterName': 'prod', 'tags': [{'key': 'k', 'value': 'v'}]}"))
                .containsExactly(
                        request("ecs:CreateCluster", PROD, "aws:RequestTag/k", "v", "aws:TagKeys", "k"),
                        request("ecs:TagResource", PROD, "ecs:CreateAction", "CreateCluster",
                                "aws:RequestTag/k", "v", "aws:TagKeys", "k"));
        assertThat(requests(rules, "CreateCluster", "{}")).containsExactly(request("ecs:CreateCluster", DEFAULT));
    }

    @Test
    void servicesAskOnTheServiceWithTheirDefinitionAsAConditionAndPassItsRoles() {
        assertThat(requests(rules, "CreateService", "{'cluster': 'prod', 'serviceName': 'api', 'taskDefinition': 'web:4',"
                + " 'role': 'ecsServiceRole'}"))
                .containsExactly(
                        request("ecs:CreateService", ECS + "service/prod/api", "ecs:cluster", PROD,
                                "ecs:task-definition", ECS + "task-definition/web:4"),
                        passRole(ROLE + "web-task"),
                        passRole(ROLE + "ecsTaskExecutionRole"),
                        request("iam:PassRole", ROLE + "ecsServiceRole", "iam:PassedToService", "ecs.amazonaws.com"));
        lookedUp.clear();

        assertThat(requests(rules, "UpdateService", "{'service': '" + ECS + "service/prod/api', 'cluster': 'prod',"
                + " 'desiredCount': 2}"))
                .containsExactly(request("ecs:UpdateService", ECS + "service/prod/api", "ecs:cluster", PROD));
        assertThat(lookedUp).as("an update that keeps the definition passes no role").isEmpty();
    }

    @Test
    void registeringADefinitionPassesTheRolesItNames() {
        assertThat(requests(rules, "RegisterTaskDefinition", "{'family': 'web', 'containerDefinitions': [],"
                + " 'taskRoleArn': '" + ROLE + "t', 'executionRoleArn': 'x'}"))
                .containsExactly(request("ecs:RegisterTaskDefinition", ECS + "task-definition/web:*"),
                        passRole(ROLE + "t"), passRole(ROLE + "x"));
        assertThat(requests(rules, "DescribeTaskDefinition", "{'taskDefinition': 'web'}"))
                .containsExactly(AccessRequest.anyResource("ecs:DescribeTaskDefinition"));
    }

    @Test
    void taskSetsDeploymentsAndTagsCarryTheirClusterAndService() {
        String service = ECS + "service/prod/api";
        assertThat(requests(rules, "DescribeTaskSets", "{'cluster': 'prod', 'service': 'api', 'taskSets': ['ecs-svc/1']}"))
                .containsExactly(request("ecs:DescribeTaskSets", ECS + "task-set/prod/api/ecs-svc/1",
                        "ecs:cluster", PROD, "ecs:service", service));
        assertThat(requests(rules, "DescribeServiceDeployments", "{'serviceDeploymentArns': ['"
                + ECS + "service-deployment/prod/api/AbC12']}"))
                .containsExactly(request("ecs:DescribeServiceDeployments", ECS + "service-deployment/prod/api/AbC12",
                        "ecs:cluster", PROD, "ecs:service", service));
        assertThat(requests(rules, "TagResource", "{'resourceArn': '" + service + "', 'tags': [{'key': 'a', 'value': 'b'}]}"))
                .containsExactly(request("ecs:TagResource", service, "ecs:cluster", PROD,
                        "aws:RequestTag/a", "b", "aws:TagKeys", "a"));
        assertThat(requests(rules, "UntagResource", "{'resourceArn': '" + PROD + "', 'tagKeys': ['a']}"))
                .containsExactly(request("ecs:UntagResource", PROD, "aws:TagKeys", "a"));
        assertThat(requests(rules, "ListTasks", "{'cluster': 'prod'}"))
                .containsExactly(request("ecs:ListTasks", "*", "ecs:cluster", PROD));
        assertThat(requests(rules, "PutAccountSetting", "{'name': 'awsvpcTrunking', 'value': 'enabled'}"))
                .containsExactly(request("ecs:PutAccountSetting", "*", "ecs:account-setting", "awsvpcTrunking"));
    }

    @Test
    void theApisLookupReadsTheLatestActiveRevisionsRolesFromTheStore() {
        harness = new EcsHarness();
        register("web", "r1");
        register("web", "r2");
        Map<String, AccessRule> stored = harness.api.accessRules();

        assertThat(requests(stored, "RunTask", "{'taskDefinition': 'web'}")).contains(passRole(ROLE + "r2"));
        assertThat(requests(stored, "RunTask", "{'taskDefinition': 'web:1'}")).contains(passRole(ROLE + "r1"));

        harness.call("DeregisterTaskDefinition", "{\"taskDefinition\": \"web:2\"}");
        assertThat(requests(stored, "RunTask", "{'taskDefinition': 'web'}"))
                .contains(passRole(ROLE + "r1")).doesNotContain(passRole(ROLE + "r2"));
        assertThat(requests(stored, "RunTask", "{'taskDefinition': 'missing'}"))
                .as("no definition, no role: the handler answers that it does not exist")
                .containsExactly(request("ecs:RunTask", ECS + "task-definition/missing", "ecs:cluster", DEFAULT));
    }

    private void register(String family, String role) {
        harness.call("RegisterTaskDefinition", "{\"family\": \"" + family + "\", \"taskRoleArn\": \"" + ROLE + role + "\","
                + " \"containerDefinitions\": [{\"name\": \"c\", \"image\": \"busybox\", \"memory\": 64}]}");
    }

    private static AccessRequest passRole(String role) {
        return request("iam:PassRole", role, "iam:PassedToService", "ecs-tasks.amazonaws.com");
    }

    @Test
    void everyRuleAnswersEvenForAnEmptyInput() {
        RuleCalls.assertEveryRuleAsksForSomething(rules);
    }
}
