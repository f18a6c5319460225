package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/**
 * A BLUE_GREEN UpdateService of a service behind the load balancer the server runs, with real containers (busybox
 * httpd answering its revision) and constant HTTP load through the real listener: the new tasks come up behind the
 * alternate target group, all traffic moves in one step, the old tasks drain and stop, and not one request fails.
 */
@UsesDockerEngine
class TrafficShiftOnDockerIT extends OnServiceCluster {
    TrafficShiftOnDockerIT() {
        super("shift", "--task-healthy-after", "2");
    }

    /** A client of the cluster's server, signing with the test's keys. */
    private <B extends AwsClientBuilder<B, C>, C> C client(B builder) {
        return builder.endpointOverride(URI.create("http://127.0.0.1:" + cluster.port))
                .region(Region.of(InProcessStevedore.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        InProcessStevedore.ACCESS_KEY, InProcessStevedore.SECRET_KEY)))
                .build();
    }

    /** A revision whose container serves {@code body} at / on port 8080, published on a dynamic host port. */
    private String register(String family, String body) {
        return cluster.ecs.registerTaskDefinition(b -> b.family(family).containerDefinitions(ContainerDefinition
                .builder().name("web").image(ServiceCluster.IMAGE).memory(16).essential(true).stopTimeout(1)
                .portMappings(PortMapping.builder().containerPort(8080).hostPort(0).build())
                .command("sh", "-c", "mkdir -p /w && echo " + body + " > /w/index.html && exec httpd -f -p 8080 -h /w")
                .build())).taskDefinition().taskDefinitionArn();
    }

    @Test
    void aBlueGreenUpdateUnderConstantLoadLosesNoRequest() throws Exception {
        try (ElasticLoadBalancingV2Client elb = client(ElasticLoadBalancingV2Client.builder());
             Ec2Client ec2 = client(Ec2Client.builder())) {
            Front front = front(elb, ec2, "shift");
            LoadBalancer lb = front.lb();
            String blue = front.blue();
            String green = front.green();
            int port = front.port();
            String listener = front.listener();
            String productionRule = front.productionRule();

            String v1 = register("shift", "v1");
            cluster.ecs.createService(b -> b.cluster(cluster.name).serviceName("shift").taskDefinition(v1)
                    .desiredCount(2).healthCheckGracePeriodSeconds(30)
                    .deploymentConfiguration(c -> c.strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0))
                    .loadBalancers(l -> l.targetGroupArn(blue).containerName("web").containerPort(8080)
                            .advancedConfiguration(a -> a.alternateTargetGroupArn(green)
                                    .productionListenerRule(productionRule))));
            ServiceCluster.eventually("shift settled on v1", () -> cluster.settledOn("shift", v1, 2));

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            URI url = URI.create("http://" + lb.dnsName() + ":" + port + "/");
            ServiceCluster.eventually("v1 answers through the listener", () -> body(http, url).equals("v1"));

            AtomicBoolean running = new AtomicBoolean(true);
            Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
            List<String> failures = new CopyOnWriteArrayList<>();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                clients.add(Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url)
                                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 200) {
                                failures.add("status " + r.statusCode());
                            } else {
                                answers.computeIfAbsent(r.body().trim(), k -> new AtomicInteger()).incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }

            String v2 = register("shift", "v2");
            cluster.ecs.updateService(b -> b.cluster(cluster.name).service("shift").taskDefinition(v2));
            ServiceCluster.eventually("shift settled on v2", () -> cluster.settledOn("shift", v2, 2)
                    && cluster.containers("shift").size() == 2);
            int v2Before = answers.getOrDefault("v2", new AtomicInteger()).get();
            ServiceCluster.eventually("more v2 answers", () -> answers.get("v2").get() > v2Before + 20);
            running.set(false);
            for (Thread t : clients) {
                t.join();
            }

            assertThat(failures).isEmpty();
            assertThat(answers.keySet()).containsExactlyInAnyOrder("v1", "v2");
            assertThat(body(http, url)).isEqualTo("v2");
            // Production is the alternate group now, with all the weight.
            Action forward = elb.describeListeners(b -> b.listenerArns(listener)).listeners().getFirst()
                    .defaultActions().getFirst();
            assertThat(forward.forwardConfig().targetGroups()).anySatisfy(t -> {
                assertThat(t.targetGroupArn()).isEqualTo(green);
                assertThat(t.weight()).isEqualTo(999);
            });
            assertThat(elb.describeTargetHealth(b -> b.targetGroupArn(green)).targetHealthDescriptions()).hasSize(2);
            assertThat(cluster.events("shift")).anyMatch(e -> e.startsWith("(service shift) shifted 100% of "
                    + "production traffic to deployment "));
        }
    }

    @Test
    void aPauseHookBeforeScaleUpHoldsGreenUntilContinueServiceDeploymentRollsItBack() throws Exception {
        try (ElasticLoadBalancingV2Client elb = client(ElasticLoadBalancingV2Client.builder());
             Ec2Client ec2 = client(Ec2Client.builder())) {
            Front front = front(elb, ec2, "paused");
            String blue = front.blue();
            String green = front.green();
            String productionRule = front.productionRule();
            String v1 = register("paused", "v1");
            cluster.ecs.createService(b -> b.cluster(cluster.name).serviceName("paused").taskDefinition(v1)
                    .desiredCount(1).deploymentConfiguration(c -> c.strategy(DeploymentStrategy.BLUE_GREEN)
                            .bakeTimeInMinutes(0).lifecycleHooks(h -> h.targetType("PAUSE")
                                    .lifecycleStagesWithStrings("PRE_SCALE_UP")
                                    .timeoutConfiguration(t -> t.timeoutInMinutes(30).action("CONTINUE"))))
                    .loadBalancers(l -> l.targetGroupArn(blue).containerName("web").containerPort(8080)
                            .advancedConfiguration(a -> a.alternateTargetGroupArn(green)
                                    .productionListenerRule(productionRule))));
            ServiceCluster.eventually("paused settled on v1", () -> cluster.settledOn("paused", v1, 1));

            String v2 = register("paused", "v2");
            cluster.ecs.updateService(b -> b.cluster(cluster.name).service("paused").taskDefinition(v2));
            // The new deployment's record is PENDING for a moment before it is IN_PROGRESS.
            ServiceCluster.eventually("the deployment is in progress", () -> !cluster.ecs.listServiceDeployments(b -> b
                    .cluster(cluster.name).service("paused").statusWithStrings("IN_PROGRESS")).serviceDeployments().isEmpty());
            String deployment = cluster.ecs.listServiceDeployments(b -> b.cluster(cluster.name).service("paused")
                    .statusWithStrings("IN_PROGRESS")).serviceDeployments().getFirst().serviceDeploymentArn();
            ServiceCluster.eventually("the deployment waits at its hook", () -> !cluster.ecs
                    .describeServiceDeployments(b -> b.serviceDeploymentArns(deployment)).serviceDeployments()
                    .getFirst().lifecycleHookDetails().isEmpty());
            var paused = cluster.ecs.describeServiceDeployments(b -> b.serviceDeploymentArns(deployment))
                    .serviceDeployments().getFirst();
            var hook = paused.lifecycleHookDetails().getFirst();
            assertThat(hook.statusAsString()).isEqualTo("AWAITING_ACTION");
            assertThat(hook.targetTypeAsString()).isEqualTo("PAUSE");
            assertThat(hook.timeoutActionAsString()).isEqualTo("CONTINUE");
            assertThat(hook.expiresAt()).isAfter(java.time.Instant.now().plus(Duration.ofMinutes(25)));
            assertThat(paused.lifecycleStageAsString()).isEqualTo("PRE_SCALE_UP");
            // Held before scale-up: no container of v2 was started.
            assertThat(cluster.containers("paused")).hasSize(1);

            cluster.ecs.continueServiceDeployment(b -> b.serviceDeploymentArn(deployment).hookId(hook.hookId())
                    .action("ROLLBACK"));
            ServiceCluster.eventually("the deployment rolled back", () -> cluster.ecs
                    .describeServiceDeployments(b -> b.serviceDeploymentArns(deployment)).serviceDeployments()
                    .getFirst().statusAsString().startsWith("ROLLBACK_"));
            assertThat(cluster.ecs.describeServiceDeployments(b -> b.serviceDeploymentArns(deployment))
                    .serviceDeployments().getFirst().lifecycleHookDetails().getFirst().statusAsString())
                    .isEqualTo("FAILED");
            ServiceCluster.eventually("paused settled back on v1", () -> cluster.settledOn("paused", v1, 1));
            assertThat(cluster.containers("paused")).hasSize(1);
        }
    }

    /** A load balancer with a listener whose default rule forwards to the blue group; green is the alternate. */
    private record Front(LoadBalancer lb, String blue, String green, int port, String listener, String productionRule) {
    }

    private static Front front(ElasticLoadBalancingV2Client elb, Ec2Client ec2, String name) {
        List<Subnet> subnets = ec2.describeSubnets().subnets();
        String vpcId = subnets.getFirst().vpcId();
        LoadBalancer lb = elb.createLoadBalancer(b -> b.name(name)
                .subnets(subnets.stream().map(Subnet::subnetId).limit(2).toList())).loadBalancers().getFirst();
        String blue = group(elb, name + "-blue", vpcId);
        String green = group(elb, name + "-green", vpcId);
        int port = StevedoreProcess.freePort();
        String listener = elb.createListener(b -> b.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTP")
                .port(port).defaultActions(Action.builder().type("forward").targetGroupArn(blue).build()))
                .listeners().getFirst().listenerArn();
        String productionRule = elb.describeRules(b -> b.listenerArn(listener)).rules().stream()
                .filter(Rule::isDefault).findFirst().orElseThrow().ruleArn();
        return new Front(lb, blue, green, port, listener, productionRule);
    }

    private static String group(ElasticLoadBalancingV2Client elb, String name, String vpcId) {
        String arn = elb.createTargetGroup(b -> b.name(name).protocol("HTTP").port(8080).vpcId(vpcId)
                .targetType("instance").healthCheckIntervalSeconds(5).healthCheckTimeoutSeconds(2)
                .healthyThresholdCount(2).unhealthyThresholdCount(2)).targetGroups().getFirst().targetGroupArn();
        elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(arn).attributes(a -> a
                .key("deregistration_delay.timeout_seconds").value("5")));
        return arn;
    }

    private static String body(HttpClient http, URI url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body().trim() : "status " + r.statusCode();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
