package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * The ELB API and the data plane the server runs, together, without containers: instance targets on this
 * machine (three small HTTP servers, reached at 127.0.0.1 and their port as an instance target's host port
 * is), traffic from a real HTTP client to the load balancer's own loopback address.
 */
class LoadBalancerTrafficIT {
    private static final String INSTANCE_ID = "i-0b1b2c3d4e5f60718";
    private static final String DOCUMENT = EdgesIT.M5_XLARGE.replace("i-0a1b2c3d4e5f60718", INSTANCE_ID);

    static InProcessStevedore stevedore;
    static ElasticLoadBalancingV2Client elb;
    static final List<HttpServer> backends = new ArrayList<>();
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() throws IOException {
        stevedore = InProcessStevedore.start();
        elb = stevedore.elbv2();
        for (String name : List.of("a", "b", "c")) {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("X-Seen-Forwarded-For",
                        String.valueOf(exchange.getRequestHeaders().getFirst("X-Forwarded-For")));
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            backends.add(server);
        }
    }

    @AfterAll
    static void stop() {
        backends.forEach(s -> s.stop(0));
        elb.close();
        stevedore.close();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> states(String tgArn) {
        return elb.describeTargetHealth(b -> b.targetGroupArn(tgArn)).targetHealthDescriptions().stream()
                .map(d -> d.target().port() + "=" + d.targetHealth().stateAsString()).sorted().toList();
    }

    @Test
    void requestsGoRoundRobinToHealthyTargetsAndStopGoingToADeregisteredOrDeadOne() throws Exception {
        try (EcsClient ecs = stevedore.ecs(); Ec2Client ec2 = stevedore.ec2()) {
            ecs.createCluster(b -> b.clusterName("lb-traffic"));
            ecs.registerContainerInstance(b -> b.cluster("lb-traffic").instanceIdentityDocument(DOCUMENT)
                    .instanceIdentityDocumentSignature("signature"));
            List<Subnet> subnets = ec2.describeSubnets().subnets();
            String vpcId = subnets.get(0).vpcId();
            LoadBalancer lb = elb.createLoadBalancer(b -> b.name("traffic")
                    .subnets(subnets.stream().map(Subnet::subnetId).toList())).loadBalancers().getFirst();
            String tg = elb.createTargetGroup(b -> b.name("traffic").protocol("HTTP").port(80).vpcId(vpcId)
                    .targetType("instance").healthCheckIntervalSeconds(5).healthCheckTimeoutSeconds(2)
                    .healthyThresholdCount(2).unhealthyThresholdCount(2)).targetGroups().getFirst().targetGroupArn();
            elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(tg).attributes(a -> a
                    .key("deregistration_delay.timeout_seconds").value("5")));
            elb.createListener(b -> b.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTP").port(8080)
                    .defaultActions(Action.builder().type("forward").targetGroupArn(tg).build()));
            elb.registerTargets(b -> b.targetGroupArn(tg).targets(backends.stream()
                    .map(s -> TargetDescription.builder().id(INSTANCE_ID).port(s.getAddress().getPort()).build())
                    .toList()));
            assertThat(states(tg)).allSatisfy(s -> assertThat(s).endsWith("=initial"));

            await().atMost(Duration.ofSeconds(30)).until(() -> states(tg).stream().allMatch(s -> s.endsWith("=healthy")));
            String url = "http://" + lb.dnsName() + ":8080/";
            Map<String, Integer> answers = new HashMap<>();
            for (int i = 0; i < 30; i++) {
                HttpResponse<String> r = get(url);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("X-Seen-Forwarded-For")).hasValue("127.0.0.1");
                answers.merge(r.body(), 1, Integer::sum);
            }
            assertThat(answers).containsOnly(Map.entry("a", 10), Map.entry("b", 10), Map.entry("c", 10));

            // Deregistered: draining, then gone at once (nothing in flight). The data plane applies the change from
            // the store's watch, a moment after the call is answered (an ALB takes seconds): once it has (three
            // round-robin requests in a row miss the target), no request reaches the target again.
            int aPort = backends.get(0).getAddress().getPort();
            elb.deregisterTargets(b -> b.targetGroupArn(tg).targets(t -> t.id(INSTANCE_ID).port(aPort)));
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                for (int i = 0; i < 3; i++) {
                    if (get(url).body().equals("a")) {
                        return false;
                    }
                }
                return true;
            });
            for (int i = 0; i < 20; i++) {
                assertThat(get(url).body()).isIn("b", "c");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> states(tg).size() == 2);
            TargetHealthDescription gone = elb.describeTargetHealth(b -> b.targetGroupArn(tg)
                    .targets(t -> t.id(INSTANCE_ID).port(aPort))).targetHealthDescriptions().getFirst();
            assertThat(gone.targetHealth().stateAsString()).isEqualTo("unused");
            assertThat(gone.targetHealth().reasonAsString()).isEqualTo("Target.NotRegistered");

            // A target that dies: its requests fail (502) only until the health checks find it unhealthy.
            backends.get(1).stop(0);
            await().atMost(Duration.ofSeconds(30)).until(() -> states(tg).stream().anyMatch(s -> s.endsWith("=unhealthy")));
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = get(url);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("c");
            }

            // Every target unhealthy: ALB fails open and tries them all (the dead one answers 502).
            backends.get(2).stop(0);
            await().atMost(Duration.ofSeconds(30)).until(() -> states(tg).stream().allMatch(s -> s.endsWith("=unhealthy")));
            assertThat(get(url).statusCode()).isEqualTo(502);
        }
    }
}
