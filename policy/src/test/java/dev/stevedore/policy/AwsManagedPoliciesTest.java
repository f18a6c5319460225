package dev.stevedore.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The AWS-managed policies and service trust policies Stevedore seeds parse as their kinds and mean what AWS means. */
class AwsManagedPoliciesTest {
    private static final String TASK_EXECUTION = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken",
            "ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage","logs:CreateLogStream",
            "logs:PutLogEvents"],"Resource":"*"}]}""";
    private static final String ECS_FOR_EC2 = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:DescribeTags","ecs:CreateCluster",
            "ecs:DeregisterContainerInstance","ecs:DiscoverPollEndpoint","ecs:Poll","ecs:RegisterContainerInstance",
            "ecs:StartTelemetrySession","ecs:UpdateContainerInstancesState","ecs:Submit*","ecr:GetAuthorizationToken",
            "ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage","logs:CreateLogStream",
            "logs:PutLogEvents"],"Resource":"*"},{"Effect":"Allow","Action":"ecs:TagResource","Resource":"*",
            "Condition":{"StringEquals":{"ecs:CreateAction":["CreateCluster","RegisterContainerInstance"]}}}]}""";
    private static final String EC2_TRUST = """
            {"Version":"2008-10-17","Statement":[{"Sid":"","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},
            "Action":"sts:AssumeRole"}]}""";
    private static final String TASKS_TRUST = """
            {"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},
            "Action":"sts:AssumeRole"}]}""";

    private static final Principal.Aws ROLE = Principal.roleSession("111122223333", "arn:aws:iam::111122223333:role/ecsInstanceRole",
            "arn:aws:sts::111122223333:assumed-role/ecsInstanceRole/i-0123");

    private static boolean allowed(String document, String action, RequestContext context) {
        NamedPolicy p = new NamedPolicy("arn:aws:iam::aws:policy/x", PolicyDocument.parse(document, PolicyKind.MANAGED));
        return PolicyEvaluator.evaluate(AuthorizationRequest.of(ROLE, action, "*", context, List.of(p))).allowed();
    }

    @Test
    void theInstanceRolePolicyLetsTheAgentWorkAndNothingMore() {
        assertThat(allowed(ECS_FOR_EC2, "ecs:SubmitTaskStateChange", RequestContext.empty())).isTrue();
        assertThat(allowed(ECS_FOR_EC2, "ecs:RegisterContainerInstance", RequestContext.empty())).isTrue();
        assertThat(allowed(ECS_FOR_EC2, "ecs:RunTask", RequestContext.empty())).isFalse();
        assertThat(allowed(ECS_FOR_EC2, "ecs:TagResource", RequestContext.empty())).isFalse();
        assertThat(allowed(ECS_FOR_EC2, "ecs:TagResource", RequestContext.builder().put("ecs:CreateAction", "CreateCluster").build())).isTrue();
    }

    @Test
    void theTaskExecutionPolicyPullsImagesAndWritesLogs() {
        assertThat(allowed(TASK_EXECUTION, "ecr:BatchGetImage", RequestContext.empty())).isTrue();
        assertThat(allowed(TASK_EXECUTION, "logs:PutLogEvents", RequestContext.empty())).isTrue();
        assertThat(allowed(TASK_EXECUTION, "logs:DeleteLogGroup", RequestContext.empty())).isFalse();
    }

    @Test
    void serviceTrustPoliciesLetOnlyTheirServiceAssumeTheRole() {
        record Case(String trust, String service, String otherService) {}
        for (Case c : List.of(new Case(EC2_TRUST, "ec2.amazonaws.com", "ecs-tasks.amazonaws.com"),
                new Case(TASKS_TRUST, "ecs-tasks.amazonaws.com", "ec2.amazonaws.com"))) {
            NamedPolicy policy = new NamedPolicy("trust", PolicyDocument.parse(c.trust(), PolicyKind.TRUST));
            assertThat(assume(policy, Principal.service(c.service()))).isTrue();
            assertThat(assume(policy, Principal.service(c.otherService()))).isFalse();
            assertThat(assume(policy, Principal.user("111122223333", "arn:aws:iam::111122223333:user/carlos"))).isFalse();
        }
    }

    private static boolean assume(NamedPolicy trust, Principal caller) {
        return PolicyEvaluator.evaluate(AuthorizationRequest.of(caller, "sts:AssumeRole", "arn:aws:iam::111122223333:role/r", RequestContext.empty(), List.of())
                .withResourceAccount("111122223333").withResourcePolicy(trust)).allowed();
    }
}
