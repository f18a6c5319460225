package dev.stevedore.control.elb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.state.StoreTx;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The door a traffic-shifting service deployment moves listener rules through ({@link ServiceTargets#listenerRule},
 * {@link ServiceTargets#forward}), over the ELB API's own records: what it writes is what DescribeRules answers.
 */
class ServiceRuleWeightsTest {
    private final ElbHarness elb = new ElbHarness();
    private ServiceTargets door;
    private String blue;
    private String green;
    private String listener;
    private String rule;

    @BeforeEach
    void setUp() {
        door = elb.api.serviceTargets();
        String lb = elb.loadBalancer("web");
        blue = elb.targetGroup("blue");
        green = elb.targetGroup("green");
        listener = elb.listener(lb, 80, ElbHarness.forward(blue));
        rule = elb.rule(listener, 10, ElbHarness.path("/api/*"), ElbHarness.forward(blue));
    }

    @Test
    void aRulesForwardWeightsAreRewrittenInTheCallersTransaction() {
        assertThat(door.listenerRule(ElbHarness.SCOPE, rule).orElseThrow().forwardWeights()).isEqualTo(Map.of(blue, 1));

        forward(rule, blue, 899, green, 100);

        JsonNode described = elb.call("DescribeRules", Map.of("RuleArns", List.of(rule))).at("/Rules/0/Actions/0");
        assertThat(described.at("/ForwardConfig/TargetGroups/0/TargetGroupArn").asText()).isEqualTo(blue);
        assertThat(described.at("/ForwardConfig/TargetGroups/0/Weight").asInt()).isEqualTo(899);
        assertThat(described.at("/ForwardConfig/TargetGroups/1/TargetGroupArn").asText()).isEqualTo(green);
        assertThat(described.at("/ForwardConfig/TargetGroups/1/Weight").asInt()).isEqualTo(100);
        assertThat(door.listenerRule(ElbHarness.SCOPE, rule).orElseThrow().forwardWeights())
                .isEqualTo(Map.of(blue, 899, green, 100));
        // The alternate group is in use by the load balancer now that a rule forwards to it.
        assertThat(door.targetGroup(ElbHarness.SCOPE, green).orElseThrow().loadBalancerArns()).hasSize(1);
    }

    @Test
    void aDefaultRuleIsItsListenersDefaultActions() {
        String defaultRule = elb.call("DescribeRules", Map.of("ListenerArn", listener)).at("/Rules").findValues("RuleArn")
                .stream().map(JsonNode::asText).filter(arn -> !arn.equals(rule)).findFirst().orElseThrow();

        forward(defaultRule, blue, 0, green, 999);

        JsonNode action = elb.call("DescribeListeners", Map.of("ListenerArns", List.of(listener)))
                .at("/Listeners/0/DefaultActions/0");
        assertThat(action.at("/ForwardConfig/TargetGroups/1/Weight").asInt()).isEqualTo(999);
        assertThat(door.listenerRule(ElbHarness.SCOPE, defaultRule).orElseThrow().forwardWeights())
                .isEqualTo(Map.of(blue, 0, green, 999));
    }

    @Test
    void unchangedWeightsAndUnknownRulesWriteNothing() {
        forward(rule, blue, 999, green, 0);
        long before = elb.store.currentRevision();
        forward(rule, blue, 999, green, 0);
        forward(rule.substring(0, rule.lastIndexOf('/') + 1) + "0123456789abcdef", blue, 1, green, 1);
        assertThat(elb.store.currentRevision()).isEqualTo(before);
        assertThat(door.listenerRule(ElbHarness.SCOPE, "arn:aws:iam::123456789012:role/x")).isEmpty();
    }

    private void forward(String ruleArn, String first, int firstWeight, String second, int secondWeight) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put(first, firstWeight);
        weights.put(second, secondWeight);
        StoreTx.run(elb.store, tx -> {
            door.forward(tx, ElbHarness.SCOPE, ruleArn, weights);
            return null;
        });
    }
}
