package dev.stevedore.control.elb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.elb.snapshot.ElbSnapshot;
import dev.stevedore.control.state.StoreTx;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TargetHealthTest {
    final ElbHarness elb = new ElbHarness();
    String lb;
    String tg;

    @BeforeEach
    void setUp() {
        lb = elb.loadBalancer("web");
        tg = elb.targetGroup("api");
    }

    private JsonNode health(String id, int port) {
        return elb.call("DescribeTargetHealth", Map.of("TargetGroupArn", tg, "Targets",
                List.of(Map.of("Id", id, "Port", port)))).at("/TargetHealthDescriptions/0");
    }

    private void register(String id, int port) {
        elb.call("RegisterTargets", Map.of("TargetGroupArn", tg, "Targets", List.of(Map.of("Id", id, "Port", port))));
    }

    @Test
    void registrationsAndTheDataPlanesReadingsCombineAsAlbReportsThem() {
        register("172.31.0.5", 8080);
        assertThat(health("172.31.0.5", 8080).at("/TargetHealth/Reason").asText()).isEqualTo("Target.NotInUse");
        assertThat(health("172.31.0.6", 8080).at("/TargetHealth/Reason").asText()).isEqualTo("Target.NotRegistered");

        elb.listener(lb, 80, ElbHarness.forward(tg));
        JsonNode initial = health("172.31.0.5", 8080);
        assertThat(initial.at("/TargetHealth/State").asText()).isEqualTo("initial");
        assertThat(initial.at("/TargetHealth/Reason").asText()).isEqualTo("Elb.RegistrationInProgress");

        elb.reading(tg, "172.31.0.5", 8080, "initial", "", 0);
        assertThat(health("172.31.0.5", 8080).at("/TargetHealth/Reason").asText()).isEqualTo("Elb.InitialHealthChecking");

        elb.reading(tg, "172.31.0.5", 8080, "healthy", "", 0);
        JsonNode healthy = health("172.31.0.5", 8080);
        assertThat(healthy.at("/TargetHealth/State").asText()).isEqualTo("healthy");
        assertThat(healthy.path("TargetHealth").has("Reason")).isFalse();
        assertThat(healthy.path("TargetHealth").has("Description")).isFalse();

        elb.reading(tg, "172.31.0.5", 8080, "unhealthy", "Target.ResponseCodeMismatch", 0);
        JsonNode unhealthy = health("172.31.0.5", 8080);
        assertThat(unhealthy.at("/TargetHealth/State").asText()).isEqualTo("unhealthy");
        assertThat(unhealthy.at("/TargetHealth/Reason").asText()).isEqualTo("Target.ResponseCodeMismatch");
    }

    @Test
    void aDeregisteredTargetDrainsForTheDelayUnlessNothingIsInFlight() {
        elb.listener(lb, 80, ElbHarness.forward(tg));
        register("172.31.0.5", 80);
        register("172.31.0.6", 80);
        elb.reading(tg, "172.31.0.6", 80, "healthy", "", 3);
        elb.call("DeregisterTargets", Map.of("TargetGroupArn", tg, "Targets",
                List.of(Map.of("Id", "172.31.0.5"), Map.of("Id", "172.31.0.6"))));

        assertThat(health("172.31.0.6", 80).at("/TargetHealth/State").asText()).isEqualTo("draining");
        assertThat(health("172.31.0.5", 80).at("/TargetHealth/Reason").asText())
                .isEqualTo("Target.DeregistrationInProgress");

        // The data plane reads nothing in flight to one of them: it is done at once, as on AWS.
        elb.reading(tg, "172.31.0.6", 80, "healthy", "", 0);
        assertThat(health("172.31.0.6", 80).at("/TargetHealth/Reason").asText()).isEqualTo("Target.NotRegistered");

        elb.clock.advance(Duration.ofSeconds(299));
        assertThat(health("172.31.0.5", 80).at("/TargetHealth/State").asText()).isEqualTo("draining");
        elb.clock.advance(Duration.ofSeconds(1));
        assertThat(elb.call("DescribeTargetHealth", Map.of("TargetGroupArn", tg)).path("TargetHealthDescriptions"))
                .isEmpty();
        assertThat(elb.store.range(ElbKeys.targetsOf(ElbHarness.SCOPE, "api"))).isEmpty();
    }

    @Test
    void registeringADrainingTargetRegistersItAgainAndDeregisteringAnUnknownOneIsInvalidTarget() {
        elb.listener(lb, 80, ElbHarness.forward(tg));
        register("172.31.0.5", 80);
        elb.call("DeregisterTargets", Map.of("TargetGroupArn", tg, "Targets", List.of(Map.of("Id", "172.31.0.5"))));
        register("172.31.0.5", 80);
        assertThat(health("172.31.0.5", 80).at("/TargetHealth/State").asText()).isEqualTo("initial");

        elb.fails("DeregisterTargets", Map.of("TargetGroupArn", tg, "Targets", List.of(Map.of("Id", "172.31.0.9"))),
                "InvalidTarget");
    }

    @Test
    void aTargetWhoseDrainingIsOverCanBeRegisteredAgain() {
        elb.listener(lb, 80, ElbHarness.forward(tg));
        register("172.31.0.5", 80);
        elb.call("DeregisterTargets", Map.of("TargetGroupArn", tg, "Targets", List.of(Map.of("Id", "172.31.0.5"))));
        elb.clock.advance(Duration.ofSeconds(301));

        register("172.31.0.5", 80);

        assertThat(health("172.31.0.5", 80).at("/TargetHealth/State").asText()).isEqualTo("initial");
    }

    @Test
    void aGroupMadeAgainUnderTheSameNameStartsWithoutTargets() {
        register("172.31.0.5", 80);
        elb.call("DeleteTargetGroup", Map.of("TargetGroupArn", tg));
        tg = elb.targetGroup("api");
        assertThat(elb.call("DescribeTargetHealth", Map.of("TargetGroupArn", tg)).path("TargetHealthDescriptions"))
                .isEmpty();
    }

    @Test
    void instanceTargetsMustBeInstancesRegisteredWithACluster() {
        String instances = elb.call("CreateTargetGroup", Map.of("Name", "hosts", "Protocol", "HTTP", "Port", 80,
                "VpcId", elb.vpcId)).at("/TargetGroups/0/TargetGroupArn").asText();
        String instance = "i-0123456789abcdef0";
        elb.fails("RegisterTargets", Map.of("TargetGroupArn", instances, "Targets", List.of(Map.of("Id", instance))),
                "InvalidTarget");

        StoreTx.run(elb.store, tx -> {
            tx.put(EcsKeys.ec2InstanceIndex(ElbHarness.SCOPE, "default", instance), Map.of("id", "ci-1"));
            return null;
        });
        elb.call("RegisterTargets", Map.of("TargetGroupArn", instances, "Targets", List.of(Map.of("Id", instance))));
        assertThat(elb.call("DescribeTargetHealth", Map.of("TargetGroupArn", instances))
                .at("/TargetHealthDescriptions/0/Target/Id").asText()).isEqualTo(instance);
    }

    @Test
    void ipTargetsMustBeInTheVpcOrPrivateWithZoneAll() {
        elb.fails("RegisterTargets", Map.of("TargetGroupArn", tg, "Targets", List.of(Map.of("Id", "8.8.8.8"))),
                "InvalidTarget");
        elb.fails("RegisterTargets", Map.of("TargetGroupArn", tg, "Targets", List.of(Map.of("Id", "10.1.2.3"))),
                "ValidationError");
        elb.fails("RegisterTargets", Map.of("TargetGroupArn", tg, "Targets", List.of(Map.of("Id", "not-an-ip"))),
                "ValidationError");
        elb.call("RegisterTargets", Map.of("TargetGroupArn", tg, "Targets",
                List.of(Map.of("Id", "10.1.2.3", "AvailabilityZone", "all"))));
        assertThat(health("10.1.2.3", 80).at("/Target/AvailabilityZone").asText()).isEqualTo("all");
    }

    @Test
    void theServiceDoorRegistersInTheCallersTransactionAndReadsHealthAsDescribeTargetHealthDoes() {
        elb.listener(lb, 80, ElbHarness.forward(tg));
        ServiceTargets door = elb.api.serviceTargets();
        TargetRef target = new TargetRef("172.31.0.7", 8080);

        TargetGroupFacts facts = door.targetGroup(ElbHarness.SCOPE, tg).orElseThrow();
        assertThat(facts.targetType()).isEqualTo("ip");
        assertThat(facts.loadBalancerArns()).containsExactly(lb);
        assertThat(facts.deregistrationDelaySeconds()).isEqualTo(300);
        assertThat(door.targetGroup(ElbHarness.SCOPE, tg.replace("api", "nope"))).isEmpty();

        StoreTx.run(elb.store, tx -> {
            door.register(tx, ElbHarness.SCOPE, tg, target);
            return null;
        });
        assertThat(door.health(ElbHarness.SCOPE, tg, target))
                .isEqualTo(new TargetHealth("initial", "Elb.RegistrationInProgress", "Target registration is in progress"));
        assertThat(health("172.31.0.7", 8080).at("/TargetHealth/Description").asText())
                .isEqualTo("Target registration is in progress");

        StoreTx.run(elb.store, tx -> {
            door.deregister(tx, ElbHarness.SCOPE, tg, target);
            door.deregister(tx, ElbHarness.SCOPE, tg, new TargetRef("172.31.0.8", 80));  // not registered: nothing
            return null;
        });
        assertThat(door.health(ElbHarness.SCOPE, tg, target).state()).isEqualTo("draining");
        assertThat(health("172.31.0.7", 8080).at("/TargetHealth/State").asText()).isEqualTo("draining");
    }

    @Test
    void theSnapshotHasEverythingTheDataPlaneServes() {
        String listener = elb.listener(lb, 80, Map.of("Type", "fixed-response",
                "FixedResponseConfig", Map.of("StatusCode", "404")));
        elb.rule(listener, 20, ElbHarness.path("/b"), ElbHarness.forward(tg));
        elb.rule(listener, 10, ElbHarness.path("/a"), ElbHarness.forward(tg));
        register("172.31.0.5", 80);
        register("172.31.0.6", 80);
        elb.call("DeregisterTargets", Map.of("TargetGroupArn", tg, "Targets", List.of(Map.of("Id", "172.31.0.6"))));

        ElbSnapshot snapshot = elb.api.snapshots().read();

        ElbSnapshot.LoadBalancerView view = snapshot.loadBalancers().getFirst();
        assertThat(view.address()).isEqualTo("127.100.0.1");
        assertThat(view.attributes()).containsEntry("idle_timeout.timeout_seconds", "60");
        List<ElbSnapshot.RuleView> rules = view.listeners().getFirst().rules();
        assertThat(rules).extracting(r -> r.priority().orElse(0)).containsExactly(10, 20, 0);
        assertThat(rules.getLast().isDefault()).isTrue();
        ElbSnapshot.TargetGroupView group = snapshot.targetGroup(tg).orElseThrow();
        assertThat(group.healthCheck().path()).isEqualTo("/");
        assertThat(group.deregistrationDelaySeconds()).isEqualTo(300);
        assertThat(group.targets()).extracting(t -> t.target().id() + ":" + t.isDraining())
                .containsExactly("172.31.0.5:false", "172.31.0.6:true");
    }
}
