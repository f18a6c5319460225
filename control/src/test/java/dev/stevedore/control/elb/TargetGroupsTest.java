package dev.stevedore.control.elb;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TargetGroupsTest {
    final ElbHarness elb = new ElbHarness();

    private Map<String, Object> group(String name, Map<String, Object> more) {
        Map<String, Object> request = new java.util.HashMap<>(Map.of("Name", name, "Protocol", "HTTP", "Port", 80,
                "VpcId", elb.vpcId));
        request.putAll(more);
        return request;
    }

    @Test
    void healthChecksHaveAlbsDefaultsAndRanges() {
        JsonNode made = elb.call("CreateTargetGroup", group("defaults", Map.of())).at("/TargetGroups/0");
        assertThat(made.path("TargetType").asText()).isEqualTo("instance");
        assertThat(made.path("HealthCheckPort").asText()).isEqualTo("traffic-port");
        assertThat(made.path("HealthCheckTimeoutSeconds").asInt()).isEqualTo(5);
        assertThat(made.path("HealthyThresholdCount").asInt()).isEqualTo(5);
        assertThat(made.path("UnhealthyThresholdCount").asInt()).isEqualTo(2);

        elb.fails("CreateTargetGroup", group("t1", Map.of("HealthCheckIntervalSeconds", 10,
                "HealthCheckTimeoutSeconds", 10)), "ValidationError");
        elb.fails("CreateTargetGroup", group("t2", Map.of("HealthCheckPath", "health")), "ValidationError");
        elb.fails("CreateTargetGroup", group("t3", Map.of("Matcher", Map.of("HttpCode", "500"))), "ValidationError");
        elb.fails("CreateTargetGroup", group("t4", Map.of("Matcher", Map.of("HttpCode", "299-200"))), "ValidationError");
        elb.fails("CreateTargetGroup", group("t5", Map.of("HealthCheckEnabled", false)), "ValidationError");
        elb.fails("CreateTargetGroup", group("t6", Map.of("VpcId", "vpc-00000000")), "ValidationError");
        elb.fails("CreateTargetGroup", group("t7", Map.of("Protocol", "HTTPS")), "OperationNotPermitted");
        elb.call("CreateTargetGroup", group("t8", Map.of("Matcher", Map.of("HttpCode", "200,202,301"))));

        String arn = made.path("TargetGroupArn").asText();
        JsonNode modified = elb.call("ModifyTargetGroup", Map.of("TargetGroupArn", arn, "HealthCheckPath", "/ready",
                "Matcher", Map.of("HttpCode", "200-399"))).at("/TargetGroups/0");
        assertThat(modified.path("HealthCheckPath").asText()).isEqualTo("/ready");
        assertThat(modified.at("/Matcher/HttpCode").asText()).isEqualTo("200-399");
        assertThat(modified.path("HealthCheckIntervalSeconds").asInt()).isEqualTo(30);
    }

    @Test
    void theSameGroupAgainIsAnsweredAndADifferentOneIsADuplicate() {
        String arn = elb.call("CreateTargetGroup", group("same", Map.of())).at("/TargetGroups/0/TargetGroupArn").asText();
        assertThat(elb.call("CreateTargetGroup", group("same", Map.of())).at("/TargetGroups/0/TargetGroupArn").asText())
                .isEqualTo(arn);
        elb.fails("CreateTargetGroup", group("same", Map.of("Port", 81)), "DuplicateTargetGroupName");
    }

    @Test
    void attributesHaveAlbsDefaultsAndRanges() {
        String arn = elb.call("CreateTargetGroup", group("attrs", Map.of())).at("/TargetGroups/0/TargetGroupArn").asText();
        String described = elb.call("DescribeTargetGroupAttributes", Map.of("TargetGroupArn", arn)).toString();
        assertThat(described).contains("{\"Key\":\"deregistration_delay.timeout_seconds\",\"Value\":\"300\"}")
                .contains("{\"Key\":\"slow_start.duration_seconds\",\"Value\":\"0\"}")
                .contains("{\"Key\":\"load_balancing.algorithm.type\",\"Value\":\"round_robin\"}")
                .contains("{\"Key\":\"stickiness.type\",\"Value\":\"lb_cookie\"}")
                .contains("{\"Key\":\"stickiness.lb_cookie.duration_seconds\",\"Value\":\"86400\"}");

        for (Map<String, String> bad : List.of(
                Map.of("Key", "deregistration_delay.timeout_seconds", "Value", "3601"),
                Map.of("Key", "slow_start.duration_seconds", "Value", "29"),
                Map.of("Key", "load_balancing.algorithm.type", "Value", "random"),
                Map.of("Key", "stickiness.enabled", "Value", "yes"))) {
            elb.fails("ModifyTargetGroupAttributes", Map.of("TargetGroupArn", arn, "Attributes", List.of(bad)),
                    "ValidationError");
        }
        String modified = elb.call("ModifyTargetGroupAttributes", Map.of("TargetGroupArn", arn, "Attributes", List.of(
                Map.of("Key", "slow_start.duration_seconds", "Value", "30"),
                Map.of("Key", "load_balancing.algorithm.type", "Value", "least_outstanding_requests")))).toString();
        assertThat(modified).contains("{\"Key\":\"slow_start.duration_seconds\",\"Value\":\"30\"}")
                .contains("{\"Key\":\"load_balancing.algorithm.type\",\"Value\":\"least_outstanding_requests\"}");
    }

    @Test
    void describingByLoadBalancerNamesTheGroupsItsListenersAndRulesForwardTo() {
        String lb = elb.loadBalancer("web");
        String first = elb.call("CreateTargetGroup", group("first", Map.of())).at("/TargetGroups/0/TargetGroupArn").asText();
        String second = elb.call("CreateTargetGroup", group("second", Map.of())).at("/TargetGroups/0/TargetGroupArn").asText();
        elb.call("CreateTargetGroup", group("unused", Map.of()));
        String listener = elb.listener(lb, 80, ElbHarness.forward(first));
        elb.rule(listener, 1, ElbHarness.path("/s"), ElbHarness.forward(second));

        JsonNode groups = elb.call("DescribeTargetGroups", Map.of("LoadBalancerArn", lb)).path("TargetGroups");
        assertThat(groups).hasSize(2);
        assertThat(groups.findValuesAsText("TargetGroupArn")).containsExactly(first, second);
    }

    @Test
    void tagsAreAddedReplacedAndRemoved() {
        String arn = elb.call("CreateTargetGroup", group("tagged", Map.of("Tags", List.of(Map.of("Key", "a", "Value", "1")))))
                .at("/TargetGroups/0/TargetGroupArn").asText();
        elb.call("AddTags", Map.of("ResourceArns", List.of(arn), "Tags", List.of(Map.of("Key", "a", "Value", "2"),
                Map.of("Key", "b", "Value", "3"))));
        elb.call("RemoveTags", Map.of("ResourceArns", List.of(arn), "TagKeys", List.of("b")));
        JsonNode tags = elb.call("DescribeTags", Map.of("ResourceArns", List.of(arn))).at("/TagDescriptions/0/Tags");
        assertThat(tags.toString()).isEqualTo("[{\"Key\":\"a\",\"Value\":\"2\"}]");
        elb.fails("AddTags", Map.of("ResourceArns", List.of(arn), "Tags", List.of(Map.of("Key", "c", "Value", "1"),
                Map.of("Key", "c", "Value", "2"))), "DuplicateTagKeys");
    }
}
