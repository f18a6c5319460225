package dev.stevedore.control.iam;

import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.ServiceSpec;
import dev.stevedore.control.access.RuleCalls;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.stevedore.control.access.RuleCalls.BOB;
import static dev.stevedore.control.access.RuleCalls.request;
import static dev.stevedore.control.access.RuleCalls.requests;
import static org.assertj.core.api.Assertions.assertThat;

class IamAccessRulesTest {
    private static final String IAM = "arn:aws:iam::123456789012:";

    private final Map<String, AccessRule> rules = IamAccessRules.rules();

    @Test
    void everyOperationOfTheIamSpecHasARule() {
        assertThat(rules.keySet()).isEqualTo(ServiceSpec.load("iam-2010-05-08").operationNames());
    }

    @Test
    void creationsAskOnTheArnWithItsPathAndForTheTagsTheyPutOn() {
        assertThat(requests(rules, "CreateUser", "{'UserName': 'alice', 'Path': '/dev/', 'Tags': [{'Key': 'team', 'Value': 'x'}],"
                + " 'PermissionsBoundary': '" + IAM + "policy/boundary'}"))
                .containsExactly(
                        request("iam:CreateUser", IAM + "user/dev/alice", "iam:PermissionsBoundary", IAM + "policy/boundary",
                                "aws:RequestTag/team", "x", "aws:TagKeys", "team"),
                        request("iam:TagUser", IAM + "user/dev/alice", "aws:RequestTag/team", "x", "aws:TagKeys", "team"));
        assertThat(requests(rules, "CreateRole", "{'RoleName': 'app', 'AssumeRolePolicyDocument': '{}'}"))
                .containsExactly(new AccessRequest("iam:CreateRole", IAM + "role/app"));
        assertThat(requests(rules, "CreatePolicy", "{'PolicyName': 'p', 'PolicyDocument': '{}'}"))
                .containsExactly(new AccessRequest("iam:CreatePolicy", IAM + "policy/p"));
    }

    @Test
    void aCallWithoutAUserActsOnTheCaller() {
        assertThat(requests(rules, "ListAccessKeys", "{}")).containsExactly(new AccessRequest("iam:ListAccessKeys", BOB.arn()));
        assertThat(requests(rules, "CreateAccessKey", "{'UserName': 'carol'}"))
                .containsExactly(new AccessRequest("iam:CreateAccessKey", IAM + "user/carol"));
    }

    @Test
    void attachmentsNameThePolicyAndProfilesPassTheirRole() {
        assertThat(requests(rules, "AttachRolePolicy", "{'RoleName': 'app', 'PolicyArn': 'arn:aws:iam::aws:policy/ReadOnlyAccess'}"))
                .containsExactly(request("iam:AttachRolePolicy", IAM + "role/app",
                        "iam:PolicyARN", "arn:aws:iam::aws:policy/ReadOnlyAccess"));
        assertThat(requests(rules, "AddRoleToInstanceProfile", "{'InstanceProfileName': 'ecs', 'RoleName': 'ecsInstanceRole'}"))
                .containsExactly(new AccessRequest("iam:AddRoleToInstanceProfile", IAM + "instance-profile/ecs"),
                        new AccessRequest("iam:PassRole", IAM + "role/ecsInstanceRole"));
        assertThat(requests(rules, "GetPolicyVersion", "{'PolicyArn': '" + IAM + "policy/p', 'VersionId': 'v1'}"))
                .containsExactly(new AccessRequest("iam:GetPolicyVersion", IAM + "policy/p"));
        assertThat(requests(rules, "UpdateUser", "{'UserName': 'alice', 'NewUserName': 'alicia'}"))
                .containsExactly(new AccessRequest("iam:UpdateUser", IAM + "user/alice"),
                        new AccessRequest("iam:UpdateUser", IAM + "user/alicia"));
    }

    @Test
    void listsOfAWholeKindAskOnEverything() {
        assertThat(requests(rules, "ListUsers", "{}")).containsExactly(AccessRequest.anyResource("iam:ListUsers"));
        assertThat(requests(rules, "ListInstanceProfiles", "{'PathPrefix': '/ecs/'}"))
                .containsExactly(new AccessRequest("iam:ListInstanceProfiles", IAM + "instance-profile/ecs/*"));
        assertThat(requests(rules, "UntagRole", "{'RoleName': 'app', 'TagKeys': ['a', 'b']}"))
                .containsExactly(request("iam:UntagRole", IAM + "role/app", "aws:TagKeys", "a", "aws:TagKeys", "b"));
    }

    @Test
    void everyRuleAnswersEvenForAnEmptyInput() {
        RuleCalls.assertEveryRuleAsksForSomething(rules);
    }
}
