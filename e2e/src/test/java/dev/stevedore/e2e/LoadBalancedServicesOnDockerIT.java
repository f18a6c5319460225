package dev.stevedore.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static dev.stevedore.e2e.ServiceCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Load-balanced services end to end (issue 13): a server process whose in-process data plane serves a load
 * balancer made with the AWS CLI, two agent processes running the services' real containers (busybox
 * {@code httpd}, bridge network mode with dynamic host ports, so instance targets), and a real HTTP client
 * sending traffic to the listener. Each task answers {@code /who} with its revision's label and its
 * hostname (the container's short id), so an answer names the task that gave it.
 *
 * <p>Health checks every 5 s with thresholds of 2 and a deregistration delay of 5 s keep the class short.
 * The listener is on a free port of the load balancer's own loopback address, so another server on this
 * machine serving its load balancers on port 80 of the same pool cannot collide with it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@UsesDockerEngineAlone
@StartEarly
class LoadBalancedServicesOnDockerIT {
    static final int INTERVAL_SECONDS = 5;
    static final int UNHEALTHY_THRESHOLD = 2;
    /** From a target's failure to its unhealthy verdict, at most: the checks that fail, and one more interval. */
    static final Duration HEALTH_CHECK_WINDOW = Duration.ofSeconds((long) INTERVAL_SECONDS * (UNHEALTHY_THRESHOLD + 1));

    ServiceCluster cluster;
    ElasticLoadBalancingV2Client elb;
    String base;
    String groupA;
    String groupB;
    String groupC;
    String groupLife;
    /** The subnets of the awsvpc test's own VPC, whose bridge networks the agents make on this host. */
    final List<String> vpcSubnets = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    void start() throws Exception {
        cluster = ServiceCluster.start("lb", List.of("us-east-1a", "us-east-1b"), "--task-healthy-after", "2");
        elb = cluster.server.elbv2();
        AwsCli aws = cluster.aws;
        JsonNode subnets = aws.ok("ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true")
                .path("Subnets");
        String vpc = subnets.get(0).path("VpcId").asText();
        JsonNode lb = aws.ok("elbv2", "create-load-balancer", "--name", "services", "--subnets",
                subnets.get(0).path("SubnetId").asText(), subnets.get(1).path("SubnetId").asText())
                .at("/LoadBalancers/0");
        // Each CLI run takes a second or more: the groups are made side by side.
        CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> targetGroup(aws, vpc, "a", "instance", "/who"));
        CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> targetGroup(aws, vpc, "b", "instance", "/who"));
        // Every task answers 404 there: the group's targets all fail their checks.
        CompletableFuture<String> c = CompletableFuture.supplyAsync(() -> targetGroup(aws, vpc, "c", "instance", "/missing"));
        groupLife = targetGroup(aws, vpc, "life", "instance", "/who");
        groupA = a.join();
        groupB = b.join();
        groupC = c.join();
        int port = StevedoreProcess.freePort();
        String listener = aws.ok("elbv2", "create-listener", "--load-balancer-arn",
                lb.path("LoadBalancerArn").asText(), "--protocol", "HTTP", "--port", Integer.toString(port),
                "--default-actions", "Type=forward,TargetGroupArn=" + groupA).at("/Listeners/0/ListenerArn").asText();
        CompletableFuture<JsonNode> ruleB = CompletableFuture.supplyAsync(() -> aws.ok("elbv2", "create-rule",
                "--listener-arn", listener, "--priority", "10", "--conditions", "Field=path-pattern,Values=/b/*",
                "--actions", "Type=forward,TargetGroupArn=" + groupB));
        CompletableFuture<JsonNode> ruleC = CompletableFuture.supplyAsync(() -> aws.ok("elbv2", "create-rule",
                "--listener-arn", listener, "--priority", "20", "--conditions", "Field=path-pattern,Values=/c/*",
                "--actions", "Type=forward,TargetGroupArn=" + groupC));
        aws.ok("elbv2", "create-rule", "--listener-arn", listener, "--priority", "5",
                "--conditions", "Field=http-header,HttpHeaderConfig={HttpHeaderName=X-Life,Values=[yes]}",
                "--actions", "Type=forward,TargetGroupArn=" + groupLife);
        ruleB.join();
        ruleC.join();
        base = "http://" + lb.path("DNSName").asText() + ":" + port;
        // Served once the data plane has read the listener; no target registered yet: ALB's 503.
        eventually("the listener serves", () -> statusOrRefused("/who") == 503);
    }

    /** An HTTP target group with short health checks and deregistration delay. */
    private static String targetGroup(AwsCli aws, String vpc, String name, String targetType, String healthCheckPath) {
        String arn = aws.ok("elbv2", "create-target-group", "--name", name, "--protocol", "HTTP", "--port", "80",
                "--vpc-id", vpc, "--target-type", targetType, "--health-check-path", healthCheckPath,
                "--health-check-interval-seconds", Integer.toString(INTERVAL_SECONDS),
                "--health-check-timeout-seconds", "2", "--healthy-threshold-count", "2",
                "--unhealthy-threshold-count", Integer.toString(UNHEALTHY_THRESHOLD))
                .at("/TargetGroups/0/TargetGroupArn").asText();
        aws.ok("elbv2", "modify-target-group-attributes", "--target-group-arn", arn,
                "--attributes", "Key=deregistration_delay.timeout_seconds,Value=5");
        return arn;
    }

    @AfterAll
    void stop() {
        if (elb != null) {
            elb.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        vpcSubnets.forEach(Docker::removeSubnetNetwork);
    }

    @Test
    @Order(1)
    void requestsGoRoundRobinAcrossTheThreeTasksOfAService() {
        String v1 = register("a", "a1", 0);
        createSettled("a", v1, 3, groupA);

        // The targets are the tasks' instances and host ports.
        Map<String, String> ec2Ids = cluster.instances().stream().collect(Collectors.toMap(
                i -> i.containerInstanceArn(), i -> i.ec2InstanceId()));
        Set<String> expected = cluster.tasks("a", DesiredStatus.RUNNING).stream()
                .map(t -> ec2Ids.get(t.containerInstanceArn()) + ":" + hostPort(t)).collect(Collectors.toSet());
        assertThat(health(groupA).stream().map(d -> d.target().id() + ":" + d.target().port())
                .collect(Collectors.toSet())).isEqualTo(expected);

        Map<String, Integer> answers = new TreeMap<>();
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> r = get("/who");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).startsWith("a1 ");
            answers.merge(host(r.body()), 1, Integer::sum);
        }
        assertThat(answers.keySet()).as("the hosts that answered are the three tasks' containers")
                .isEqualTo(containerHosts("a"));
        // Round robin: each takes its turn (a configuration applied in between may restart the turns once).
        assertThat(answers.values()).allSatisfy(n -> assertThat(n).isBetween(9, 11));
    }

    @Test
    @Order(2)
    void aPathRuleSendsItsRequestsToASecondService() {
        String v1 = register("b", "b1", 0);
        createSettled("b", v1, 1, groupB);
        Set<String> bHosts = containerHosts("b");
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> b = get("/b/who");
            assertThat(b.statusCode()).isEqualTo(200);
            assertThat(b.body()).startsWith("b1 ");
            assertThat(host(b.body())).isIn(bHosts);
            HttpResponse<String> a = get("/who");
            assertThat(a.statusCode()).isEqualTo(200);
            assertThat(a.body()).as("the default action still forwards to a").startsWith("a1 ");
        }
    }

    @Test
    @Order(3)
    void aRollingDeploymentUnderConstantLoadFailsNoRequest() throws Exception {
        String v2 = register("a", "a2", 0);
        Load load = Load.start(http, URI.create(base + "/who"), 2);
        try {
            cluster.ecs.updateService(b -> b.cluster(cluster.name).service("a").taskDefinition(v2));
            eventually("three tasks of revision 2 behind healthy targets", () -> cluster.settledOn("a", v2, 3)
                    && states(groupA).equals(List.of("healthy", "healthy", "healthy")));
            load.awaitMore(20);
        } finally {
            load.stop();
        }
        System.out.println("rolling deployment under load: " + load);
        assertThat(load.failures()).as("requests that failed during the deployment").isEmpty();
        assertThat(load.bodies()).as("old and new tasks both answered")
                .anyMatch(b -> b.startsWith("a1 ")).anyMatch(b -> b.startsWith("a2 "));
        for (int i = 0; i < 6; i++) {
            assertThat(get("/who").body()).startsWith("a2 ");
        }
    }

    @Test
    @Order(4)
    void requestsStopFailingWithinTheHealthCheckWindowOfAKilledTaskAndTheServiceReplacesIt() throws Exception {
        String v2 = cluster.service("a").taskDefinition();
        List<Task> before = cluster.tasks("a", DesiredStatus.RUNNING);
        Task victim = before.getFirst();
        String containerId = victim.containers().getFirst().runtimeId();
        Load load = Load.start(http, URI.create(base + "/who"), 2);
        Instant killed;
        try {
            load.awaitMore(10);
            killed = Instant.now();
            assertThat(Docker.run("kill", containerId).trim()).isEqualTo(containerId);
            eventually("the killed task replaced behind a healthy target", () ->
                    cluster.task(victim.taskArn()).lastStatus().equals("STOPPED") && cluster.settledOn("a", v2, 3)
                            && states(groupA).equals(List.of("healthy", "healthy", "healthy")));
            // The replacement can be healthy before the window ends; the answers after it are the point.
            Instant windowEnds = killed.plus(HEALTH_CHECK_WINDOW);
            await().atMost(HEALTH_CHECK_WINDOW).until(() -> Instant.now().isAfter(windowEnds));
            load.awaitMore(20);
        } finally {
            load.stop();
        }
        System.out.println("a task killed under load: " + load + ", the last failure "
                + load.failures().stream().map(f -> Duration.between(killed, f.at())).max(Duration::compareTo)
                .map(d -> d.toMillis() + " ms").orElse("none") + " after the kill");
        Instant windowEnd = killed.plus(HEALTH_CHECK_WINDOW);
        assertThat(load.failures()).as("failed requests: ALB's 502 for a target that refuses, nothing else")
                .allSatisfy(f -> assertThat(f.status()).isEqualTo(502));
        assertThat(load.failures()).as("failures after the health-check window").noneMatch(f -> f.at().isAfter(windowEnd));
        assertThat(load.outcomes()).as("requests answered after the window").anyMatch(o -> o.at().isAfter(windowEnd)
                && o.status() == 200);

        Task stopped = cluster.task(victim.taskArn());
        assertThat(stopped.stopCodeAsString()).isEqualTo("EssentialContainerExited");
        Set<String> hosts = containerHosts("a");
        assertThat(hosts).hasSize(3).doesNotContain(containerId.substring(0, 12));
        Map<String, Integer> answers = new TreeMap<>();
        for (int i = 0; i < 9; i++) {
            answers.merge(host(get("/who").body()), 1, Integer::sum);
        }
        assertThat(answers.keySet()).as("the replacement answers too").isEqualTo(hosts);
    }

    @Test
    @Order(5)
    void whenEveryTargetIsUnhealthyRequestsStillReachThem() {
        String v1 = register("c", "c1", 0);
        // A long grace period: ECS leaves tasks that fail their checks running that long.
        createService("c", v1, 2, groupC, 300);
        Set<String> reasons = new java.util.TreeSet<>();
        // The reason is the last failed check's: every check of these targets answers 404.
        eventually("both targets unhealthy", () -> {
            List<TargetHealthDescription> now = health(groupC);
            now.forEach(d -> reasons.add(d.targetHealth().stateAsString() + " " + d.targetHealth().reasonAsString()));
            return now.size() == 2 && now.stream().allMatch(d -> d.targetHealth().stateAsString().equals("unhealthy")
                    && d.targetHealth().reasonAsString().equals("Target.ResponseCodeMismatch"));
        });
        System.out.println("states and reasons seen: " + reasons);
        assertThat(health(groupC)).extracting(d -> d.targetHealth().description())
                .containsOnly("Health checks failed with these codes: [404]");
        Set<String> tasks = cluster.tasks("c", DesiredStatus.RUNNING).stream().map(Task::taskArn)
                .collect(Collectors.toSet());

        Map<String, Integer> answers = new TreeMap<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = get("/c/who");
            assertThat(r.statusCode()).as("fail-open: the unhealthy targets still take requests").isEqualTo(200);
            assertThat(r.body()).startsWith("c1 ");
            answers.merge(host(r.body()), 1, Integer::sum);
        }
        assertThat(answers.keySet()).isEqualTo(containerHosts("c"));
        assertThat(cluster.tasks("c", DesiredStatus.RUNNING).stream().map(Task::taskArn).collect(Collectors.toSet()))
                .as("within the grace period the tasks are kept").isEqualTo(tasks);
    }

    @Test
    @Order(6)
    void withoutAGracePeriodATaskFailingItsHealthChecksIsReplaced() {
        Set<String> before = cluster.tasks("c", DesiredStatus.RUNNING).stream().map(Task::taskArn)
                .collect(Collectors.toSet());
        assertThat(before).as("the fail-open test's tasks").hasSize(2);
        cluster.ecs.updateService(b -> b.cluster(cluster.name).service("c").healthCheckGracePeriodSeconds(0));
        String reason = "Task failed ELB health checks in (target-group " + groupC + ")";
        eventually("a task stopped for its health checks and replaced", () -> {
            List<Task> stopped = cluster.tasks("c", DesiredStatus.STOPPED);
            return stopped.stream().anyMatch(t -> reason.equals(t.stoppedReason()))
                    && cluster.tasks("c", DesiredStatus.RUNNING).stream().anyMatch(t -> !before.contains(t.taskArn()));
        });
        Task replaced = cluster.tasks("c", DesiredStatus.STOPPED).stream()
                .filter(t -> reason.equals(t.stoppedReason())).findFirst().orElseThrow();
        assertThat(before).contains(replaced.taskArn());
        assertThat(replaced.stopCodeAsString()).isEqualTo("ServiceSchedulerInitiated");
        // Its replacements fail too: the service is stopped here, so they do not churn through the other tests.
        cluster.ecs.updateService(b -> b.cluster(cluster.name).service("c").desiredCount(0));
    }

    @Test
    @Order(7)
    void describeTargetHealthFollowsATaskFromRegistrationThroughDrainingToGone() throws Exception {
        // httpd answers 2 s after the container starts: the first check fails, and the target stays initial.
        String v1 = register("life", "life1", 2);
        createService("life", v1, 1, groupLife, 0);
        List<String> seen = new ArrayList<>();
        eventually("the target healthy", () -> {
            List<TargetHealthDescription> now = health(groupLife);
            if (now.size() == 1) {
                String state = now.getFirst().targetHealth().stateAsString() + " "
                        + now.getFirst().targetHealth().reasonAsString();
                if (seen.isEmpty() || !seen.getLast().equals(state)) {
                    seen.add(state);
                }
            }
            // From the same answer as what was recorded: a second look could see it healthy while the
            // record's last state is still initial (CI).
            return now.size() == 1 && now.getFirst().targetHealth().stateAsString().equals("healthy");
        });
        assertThat(seen.getFirst()).matches("initial Elb\\.(RegistrationInProgress|InitialHealthChecking)");
        assertThat(seen.getLast()).isEqualTo("healthy null");
        assertThat(seen).allMatch(s -> s.startsWith("initial ") || s.equals("healthy null"));

        Task task = cluster.tasks("life", DesiredStatus.RUNNING).getFirst();
        String containerId = task.containers().getFirst().runtimeId();
        TargetHealthDescription registered = health(groupLife).getFirst();
        assertThat(registered.target().port()).isEqualTo(hostPort(task));

        // A request in flight when the task is told to stop: it must finish before the container is stopped.
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(
                        URI.create(base + "/cgi-bin/slow")).header("X-Life", "yes").timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(1000);  // the request has reached the target; its answer comes 3 s after it started
        cluster.ecs.updateService(b -> b.cluster(cluster.name).service("life").desiredCount(0));

        eventually("the target draining", () -> states(groupLife).equals(List.of("draining")));
        TargetHealthDescription draining = health(groupLife).getFirst();
        assertThat(draining.targetHealth().reasonAsString()).isEqualTo("Target.DeregistrationInProgress");
        Task deactivating = cluster.task(task.taskArn());
        assertThat(deactivating.desiredStatus()).isEqualTo("STOPPED");
        assertThat(deactivating.lastStatus()).as("told to stop, the task is still deregistering")
                .isIn("DEACTIVATING");
        assertThat(Docker.isRunning(containerId)).as("the container runs on while its target drains").isTrue();

        HttpResponse<String> answered = slow.get();
        assertThat(answered.statusCode()).as("the request in flight finished").isEqualTo(200);
        assertThat(answered.body()).isEqualTo("slow " + containerId.substring(0, 12) + "\n");

        eventually("the target gone and the task stopped", () -> health(groupLife).isEmpty()
                && cluster.task(task.taskArn()).lastStatus().equals("STOPPED"));
        TargetHealthDescription gone = elb.describeTargetHealth(b -> b.targetGroupArn(groupLife)
                .targets(t -> t.id(registered.target().id()).port(registered.target().port())))
                .targetHealthDescriptions().getFirst();
        assertThat(gone.targetHealth().stateAsString()).isEqualTo("unused");
        assertThat(gone.targetHealth().reasonAsString()).isEqualTo("Target.NotRegistered");
        assertThat(cluster.task(task.taskArn()).stopCodeAsString()).isEqualTo("ServiceSchedulerInitiated");
        assertThat(status(get("/cgi-bin/slow", "X-Life", "yes"))).as("no target left: ALB's 503").isEqualTo(503);
    }

    @Test
    @Order(8)
    void awsvpcTasksAreIpTargetsReachedAtTheirOwnAddresses() {
        // A VPC of the test's own (10.197.0.0/16: bridge networks on this host), a load balancer in it, ip targets.
        Ec2Client ec2 = cluster.server.ec2();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.197.0.0/16")).vpc().vpcId();
        for (String zone : List.of("us-east-1a", "us-east-1b")) {
            String cidr = "10.197." + (vpcSubnets.size() + 1) + ".0/24";
            vpcSubnets.add(ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock(cidr).availabilityZone(zone)).subnet().subnetId());
        }
        AwsCli aws = cluster.aws;
        JsonNode lb = aws.ok("elbv2", "create-load-balancer", "--name", "in-vpc", "--subnets", vpcSubnets.get(0),
                vpcSubnets.get(1)).at("/LoadBalancers/0");
        String group = targetGroup(aws, vpc, "vpc-web", "ip", "/who");
        int port = StevedoreProcess.freePort();
        aws.ok("elbv2", "create-listener", "--load-balancer-arn", lb.path("LoadBalancerArn").asText(),
                "--protocol", "HTTP", "--port", Integer.toString(port),
                "--default-actions", "Type=forward,TargetGroupArn=" + group);
        String url = "http://" + lb.path("DNSName").asText() + ":" + port;

        String td = cluster.ecs.registerTaskDefinition(b -> b.family("vpc-web").networkMode(NetworkMode.AWSVPC)
                .containerDefinitions(webContainer("v1", 0).toBuilder()
                        .portMappings(PortMapping.builder().containerPort(8080).protocol(TransportProtocol.TCP).build())
                        .build())).taskDefinition().taskDefinitionArn();
        cluster.ecs.createService(b -> b.cluster(cluster.name).serviceName("vpc-web").taskDefinition(td).desiredCount(2)
                .networkConfiguration(n -> n.awsvpcConfiguration(v -> v.subnets(vpcSubnets)))
                .loadBalancers(LoadBalancer.builder().targetGroupArn(group).containerName("web").containerPort(8080)
                        .build()));
        // (settledOn counts containers by family, and an awsvpc task has its pause container besides.)
        eventually("two awsvpc tasks behind healthy targets", () -> {
            var s = cluster.service("vpc-web");
            return s.deployments().size() == 1 && s.deployments().getFirst().rolloutStateAsString().equals("COMPLETED")
                    && s.runningCount() == 2 && states(group).equals(List.of("healthy", "healthy"));
        });

        Set<String> addresses = cluster.tasks("vpc-web", DesiredStatus.RUNNING).stream()
                .map(t -> t.attachments().getFirst().details().stream()
                        .filter(d -> d.name().equals("privateIPv4Address")).findFirst().orElseThrow().value() + ":8080")
                .collect(Collectors.toSet());
        assertThat(addresses).allSatisfy(a -> assertThat(a).startsWith("10.197."));
        assertThat(health(group).stream().map(d -> d.target().id() + ":" + d.target().port())
                .collect(Collectors.toSet())).isEqualTo(addresses);
        Map<String, Integer> answers = new TreeMap<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = send(url + "/who");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).startsWith("v1 ");
            answers.merge(host(r.body()), 1, Integer::sum);
        }
        assertThat(answers).as("both tasks answered, in turn").hasSize(2).containsValues(5, 5);

        cluster.ecs.deleteService(b -> b.cluster(cluster.name).service("vpc-web").force(true));
        eventually("the awsvpc tasks stopped and their targets gone", () -> health(group).isEmpty()
                && cluster.tasks("vpc-web", DesiredStatus.STOPPED).stream().allMatch(t -> t.lastStatus().equals("STOPPED")));
        assertThat(send(url + "/who").statusCode()).isEqualTo(503);
        ec2.close();
    }

    // --- the services ---

    /**
     * A revision of {@code family}: httpd on port 8080 (published on a dynamic host port) serving
     * {@code /who}, {@code /b/who} and {@code /c/who} with "{@code label} hostname", and a CGI script
     * {@code /cgi-bin/slow} that answers after 3 s; httpd starts {@code startDelay} seconds after the container.
     */
    private String register(String family, String label, int startDelay) {
        return cluster.ecs.registerTaskDefinition(b -> b.family(family).networkMode(NetworkMode.BRIDGE)
                .containerDefinitions(webContainer(label, startDelay).toBuilder()
                        .portMappings(PortMapping.builder().containerPort(8080).hostPort(0)
                                .protocol(TransportProtocol.TCP).build())
                        .build())).taskDefinition().taskDefinitionArn();
    }

    private static ContainerDefinition webContainer(String label, int startDelay) {
        String script = "for d in /www /www/b /www/c; do mkdir -p $d; echo \"" + label + " $(hostname)\" > $d/who; done; "
                + "mkdir -p /www/cgi-bin; "
                + "printf '#!/bin/sh\\nsleep 3\\necho Content-Type: text/plain\\necho\\necho slow $(hostname)\\n' "
                + "> /www/cgi-bin/slow; chmod +x /www/cgi-bin/slow; "
                + "sleep " + startDelay + "; exec httpd -f -p 8080 -h /www";
        return ContainerDefinition.builder().name("web").image(ServiceCluster.IMAGE).memory(16)
                .essential(true).stopTimeout(1).command("sh", "-c", script).build();
    }

    private void createService(String name, String taskDefinition, int count, String targetGroup, int gracePeriod) {
        cluster.ecs.createService(b -> b.cluster(cluster.name).serviceName(name).taskDefinition(taskDefinition)
                .desiredCount(count).healthCheckGracePeriodSeconds(gracePeriod)
                .loadBalancers(LoadBalancer.builder().targetGroupArn(targetGroup).containerName("web")
                        .containerPort(8080).build())
                .deploymentConfiguration(c -> c.minimumHealthyPercent(100).maximumPercent(200)));
    }

    /** Creates a service of {@code count} tasks behind the group and waits until it has settled, its targets healthy. */
    private void createSettled(String name, String taskDefinition, int count, String targetGroup) {
        createService(name, taskDefinition, count, targetGroup, 0);
        List<String> healthy = Collections.nCopies(count, "healthy");
        eventually(name + ": " + count + " tasks behind healthy targets", () -> cluster.settledOn(name, taskDefinition, count)
                && states(targetGroup).equals(healthy));
    }

    private static int hostPort(Task task) {
        return task.containers().getFirst().networkBindings().getFirst().hostPort();
    }

    /** The hostnames of a family's running containers: their ids' first 12 characters. */
    private Set<String> containerHosts(String family) {
        return cluster.containers(family).stream().map(c -> c.id().substring(0, 12)).collect(Collectors.toSet());
    }

    private static String host(String body) {
        return body.trim().substring(body.indexOf(' ') + 1);
    }

    // --- the load balancer ---

    private List<TargetHealthDescription> health(String targetGroup) {
        return elb.describeTargetHealth(b -> b.targetGroupArn(targetGroup)).targetHealthDescriptions();
    }

    /** The group's targets' states, sorted. */
    private List<String> states(String targetGroup) {
        return health(targetGroup).stream().map(d -> d.targetHealth().stateAsString()).sorted().toList();
    }

    private HttpResponse<String> get(String path, String... headers) {
        return send(base + path, headers);
    }

    private HttpResponse<String> send(String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int status(HttpResponse<String> response) {
        return response.statusCode();
    }

    /** The status of a GET, or 0 while nothing listens. */
    private int statusOrRefused(String path) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException refused) {
            return 0;
        }
    }

    /**
     * Constant load: threads sending GETs one after another, each outcome recorded (assertions are made
     * on the test thread afterwards).
     */
    static final class Load {
        /** One request's outcome: its status (0 when it got no answer), body or error, and when it ended. */
        record Outcome(Instant at, int status, String body) {
        }

        private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean running = true;

        static Load start(HttpClient http, URI uri, int threads) {
            Load load = new Load();
            for (int i = 0; i < threads; i++) {
                Thread t = Thread.ofPlatform().name("load-" + i).daemon().start(() -> load.run(http, uri));
                load.threads.add(t);
            }
            return load;
        }

        private void run(HttpClient http, URI uri) {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build();
            while (running) {
                try {
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    outcomes.add(new Outcome(Instant.now(), r.statusCode(), r.body()));
                } catch (IOException e) {
                    outcomes.add(new Outcome(Instant.now(), 0, e.toString()));
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Waits until {@code n} more requests have ended. */
        void awaitMore(int n) {
            int target = outcomes.size() + n;
            eventually(n + " more requests", () -> outcomes.size() >= target);
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(30));
            }
        }

        List<Outcome> outcomes() {
            synchronized (outcomes) {
                return List.copyOf(outcomes);
            }
        }

        List<Outcome> failures() {
            return outcomes().stream().filter(o -> o.status() != 200).toList();
        }

        List<String> bodies() {
            return outcomes().stream().map(Outcome::body).toList();
        }

        @Override
        public String toString() {
            List<Outcome> all = outcomes();
            Map<Integer, Long> byStatus = all.stream().collect(Collectors.groupingBy(Outcome::status, TreeMap::new,
                    Collectors.counting()));
            return all.size() + " requests, by status " + byStatus;
        }
    }
}
