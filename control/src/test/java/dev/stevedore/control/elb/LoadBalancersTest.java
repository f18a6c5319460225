package dev.stevedore.control.elb;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LoadBalancersTest {
    final ElbHarness elb = new ElbHarness();

    @Test
    void eachLoadBalancerTakesTheLowestFreeLoopbackAddressAndGivesItBackWhenDeleted() {
        String a = elb.loadBalancer("a");
        String b = elb.loadBalancer("b");
        JsonNode described = elb.call("DescribeLoadBalancers", Map.of("LoadBalancerArns", List.of(a, b)));
        assertThat(described.at("/LoadBalancers/0/DNSName").asText()).isEqualTo("127.100.0.1");
        assertThat(described.at("/LoadBalancers/1/DNSName").asText()).isEqualTo("127.100.0.2");
        assertThat(described.at("/LoadBalancers/0/State/Code").asText()).isEqualTo("active");

        elb.call("DeleteLoadBalancer", Map.of("LoadBalancerArn", a));
        String c = elb.loadBalancer("c");
        assertThat(elb.call("DescribeLoadBalancers", Map.of("LoadBalancerArns", List.of(c)))
                .at("/LoadBalancers/0/DNSName").asText()).isEqualTo("127.100.0.1");
    }

    @Test
    void aFullPoolRefusesTheNextLoadBalancer() {
        ElbHarness small = new ElbHarness("127.200.0.0/30");
        small.loadBalancer("one");
        small.loadBalancer("two");
        small.fails("CreateLoadBalancer", Map.of("Name", "three", "Subnets", small.subnets.subList(0, 2)),
                "TooManyLoadBalancers");
    }

    @Test
    void anAlbNeedsTwoZonesOfOneVpcAndAValidName() {
        elb.fails("CreateLoadBalancer", Map.of("Name", "one", "Subnets", elb.subnets.subList(0, 1)), "ValidationError");
        elb.fails("CreateLoadBalancer", Map.of("Name", "x", "Subnets", List.of(elb.subnets.getFirst(), "subnet-0000")),
                "SubnetNotFound");
        elb.fails("CreateLoadBalancer", Map.of("Name", "-bad", "Subnets", elb.subnets.subList(0, 2)), "ValidationError");
        elb.fails("CreateLoadBalancer", Map.of("Name", "internal-x", "Subnets", elb.subnets.subList(0, 2)),
                "ValidationError");
        elb.fails("CreateLoadBalancer", Map.of("Name", "n", "Type", "network", "Subnets", elb.subnets.subList(0, 2)),
                "OperationNotPermitted");
    }

    @Test
    void theSameRequestAgainAnswersTheLoadBalancerButOtherSettingsAreADuplicate() {
        String arn = elb.loadBalancer("same");
        assertThat(elb.loadBalancer("same")).isEqualTo(arn);
        elb.fails("CreateLoadBalancer", Map.of("Name", "same", "Subnets", elb.subnets.subList(1, 3)),
                "DuplicateLoadBalancerName");
    }

    @Test
    void deletingALoadBalancerDeletesItsListenersAndRules() {
        String lb = elb.loadBalancer("web");
        String tg = elb.targetGroup("api");
        String listener = elb.listener(lb, 80, ElbHarness.forward(tg));
        elb.rule(listener, 1, ElbHarness.path("/a"), ElbHarness.forward(tg));

        elb.call("DeleteLoadBalancer", Map.of("LoadBalancerArn", lb));

        assertThat(elb.store.range(ElbKeys.listeners(ElbHarness.SCOPE))).isEmpty();
        assertThat(elb.store.range(ElbKeys.rules(ElbHarness.SCOPE))).isEmpty();
        assertThat(elb.call("DescribeTargetGroups", Map.of("TargetGroupArns", List.of(tg)))
                .at("/TargetGroups/0/LoadBalancerArns").size()).isZero();
        elb.call("DeleteTargetGroup", Map.of("TargetGroupArn", tg));
    }

    @Test
    void attributesHaveAlbsDefaultsAndRefuseUnknownKeysAndValuesOutOfRange() {
        String lb = elb.loadBalancer("attrs");
        JsonNode attributes = elb.call("DescribeLoadBalancerAttributes", Map.of("LoadBalancerArn", lb)).path("Attributes");
        assertThat(attributes.toString()).contains("{\"Key\":\"idle_timeout.timeout_seconds\",\"Value\":\"60\"}")
                .contains("{\"Key\":\"routing.http2.enabled\",\"Value\":\"true\"}");

        elb.fails("ModifyLoadBalancerAttributes", Map.of("LoadBalancerArn", lb, "Attributes",
                List.of(Map.of("Key", "idle_timeout.timeout_seconds", "Value", "4001"))), "ValidationError");
        elb.fails("ModifyLoadBalancerAttributes", Map.of("LoadBalancerArn", lb, "Attributes",
                List.of(Map.of("Key", "no.such.key", "Value", "1"))), "ValidationError");

        elb.call("ModifyLoadBalancerAttributes", Map.of("LoadBalancerArn", lb, "Attributes",
                List.of(Map.of("Key", "deletion_protection.enabled", "Value", "true"))));
        elb.fails("DeleteLoadBalancer", Map.of("LoadBalancerArn", lb), "OperationNotPermitted");
    }

    @Test
    void describingByNamesThatDoNotExistIsLoadBalancerNotFound() {
        elb.loadBalancer("here");
        assertThat(elb.fails("DescribeLoadBalancers", Map.of("Names", List.of("here", "gone")), "LoadBalancerNotFound")
                .getMessage()).contains("gone");
    }
}
