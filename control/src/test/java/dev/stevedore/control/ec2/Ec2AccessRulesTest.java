package dev.stevedore.control.ec2;

import dev.stevedore.awsproto.AccessDenials;
import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.Authorizer;
import dev.stevedore.awsproto.GuardedOperations;
import dev.stevedore.store.InMemoryStateStore;
import dev.stevedore.control.access.RuleCalls;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.stevedore.control.access.RuleCalls.request;
import static dev.stevedore.control.access.RuleCalls.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class Ec2AccessRulesTest {
    private static final String EC2 = "arn:aws:ec2:us-east-1:123456789012:";
    private static final String VPC = EC2 + "vpc/vpc-0123456789abcdef0";

    private final Map<String, AccessRule> rules = Ec2AccessRules.rules();

    @Test
    void everyOperationOfTheApiHasARule() {
        Ec2Api api = new Ec2Api(new InMemoryStateStore());

        assertThat(api.accessRules().keySet()).isEqualTo(api.operations().keySet()).hasSize(18);
        assertThatCode(() -> GuardedOperations.guard(api.operations(), api.accessRules(), Authorizer.allowAll(),
                AccessDenials.EC2)).doesNotThrowAnyException();
    }

    @Test
    void creationsAskOnEveryResourceOfTheirTypeAndForTheTagsTheyCreate() {
        assertThat(requests(rules, "CreateVpc", "{'CidrBlock': '10.0.0.0/16', 'TagSpecifications': [{'ResourceType': 'vpc',"
                + " 'Tags': [{'Key': 'Name', 'Value': 'main'}]}]}"))
                .containsExactly(
                        request("ec2:CreateVpc", EC2 + "vpc/*", "aws:RequestTag/Name", "main", "aws:TagKeys", "Name"),
                        request("ec2:CreateTags", EC2 + "vpc/*", "ec2:CreateAction", "CreateVpc",
                                "aws:RequestTag/Name", "main", "aws:TagKeys", "Name"));
        assertThat(requests(rules, "CreateSubnet", "{'VpcId': 'vpc-0123456789abcdef0', 'CidrBlock': '10.0.1.0/24'}"))
                .containsExactly(request("ec2:CreateSubnet", EC2 + "subnet/*", "ec2:Vpc", VPC),
                        request("ec2:CreateSubnet", VPC, "ec2:Vpc", VPC));
        assertThat(requests(rules, "CreateSecurityGroup", "{'GroupName': 'web', 'Description': 'd'}"))
                .as("without VpcId the group goes to the default VPC, which the rule does not look up")
                .containsExactly(request("ec2:CreateSecurityGroup", EC2 + "security-group/*", "ec2:Vpc", EC2 + "vpc/*"),
                        request("ec2:CreateSecurityGroup", EC2 + "vpc/*", "ec2:Vpc", EC2 + "vpc/*"));
    }

    @Test
    void actsOnOneResourceAskOnItsArn() {
        assertThat(requests(rules, "DeleteVpc", "{'VpcId': 'vpc-0123456789abcdef0'}"))
                .containsExactly(new AccessRequest("ec2:DeleteVpc", VPC));
        assertThat(requests(rules, "AuthorizeSecurityGroupIngress", "{'GroupId': 'sg-0123456789abcdef0'}"))
                .containsExactly(new AccessRequest("ec2:AuthorizeSecurityGroupIngress", EC2 + "security-group/sg-0123456789abcdef0"));
        assertThat(requests(rules, "DeleteSecurityGroup", "{'GroupName': 'web'}"))
                .containsExactly(new AccessRequest("ec2:DeleteSecurityGroup", EC2 + "security-group/*"));
        assertThat(requests(rules, "CreateTags", "{'Resources': ['vpc-0123456789abcdef0', 'sg-0123456789abcdef0'],"
                + " 'Tags': [{'Key': 'env', 'Value': 'prod'}]}"))
                .containsExactly(
                        request("ec2:CreateTags", VPC, "aws:RequestTag/env", "prod", "aws:TagKeys", "env"),
                        request("ec2:CreateTags", EC2 + "security-group/sg-0123456789abcdef0",
                                "aws:RequestTag/env", "prod", "aws:TagKeys", "env"));
        assertThat(requests(rules, "DeleteTags", "{'Resources': ['subnet-0123456789abcdef0'], 'Tags': [{'Key': 'env'}]}"))
                .containsExactly(request("ec2:DeleteTags", EC2 + "subnet/subnet-0123456789abcdef0", "aws:TagKeys", "env"));
        assertThat(requests(rules, "DescribeVpcs", "{'VpcIds': ['vpc-0123456789abcdef0']}"))
                .containsExactly(AccessRequest.anyResource("ec2:DescribeVpcs"));
    }

    @Test
    void everyRuleAnswersEvenForAnEmptyInput() {
        RuleCalls.assertEveryRuleAsksForSomething(rules);
    }
}
