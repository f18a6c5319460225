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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;

/**
 * A server started with {@code up --lb external} binds no listener; a real {@code stevedore lb} process serves its
 * load balancers: it follows the configuration stream, reports its health checks (which DescribeTargetHealth and
 * draining answer from), and keeps serving while the server is down. Targets are small HTTP servers of this test,
 * reached as instance targets' host ports are (127.0.0.1 and the port).
 */
class ExternalLoadBalancerProcessIT {
    private static final String INSTANCE_ID = "i-0e1b2c3d4e5f60718";
    private static final String DOCUMENT = EdgesIT.M5_XLARGE.replace("i-0a1b2c3d4e5f60718", INSTANCE_ID);

    @TempDir
    Path tmp;

    private final List<HttpServer> backends = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private StevedoreProcess server;
    private Process lb;
    private Path lbLog;

    @AfterEach
    void stop() throws IOException {
        if (lb != null) {
            lb.destroy();
        }
        if (server != null) {
            server.close();
        }
        backends.forEach(s -> s.stop(0));
        if (lbLog != null && Files.exists(lbLog)) {
            System.out.println("--- stevedore lb output ---\n" + Files.readString(lbLog));
        }
    }

    @Test
    void theLbProcessServesReportsHealthFollowsChangesAndOutlivesTheServer() throws Exception {
        Path dataDir = tmp.resolve("data");
        int port = StevedoreProcess.freePort();
        server = StevedoreProcess.start(dataDir, port, "--lb", "external");
        lb = startLb(port);
        for (String name : List.of("a", "b", "c")) {
            backends.add(backend(name));
        }
        int listenerPort = StevedoreProcess.freePort();
        String url;
        String tg;
        String listenerArn;
        int aPort = backends.get(0).getAddress().getPort();
        try (EcsClient ecs = server.ecs(); Ec2Client ec2 = server.ec2(); ElasticLoadBalancingV2Client elb = server.elbv2()) {
            ecs.createCluster(b -> b.clusterName("external-lb"));
            ecs.registerContainerInstance(b -> b.cluster("external-lb").instanceIdentityDocument(DOCUMENT)
                    .instanceIdentityDocumentSignature("signature"));
            List<Subnet> subnets = ec2.describeSubnets().subnets();
            LoadBalancer balancer = elb.createLoadBalancer(b -> b.name("external")
                    .subnets(subnets.stream().map(Subnet::subnetId).toList())).loadBalancers().getFirst();
            tg = elb.createTargetGroup(b -> b.name("external").protocol("HTTP").port(80).vpcId(subnets.get(0).vpcId())
                    .targetType("instance").healthCheckIntervalSeconds(5).healthCheckTimeoutSeconds(2)
                    .healthyThresholdCount(2).unhealthyThresholdCount(2)).targetGroups().getFirst().targetGroupArn();
            String group = tg;
            elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(group).attributes(a -> a
                    .key("deregistration_delay.timeout_seconds").value("60")));
            listenerArn = elb.createListener(b -> b.loadBalancerArn(balancer.loadBalancerArn()).protocol("HTTP")
                    .port(listenerPort).defaultActions(Action.builder().type("forward").targetGroupArn(group).build()))
                    .listeners().getFirst().listenerArn();
            elb.registerTargets(b -> b.targetGroupArn(group).targets(backends.stream()
                    .map(s -> TargetDescription.builder().id(INSTANCE_ID).port(s.getAddress().getPort()).build())
                    .toList()));
            url = "http://" + balancer.dnsName() + ":" + listenerPort;

            // Health from the process's reports: initial first, then healthy once its checks pass twice.
            assertThat(states(elb, tg)).allSatisfy(s -> assertThat(s).endsWith("=initial"));
            await().atMost(Duration.ofSeconds(60)).until(() -> states(elb, group).stream().allMatch(s -> s.endsWith("=healthy")));

            Map<String, Integer> answers = new HashMap<>();
            for (int i = 0; i < 30; i++) {
                HttpResponse<String> r = get(url + "/");
                assertThat(r.statusCode()).isEqualTo(200);
                answers.merge(r.body(), 1, Integer::sum);
            }
            assertThat(answers).containsOnly(Map.entry("a", 10), Map.entry("b", 10), Map.entry("c", 10));

            // A new rule reaches the process.
            String listener = listenerArn;
            elb.createRule(b -> b.listenerArn(listener).priority(10)
                    .conditions(c -> c.field("path-pattern").values("/rule"))
                    .actions(Action.builder().type("fixed-response").fixedResponseConfig(f -> f.statusCode("200")
                            .contentType("text/plain").messageBody("from-rule")).build()));
            await().atMost(Duration.ofSeconds(20)).until(() -> get(url + "/rule").body().equals("from-rule"));

            // A deregistration: the process stops sending to the target, and its report (draining, nothing in
            // flight) ends the drain well before the 60 s delay.
            elb.deregisterTargets(b -> b.targetGroupArn(group).targets(t -> t.id(INSTANCE_ID).port(aPort)));
            await().atMost(Duration.ofSeconds(30)).until(() -> states(elb, group).size() == 2);
            for (int i = 0; i < 20; i++) {
                assertThat(get(url + "/").body()).isIn("b", "c");
            }
        }

        // The control plane goes away: the process keeps serving what it had.
        server.close();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = get(url + "/");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isIn("b", "c");
        }
        assertThat(get(url + "/rule").body()).isEqualTo("from-rule");

        // It comes back: the process reconnects and follows the changes made since.
        server = StevedoreProcess.start(dataDir, port, "--lb", "external");
        try (ElasticLoadBalancingV2Client elb = server.elbv2()) {
            String group = tg;
            elb.registerTargets(b -> b.targetGroupArn(group).targets(t -> t.id(INSTANCE_ID).port(aPort)));
            String rule = elb.describeRules(b -> b.listenerArn(listenerArn)).rules().stream()
                    .filter(r -> r.priority().equals("10")).findFirst().orElseThrow().ruleArn();
            elb.modifyRule(b -> b.ruleArn(rule).actions(Action.builder().type("fixed-response")
                    .fixedResponseConfig(f -> f.statusCode("200").contentType("text/plain").messageBody("after-restart"))
                    .build()));
            await().atMost(Duration.ofSeconds(60)).until(() -> get(url + "/rule").body().equals("after-restart"));
            await().atMost(Duration.ofSeconds(60)).until(() -> states(elb, group).size() == 3
                    && states(elb, group).stream().allMatch(s -> s.endsWith("=healthy")));
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                List<String> seen = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    seen.add(get(url + "/").body());
                }
                return seen.contains("a");
            });
        }
        assertThat(lb.isAlive()).isTrue();
    }

    private Process startLb(int serverPort) throws IOException {
        List<String> command = new ArrayList<>(StevedoreJvm.command("lb"));
        command.addAll(List.of("--endpoint", "http://127.0.0.1:" + serverPort, "--region", InProcessStevedore.REGION));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("STEVEDORE_ACCESS_KEY_ID", InProcessStevedore.ACCESS_KEY);
        pb.environment().put("STEVEDORE_SECRET_ACCESS_KEY", InProcessStevedore.SECRET_KEY);
        lbLog = tmp.resolve("lb.log");
        pb.redirectOutput(lbLog.toFile());
        return pb.start();
    }

    private static HttpServer backend(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> states(ElasticLoadBalancingV2Client elb, String tgArn) {
        return elb.describeTargetHealth(b -> b.targetGroupArn(tgArn)).targetHealthDescriptions().stream()
                .map(d -> d.target().port() + "=" + d.targetHealth().stateAsString()).sorted().toList();
    }
}
