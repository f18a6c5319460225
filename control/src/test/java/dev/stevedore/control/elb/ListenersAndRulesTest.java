package dev.stevedore.control.elb;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ListenersAndRulesTest {
    final ElbHarness elb = new ElbHarness();
    String lb;
    String tg;
    String listener;

    @BeforeEach
    void setUp() {
        lb = elb.loadBalancer("web");
        tg = elb.targetGroup("api");
        listener = elb.listener(lb, 80, ElbHarness.forward(tg));
    }

    @Test
    void aForwardIsAnsweredWithItsForwardConfigAndTheListenerPortIsUnique() {
        JsonNode action = elb.call("DescribeListeners", Map.of("ListenerArns", List.of(listener)))
                .at("/Listeners/0/DefaultActions/0");
        assertThat(action.path("TargetGroupArn").asText()).isEqualTo(tg);
        assertThat(action.at("/ForwardConfig/TargetGroups/0/Weight").asInt()).isEqualTo(1);
        assertThat(action.at("/ForwardConfig/TargetGroupStickinessConfig/Enabled").asBoolean()).isFalse();

        elb.fails("CreateListener", Map.of("LoadBalancerArn", lb, "Protocol", "HTTP", "Port", 80,
                "DefaultActions", List.of(Map.of("Type", "fixed-response", "FixedResponseConfig",
                        Map.of("StatusCode", "200")))), "DuplicateListener");
        elb.fails("CreateListener", Map.of("LoadBalancerArn", lb, "Protocol", "TCP", "Port", 81,
                "DefaultActions", List.of(ElbHarness.forward(tg))), "UnsupportedProtocol");
    }

    @Test
    void aListenerMovesOnlyToAFreePort() {
        String other = elb.listener(lb, 8080, Map.of("Type", "fixed-response", "FixedResponseConfig",
                Map.of("StatusCode", "200")));
        elb.fails("ModifyListener", Map.of("ListenerArn", other, "Port", 80), "ValidationError");
        assertThat(elb.call("ModifyListener", Map.of("ListenerArn", other, "Port", 8081)).at("/Listeners/0/Port").asInt())
                .isEqualTo(8081);
    }

    @Test
    void aTargetGroupServesOneLoadBalancerOnly() {
        String other = elb.loadBalancer("other");
        elb.fails("CreateListener", Map.of("LoadBalancerArn", other, "Protocol", "HTTP", "Port", 80,
                "DefaultActions", List.of(ElbHarness.forward(tg))), "TargetGroupAssociationLimit");
    }

    @Test
    void weightedForwardsAndRedirectsAreKeptInTheirAnsweredForm() {
        String second = elb.targetGroup("second");
        JsonNode weighted = elb.call("ModifyListener", Map.of("ListenerArn", listener, "DefaultActions", List.of(Map.of(
                "Type", "forward", "ForwardConfig", Map.of("TargetGroups", List.of(
                        Map.of("TargetGroupArn", tg, "Weight", 3), Map.of("TargetGroupArn", second, "Weight", 1)),
                        "TargetGroupStickinessConfig", Map.of("Enabled", true, "DurationSeconds", 60))))))
                .at("/Listeners/0/DefaultActions/0");
        assertThat(weighted.has("TargetGroupArn")).isFalse();
        assertThat(weighted.at("/ForwardConfig/TargetGroups/1/Weight").asInt()).isEqualTo(1);
        assertThat(weighted.at("/ForwardConfig/TargetGroupStickinessConfig/DurationSeconds").asInt()).isEqualTo(60);

        JsonNode redirect = elb.call("ModifyListener", Map.of("ListenerArn", listener, "DefaultActions", List.of(Map.of(
                "Type", "redirect", "RedirectConfig", Map.of("Protocol", "HTTPS", "StatusCode", "HTTP_301")))))
                .at("/Listeners/0/DefaultActions/0/RedirectConfig");
        assertThat(redirect.path("Host").asText()).isEqualTo("#{host}");
        assertThat(redirect.path("Path").asText()).isEqualTo("/#{path}");
        assertThat(redirect.path("Port").asText()).isEqualTo("#{port}");

        elb.fails("ModifyListener", Map.of("ListenerArn", listener, "DefaultActions", List.of(Map.of(
                "Type", "redirect", "RedirectConfig", Map.of("StatusCode", "HTTP_302")))), "InvalidLoadBalancerAction");
    }

    @Test
    void prioritiesAreUniqueInAListenerAndCanBeSwappedAtOnce() {
        String one = elb.rule(listener, 1, ElbHarness.path("/one"), ElbHarness.forward(tg));
        String two = elb.rule(listener, 2, ElbHarness.path("/two"), ElbHarness.forward(tg));
        elb.fails("CreateRule", Map.of("ListenerArn", listener, "Priority", 2, "Conditions",
                List.of(ElbHarness.path("/x")), "Actions", List.of(ElbHarness.forward(tg))), "PriorityInUse");
        elb.fails("SetRulePriorities", Map.of("RulePriorities", List.of(Map.of("RuleArn", one, "Priority", 2))),
                "PriorityInUse");

        elb.call("SetRulePriorities", Map.of("RulePriorities", List.of(Map.of("RuleArn", one, "Priority", 2),
                Map.of("RuleArn", two, "Priority", 1))));

        JsonNode rules = elb.call("DescribeRules", Map.of("ListenerArn", listener)).path("Rules");
        assertThat(rules.get(0).path("RuleArn").asText()).isEqualTo(two);
        assertThat(rules.get(1).path("RuleArn").asText()).isEqualTo(one);
        assertThat(rules.get(2).path("Priority").asText()).isEqualTo("default");
        assertThat(rules.get(2).path("IsDefault").asBoolean()).isTrue();
    }

    @Test
    void rulesArePagedInPriorityOrder() {
        for (int priority = 5; priority >= 1; priority--) {
            elb.rule(listener, priority, ElbHarness.path("/" + priority), ElbHarness.forward(tg));
        }
        List<String> priorities = new java.util.ArrayList<>();
        String marker = null;
        do {
            Map<String, Object> request = new java.util.HashMap<>(Map.of("ListenerArn", listener, "PageSize", 2));
            if (marker != null) {
                request.put("Marker", marker);
            }
            JsonNode page = elb.call("DescribeRules", request);
            page.path("Rules").forEach(r -> priorities.add(r.path("Priority").asText()));
            marker = page.has("NextMarker") ? page.path("NextMarker").asText() : null;
        } while (marker != null);
        assertThat(priorities).containsExactly("1", "2", "3", "4", "5", "default");
    }

    @Test
    void theDefaultRuleCanChangeItsActionsButNotBeDeletedNorGetConditions() {
        String defaultRule = elb.call("DescribeRules", Map.of("ListenerArn", listener)).at("/Rules/0/RuleArn").asText();
        elb.fails("DeleteRule", Map.of("RuleArn", defaultRule), "OperationNotPermitted");
        elb.fails("ModifyRule", Map.of("RuleArn", defaultRule, "Conditions", List.of(ElbHarness.path("/x"))),
                "OperationNotPermitted");

        elb.call("ModifyRule", Map.of("RuleArn", defaultRule, "Actions", List.of(Map.of("Type", "fixed-response",
                "FixedResponseConfig", Map.of("StatusCode", "503", "ContentType", "text/plain")))));
        assertThat(elb.call("DescribeListeners", Map.of("ListenerArns", List.of(listener)))
                .at("/Listeners/0/DefaultActions/0/Type").asText()).isEqualTo("fixed-response");
        assertThat(elb.call("DescribeRules", Map.of("RuleArns", List.of(defaultRule))).at("/Rules/0/RuleArn").asText())
                .isEqualTo(defaultRule);
    }

    @Test
    void conditionsTakeTheLegacyAndConfigFormsAndAreAnsweredInBoth() {
        String byConfig = elb.rule(listener, 10, Map.of("Field", "host-header", "HostHeaderConfig",
                Map.of("Values", List.of("api.example.com"))), ElbHarness.forward(tg));
        JsonNode condition = elb.call("DescribeRules", Map.of("RuleArns", List.of(byConfig))).at("/Rules/0/Conditions/0");
        assertThat(condition.at("/Values/0").asText()).isEqualTo("api.example.com");
        assertThat(condition.at("/HostHeaderConfig/Values/0").asText()).isEqualTo("api.example.com");

        elb.rule(listener, 11, Map.of("Field", "http-header", "HttpHeaderConfig",
                Map.of("HttpHeaderName", "X-Env", "Values", List.of("blue"))), ElbHarness.forward(tg));
        elb.rule(listener, 12, Map.of("Field", "query-string", "QueryStringConfig",
                Map.of("Values", List.of(Map.of("Key", "v", "Value", "2")))), ElbHarness.forward(tg));
        elb.rule(listener, 13, Map.of("Field", "source-ip", "SourceIpConfig",
                Map.of("Values", List.of("10.0.0.0/8"))), ElbHarness.forward(tg));
        elb.rule(listener, 14, Map.of("Field", "http-request-method", "HttpRequestMethodConfig",
                Map.of("Values", List.of("GET", "HEAD"))), ElbHarness.forward(tg));
    }

    @Test
    void conditionsOutsideAlbsRulesAreRefused() {
        Map<String, Object> action = ElbHarness.forward(tg);
        for (Object conditions : List.of(
                List.of(ElbHarness.path("/a", "/b", "/c"), ElbHarness.path("/d")),           // path-pattern twice
                List.of(ElbHarness.path("/1", "/2", "/3", "/4", "/5", "/6")),                 // six values
                List.of(Map.of("Field", "source-ip", "Values", List.of("10.0.0.0/8"))),       // legacy form for source-ip
                List.of(Map.of("Field", "source-ip", "SourceIpConfig", Map.of("Values", List.of("10.0.0.300/8")))),
                List.of(Map.of("Field", "path-pattern", "Values", List.of("/a"),
                        "PathPatternConfig", Map.of("Values", List.of("/b")))),
                List.of(Map.of("Field", "cookie", "Values", List.of("x"))))) {
            elb.fails("CreateRule", Map.of("ListenerArn", listener, "Priority", 20, "Conditions", conditions,
                    "Actions", List.of(action)), "ValidationError");
        }
    }

    @Test
    void aTargetGroupInUseCannotBeDeletedUntilNothingForwardsToIt() {
        String rule = elb.rule(listener, 1, ElbHarness.path("/a"), ElbHarness.forward(tg));
        elb.fails("DeleteTargetGroup", Map.of("TargetGroupArn", tg), "ResourceInUse");
        elb.call("DeleteRule", Map.of("RuleArn", rule));
        elb.call("DeleteListener", Map.of("ListenerArn", listener));
        elb.call("DeleteTargetGroup", Map.of("TargetGroupArn", tg));
        elb.fails("DescribeTargetGroups", Map.of("TargetGroupArns", List.of(tg)), "TargetGroupNotFound");
    }
}
