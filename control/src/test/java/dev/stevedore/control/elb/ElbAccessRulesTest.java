package dev.stevedore.control.elb;

import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.ServiceSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.stevedore.control.access.RuleCalls.assertEveryRuleAsksForSomething;
import static dev.stevedore.control.access.RuleCalls.request;
import static dev.stevedore.control.access.RuleCalls.requests;
import static org.assertj.core.api.Assertions.assertThat;

class ElbAccessRulesTest {
    private static final String ELB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:";
    private final ServiceSpec spec = ServiceSpec.load(ElbApi.SPEC_NAME);
    private final Map<String, AccessRule> rules = ElbAccessRules.rules(spec);

    @Test
    void everyOperationHasARuleThatAsksForSomething() {
        assertThat(rules.keySet()).isEqualTo(spec.operationNames());
        assertEveryRuleAsksForSomething(rules);
    }

    @Test
    void creationsAskOnWhatTheyCreateWithTheirTagsAndActsAskOnTheResource() {
        assertThat(requests(rules, "CreateLoadBalancer", "{'Name': 'web', 'Tags': [{'Key': 'team', 'Value': 'x'}]}"))
                .containsExactly(
                        request("elasticloadbalancing:CreateLoadBalancer", ELB + "loadbalancer/app/web/*",
                                "aws:RequestTag/team", "x", "aws:TagKeys", "team",
                                "elasticloadbalancing:CreateAction", "CreateLoadBalancer"),
                        request("elasticloadbalancing:AddTags", ELB + "loadbalancer/app/web/*",
                                "aws:RequestTag/team", "x", "aws:TagKeys", "team",
                                "elasticloadbalancing:CreateAction", "CreateLoadBalancer"));
        String tg = ELB + "targetgroup/api/0123456789abcdef";
        assertThat(requests(rules, "RegisterTargets", "{'TargetGroupArn': '" + tg + "'}"))
                .containsExactly(new AccessRequest("elasticloadbalancing:RegisterTargets", tg));
        assertThat(requests(rules, "DescribeTargetHealth", "{'TargetGroupArn': '" + tg + "'}"))
                .containsExactly(AccessRequest.anyResource("elasticloadbalancing:DescribeTargetHealth"));
    }
}
