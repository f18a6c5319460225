package dev.stevedore.bench.lb;

import dev.stevedore.bench.UpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/**
 * A BLUE_GREEN deployment under wrk's load (issue 13's "zero failed requests through a BLUE_GREEN shift under
 * that load"): {@code bin/stevedore up} with its local agent in a process of its own, a service of two busybox
 * httpd tasks behind a load balancer the server serves, then wrk against the listener twice with the same
 * threads and connections: once while nothing changes, once across an UpdateService that brings up green behind
 * the alternate target group, moves production in one step and drains and stops blue. wrk's socket errors and
 * non-2xx answers are the failed requests.
 *
 * <p>Arguments: seconds of the steady phase, wrk threads, wrk connections.
 */
public final class LbShiftBenchmark {
    private static final String REGION = "us-east-1";
    private static final String IMAGE = "stevedore-test/busybox:latest";
    private static final Duration SETTLE = Duration.ofMinutes(3);

    private LbShiftBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path root = Path.of(System.getProperty("stevedore.root", "."));
        try (UpServer server = UpServer.startWithAgent(root, "stevedore-lb-shift",
                List.of("--task-healthy-after", "2", "--no-registry"));
             EcsClient ecs = client(EcsClient.builder(), server);
             ElasticLoadBalancingV2Client elb = client(ElasticLoadBalancingV2Client.builder(), server);
             Ec2Client ec2 = client(Ec2Client.builder(), server)) {
            eventually("the local agent joins the default cluster",
                    () -> !ecs.listContainerInstances(b -> b.cluster("default")).containerInstanceArns().isEmpty());
            List<Subnet> subnets = ec2.describeSubnets().subnets();
            String vpcId = subnets.getFirst().vpcId();
            LoadBalancer lb = elb.createLoadBalancer(b -> b.name("shift")
                    .subnets(subnets.stream().map(Subnet::subnetId).limit(2).toList())).loadBalancers().getFirst();
            String blue = group(elb, "shift-blue", vpcId);
            String green = group(elb, "shift-green", vpcId);
            int port = freePort();
            String listener = elb.createListener(b -> b.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTP")
                    .port(port).defaultActions(Action.builder().type("forward").targetGroupArn(blue).build()))
                    .listeners().getFirst().listenerArn();
            String productionRule = elb.describeRules(b -> b.listenerArn(listener)).rules().stream()
                    .filter(Rule::isDefault).findFirst().orElseThrow().ruleArn();

            String v1 = register(ecs, "v1");
            ecs.createService(b -> b.cluster("default").serviceName("shift").taskDefinition(v1).desiredCount(2)
                    .healthCheckGracePeriodSeconds(30)
                    .deploymentConfiguration(c -> c.strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0))
                    .loadBalancers(l -> l.targetGroupArn(blue).containerName("web").containerPort(8080)
                            .advancedConfiguration(a -> a.alternateTargetGroupArn(green)
                                    .productionListenerRule(productionRule))));
            URI url = URI.create("http://" + lb.dnsName() + ":" + port + "/");
            HttpClient http = HttpClient.newHttpClient();
            eventually("v1 answers through the listener", () -> settled(ecs, v1) && "v1".equals(body(http, url)));

            System.out.printf(Locale.ROOT, "load: %s%n", uptime());
            Wrk steady = Wrk.run(url, threads, connections, Duration.ofSeconds(seconds));
            System.out.printf(Locale.ROOT, "steady: %s%n", steady);

            Wrk.Running load = Wrk.start(url, threads, connections);
            Thread.sleep(2_000);
            long updateAt = System.nanoTime();
            String v2 = register(ecs, "v2");
            ecs.updateService(b -> b.cluster("default").service("shift").taskDefinition(v2));
            eventually("the shift to v2 completes", () -> settled(ecs, v2)
                    && ecs.listTasks(b -> b.cluster("default").serviceName("shift")).taskArns().size() == 2);
            double shiftSeconds = (System.nanoTime() - updateAt) / 1e9;
            Thread.sleep(2_000);
            Wrk shifting = load.stop();
            System.out.printf(Locale.ROOT, "shift: %s%n", shifting);
            String after = body(http, url);
            System.out.printf(Locale.ROOT, "load: %s%n", uptime());

            System.out.println();
            System.out.println("| phase | seconds | requests | req/s | p50 ms | p99 ms | failed (socket errors + non-2xx) |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|");
            System.out.println(steady.row("steady (v1)"));
            System.out.println(shifting.row("across the BLUE_GREEN shift v1 → v2"));
            System.out.printf(Locale.ROOT, "%nUpdateService → v2 settled (2 tasks, RUNNING, blue stopped): %.1f s; "
                    + "answer after: %s%n", shiftSeconds, after);

            ecs.updateService(b -> b.cluster("default").service("shift").desiredCount(0));
            eventually("the tasks stop", () -> ecs.listTasks(b -> b.cluster("default").serviceName("shift")
                    .desiredStatus(DesiredStatus.RUNNING)).taskArns().isEmpty());
            ecs.deleteService(b -> b.cluster("default").service("shift"));
        }
    }

    /** The service runs the revision on two RUNNING tasks and nothing else. */
    private static boolean settled(EcsClient ecs, String revision) {
        Service s = ecs.describeServices(b -> b.cluster("default").services("shift")).services().getFirst();
        return s.deployments().size() == 1 && s.deployments().getFirst().taskDefinition().equals(revision)
                && s.runningCount() == 2;
    }

    private static String register(EcsClient ecs, String body) {
        return ecs.registerTaskDefinition(b -> b.family("shift").containerDefinitions(ContainerDefinition.builder()
                .name("web").image(IMAGE).memory(16).essential(true).stopTimeout(1)
                .portMappings(PortMapping.builder().containerPort(8080).hostPort(0).build())
                .command("sh", "-c", "mkdir -p /w && echo " + body + " > /w/index.html && exec httpd -f -p 8080 -h /w")
                .build())).taskDefinition().taskDefinitionArn();
    }

    private static String group(ElasticLoadBalancingV2Client elb, String name, String vpcId) {
        String arn = elb.createTargetGroup(b -> b.name(name).protocol("HTTP").port(8080).vpcId(vpcId)
                .targetType("instance").healthCheckIntervalSeconds(5).healthCheckTimeoutSeconds(2)
                .healthyThresholdCount(2).unhealthyThresholdCount(2)).targetGroups().getFirst().targetGroupArn();
        elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(arn).attributes(a -> a
                .key("deregistration_delay.timeout_seconds").value("5")));
        return arn;
    }

    private static <B extends AwsClientBuilder<B, C>, C> C client(B builder, UpServer server) {
        return builder.endpointOverride(server.endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(UpServer.KEY, UpServer.SECRET))).build();
    }

    private static String body(HttpClient http, URI url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body().trim() : "status " + r.statusCode();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("not within " + SETTLE + ": " + what);
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String uptime() {
        try {
            return new String(new ProcessBuilder("uptime").start().getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "uptime: " + e.getMessage();
        }
    }
}
