package dev.stevedore.control.elb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.control.MovableClock;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ec2.Ipv4Cidr;
import dev.stevedore.control.ec2.VpcDirectory;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.model.ec2.Subnet;
import dev.stevedore.control.state.Records;
import dev.stevedore.store.InMemoryStateStore;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ELB API over a real (in-memory) store with the default VPC, called as the Query endpoint calls it: an
 * {@code ObjectNode} keyed by member names in, the output as JSON out. The data plane's readings are a map
 * the test fills.
 */
final class ElbHarness {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";
    static final EcsScope SCOPE = new EcsScope(ACCOUNT, REGION);

    final StateStore store = new InMemoryStateStore();
    final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T09:00:00Z"));
    final Map<String, TargetHealthReadings.Reading> readings = new HashMap<>();
    final ElbApi api;
    final List<String> subnets;
    final String vpcId;

    ElbHarness() {
        this("127.100.0.0/16");
    }

    ElbHarness(String pool) {
        VpcDirectory vpcs = new VpcDirectory(store);
        api = new ElbApi(store, clock, vpcs, (group, target) -> Optional.ofNullable(readings.get(group + "|" + target.id()
                + ":" + target.port())), Ipv4Cidr.parse(pool).orElseThrow());
        vpcs.defaultSecurityGroup(SCOPE, "vpc-none");  // any lookup makes the scope's default VPC
        List<Subnet> all = store.range(Ec2Keys.subnets(SCOPE)).stream()
                .map(kv -> Records.decode(kv.value(), Subnet.class)).toList();
        subnets = all.stream().map(Subnet::subnetId).toList();
        vpcId = all.getFirst().vpcId();
    }

    void reading(String targetGroupArn, String id, int port, String verdict, String reason, int inFlight) {
        readings.put(targetGroupArn + "|" + id + ":" + port, new TargetHealthReadings.Reading(verdict, reason,
                reason.isEmpty() ? "" : "Health checks failed", inFlight));
    }

    JsonNode call(String operation, Object request) {
        ObjectNode input = AwsJson.mapper().valueToTree(request);
        CallContext ctx = new CallContext(UUID.randomUUID().toString(),
                new Principal(ACCOUNT, "AKIAROOT", "arn:aws:iam::" + ACCOUNT + ":root"), operation, REGION);
        Object result = api.operations().get(operation).handle(ctx, input);
        return result == null ? AwsJson.mapper().createObjectNode() : AwsJson.mapper().valueToTree(result);
    }

    /** Calls an operation that must fail with {@code code}, and checks that it changed nothing in the store. */
    AwsException fails(String operation, Object request, String code) {
        Map<String, Long> before = snapshot();
        try {
            call(operation, request);
        } catch (AwsException e) {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            assertThat(snapshot()).as("store after a failed " + operation).isEqualTo(before);
            return e;
        }
        throw new AssertionError(operation + " did not fail with " + code);
    }

    Map<String, Long> snapshot() {
        Map<String, Long> keys = new LinkedHashMap<>();
        for (KeyValue kv : store.range(ElbKeys.ROOT)) {
            keys.put(kv.key(), kv.modRevision());
        }
        return keys;
    }

    // Shorthands that make the usual resources.

    String loadBalancer(String name) {
        return call("CreateLoadBalancer", Map.of("Name", name, "Subnets", subnets.subList(0, 2)))
                .at("/LoadBalancers/0/LoadBalancerArn").asText();
    }

    String targetGroup(String name) {
        return call("CreateTargetGroup", Map.of("Name", name, "Protocol", "HTTP", "Port", 80, "VpcId", vpcId,
                "TargetType", "ip")).at("/TargetGroups/0/TargetGroupArn").asText();
    }

    static Map<String, Object> forward(String targetGroupArn) {
        return Map.of("Type", "forward", "TargetGroupArn", targetGroupArn);
    }

    String listener(String loadBalancerArn, int port, Map<String, Object> action) {
        return call("CreateListener", Map.of("LoadBalancerArn", loadBalancerArn, "Protocol", "HTTP", "Port", port,
                "DefaultActions", List.of(action))).at("/Listeners/0/ListenerArn").asText();
    }

    static Map<String, Object> path(String... patterns) {
        return Map.of("Field", "path-pattern", "Values", List.of(patterns));
    }

    String rule(String listenerArn, int priority, Map<String, Object> condition, Map<String, Object> action) {
        return call("CreateRule", Map.of("ListenerArn", listenerArn, "Priority", priority,
                "Conditions", List.of(condition), "Actions", List.of(action))).at("/Rules/0/RuleArn").asText();
    }
}
