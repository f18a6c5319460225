package dev.stevedore.server.lb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.elb.TargetRef;
import dev.stevedore.control.elb.snapshot.ElbSnapshot;
import dev.stevedore.control.elb.targetgroup.HealthCheckSettings;
import dev.stevedore.lb.config.Listener;
import dev.stevedore.lb.config.ProxyConfig;
import dev.stevedore.lb.config.Target;
import dev.stevedore.lb.config.TargetGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxyConfigsTest {
    private static final EcsScope SCOPE = new EcsScope("123456789012", "us-east-1");
    private static final String GROUP = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1";

    private static ElbSnapshot.TargetGroupView group(String type, List<ElbSnapshot.TargetView> targets) {
        return new ElbSnapshot.TargetGroupView(SCOPE, GROUP, "web", "HTTP", 80, type, HealthCheckSettings.DEFAULTS,
                Map.of("deregistration_delay.timeout_seconds", "5", "slow_start.duration_seconds", "0"), targets);
    }

    private static ElbSnapshot.TargetView registered(String id, int port) {
        return new ElbSnapshot.TargetView(new TargetRef(id, port), Optional.empty());
    }

    private static ElbSnapshot.TargetView draining(String id, int port) {
        return new ElbSnapshot.TargetView(new TargetRef(id, port), Optional.of(Instant.EPOCH));
    }

    private static TargetGroup translated(ElbSnapshot.TargetGroupView group) {
        ProxyConfig config = ProxyConfigs.of(new ElbSnapshot(1, List.of(), List.of(group)));
        return config.targetGroups().get(GROUP);
    }

    @Test
    void ipTargetsGoToTheirAddressAndInstanceTargetsToLoopback() {
        assertThat(translated(group("ip", List.of(registered("10.0.1.5", 8080)))).targets())
                .containsExactly(new Target("10.0.1.5", 8080, false));
        assertThat(translated(group("instance", List.of(registered("i-0123456789abcdef0", 32768)))).targets())
                .containsExactly(new Target("127.0.0.1", 32768, false));
    }

    @Test
    void aHostPortOfADrainingTaskTakenByANewOneIsServedAsTheNewOne() {
        // Two agents of this machine: the port a draining task freed on one is the new task's on the other.
        TargetGroup group = translated(group("instance", List.of(
                draining("i-000000000000000aa", 32768), registered("i-000000000000000bb", 32768),
                registered("i-000000000000000bb", 32769))));
        assertThat(group.targets()).containsExactly(new Target("127.0.0.1", 32768, false),
                new Target("127.0.0.1", 32769, false));
    }

    @Test
    void eachListenerServesWithItsLoadBalancersIdleTimeout() {
        ProxyConfig config = ProxyConfigs.of(new ElbSnapshot(1, List.of(
                loadBalancer("patient", "127.100.0.1", Map.of("idle_timeout.timeout_seconds", "4000")),
                loadBalancer("quick", "127.100.0.2", Map.of("idle_timeout.timeout_seconds", "1")),
                loadBalancer("plain", "127.100.0.3", Map.of())), List.of()));

        assertThat(config.listeners()).extracting(Listener::address, Listener::idleTimeout).containsExactly(
                org.assertj.core.groups.Tuple.tuple("127.100.0.1", Duration.ofSeconds(4000)),
                org.assertj.core.groups.Tuple.tuple("127.100.0.2", Duration.ofSeconds(1)),
                org.assertj.core.groups.Tuple.tuple("127.100.0.3", Duration.ofSeconds(60)));
    }

    private static ElbSnapshot.LoadBalancerView loadBalancer(String name, String address, Map<String, String> attributes) {
        var fixed = dev.stevedore.model.elbv2.Action.builder().type("fixed-response")
                .fixedResponseConfig(dev.stevedore.model.elbv2.FixedResponseActionConfig.builder().statusCode("200").build())
                .build();
        var defaultRule = new ElbSnapshot.RuleView(name + "/default", Optional.empty(), List.of(), List.of(fixed));
        return new ElbSnapshot.LoadBalancerView(SCOPE, "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/"
                + name + "/1", name, address, "internet-facing", attributes,
                List.of(new ElbSnapshot.ListenerView(name + "/listener", 80, "HTTP", List.of(defaultRule))));
    }
}
