package dev.stevedore.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ELBv2 API through the real AWS CLI v2 ({@code aws elbv2}): a load balancer, target group, listener and
 * rule made as a user would, targets registered and described, and refused requests that change nothing.
 */
class ElbCliIT {
    static InProcessStevedore stevedore;
    static AwsCli aws;
    static List<String> subnets = new ArrayList<>();
    static String vpcId;

    @BeforeAll
    static void start() throws java.io.IOException {
        // The API alone: the addresses registered here are made up, so no data plane may health-check them.
        stevedore = InProcessStevedore.start(java.nio.file.Files.createTempDirectory("stevedore-elb"),
                config -> config.withLoadBalancerDataPlane(false));
        aws = new AwsCli(stevedore.plane.endpoint());
        JsonNode found = aws.ok("ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true");
        for (JsonNode subnet : found.path("Subnets")) {
            subnets.add(subnet.path("SubnetId").asText());
            vpcId = subnet.path("VpcId").asText();
        }
    }

    @AfterAll
    static void stop() {
        stevedore.close();
    }

    @Test
    void aLoadBalancerWithATargetGroupListenerAndRuleReportsItsTargets() {
        JsonNode lb = aws.ok("elbv2", "create-load-balancer", "--name", "cli-web", "--subnets", subnets.get(0),
                subnets.get(1), "--tags", "Key=team,Value=web").path("LoadBalancers").get(0);
        String lbArn = lb.path("LoadBalancerArn").asText();
        assertThat(lbArn).matches("arn:aws:elasticloadbalancing:us-east-1:" + InProcessStevedore.ACCOUNT
                + ":loadbalancer/app/cli-web/[0-9a-f]{16}");
        assertThat(lb.path("Type").asText()).isEqualTo("application");
        assertThat(lb.path("Scheme").asText()).isEqualTo("internet-facing");
        assertThat(lb.path("DNSName").asText()).matches("127\\.100\\.\\d+\\.\\d+");

        String tgArn = aws.ok("elbv2", "create-target-group", "--name", "cli-api", "--protocol", "HTTP", "--port", "80",
                "--vpc-id", vpcId, "--target-type", "ip", "--health-check-path", "/health", "--matcher", "HttpCode=200-299")
                .at("/TargetGroups/0/TargetGroupArn").asText();
        String listenerArn = aws.ok("elbv2", "create-listener", "--load-balancer-arn", lbArn, "--protocol", "HTTP",
                "--port", "80", "--default-actions", "Type=fixed-response,FixedResponseConfig={StatusCode=404}")
                .at("/Listeners/0/ListenerArn").asText();
        JsonNode rule = aws.ok("elbv2", "create-rule", "--listener-arn", listenerArn, "--priority", "5",
                "--conditions", "Field=host-header,HostHeaderConfig={Values=[api.example.com]}",
                "--actions", "Type=forward,TargetGroupArn=" + tgArn).at("/Rules/0");
        assertThat(rule.path("Priority").asText()).isEqualTo("5");
        assertThat(rule.at("/Conditions/0/Values/0").asText()).isEqualTo("api.example.com");

        aws.ok("elbv2", "register-targets", "--target-group-arn", tgArn, "--targets", "Id=172.31.1.20,Port=8080",
                "Id=172.31.1.21");
        JsonNode health = aws.ok("elbv2", "describe-target-health", "--target-group-arn", tgArn)
                .path("TargetHealthDescriptions");
        assertThat(health).hasSize(2);
        assertThat(health.get(0).at("/Target/Id").asText()).isEqualTo("172.31.1.20");
        assertThat(health.get(0).at("/Target/Port").asInt()).isEqualTo(8080);
        assertThat(health.get(1).at("/Target/Port").asInt()).isEqualTo(80);
        assertThat(health.get(0).at("/TargetHealth/State").asText()).isEqualTo("initial");
        assertThat(health.get(0).at("/TargetHealth/Reason").asText()).isEqualTo("Elb.RegistrationInProgress");

        assertThat(aws.ok("elbv2", "describe-tags", "--resource-arns", lbArn).at("/TagDescriptions/0/Tags/0/Value")
                .asText()).isEqualTo("web");
        JsonNode attributes = aws.ok("elbv2", "describe-target-group-attributes", "--target-group-arn", tgArn)
                .path("Attributes");
        assertThat(attributes.toString()).contains("{\"Key\":\"deregistration_delay.timeout_seconds\",\"Value\":\"300\"}");
    }

    @Test
    void aReadOnlyUserDescribesLoadBalancersButMayNotMakeThem() {
        aws.ok("iam", "create-user", "--user-name", "elb-reader");
        aws.ok("iam", "attach-user-policy", "--user-name", "elb-reader", "--policy-arn",
                "arn:aws:iam::aws:policy/ReadOnlyAccess");
        JsonNode key = aws.ok("iam", "create-access-key", "--user-name", "elb-reader").path("AccessKey");
        AwsCli reader = aws.as(key.path("AccessKeyId").asText(), key.path("SecretAccessKey").asText(),
                java.util.Optional.empty());

        reader.ok("elbv2", "describe-load-balancers");
        String denied = reader.fails("AccessDenied", "elbv2", "create-load-balancer", "--name", "not-allowed",
                "--subnets", subnets.get(0), subnets.get(1));
        assertThat(denied).contains("elasticloadbalancing:CreateLoadBalancer");
    }

    @Test
    void refusedRequestsChangeNothing() {
        String lbArn = aws.ok("elbv2", "create-load-balancer", "--name", "cli-refusals", "--subnets", subnets.get(0),
                subnets.get(1)).at("/LoadBalancers/0/LoadBalancerArn").asText();
        String missingGroup = "arn:aws:elasticloadbalancing:us-east-1:" + InProcessStevedore.ACCOUNT
                + ":targetgroup/nothing/0123456789abcdef";
        aws.fails("TargetGroupNotFound", "elbv2", "create-listener", "--load-balancer-arn", lbArn, "--protocol", "HTTP",
                "--port", "8080", "--default-actions", "Type=forward,TargetGroupArn=" + missingGroup);
        assertThat(aws.ok("elbv2", "describe-listeners", "--load-balancer-arn", lbArn).path("Listeners")).isEmpty();

        aws.fails("ValidationError", "elbv2", "create-load-balancer", "--name", "one-zone", "--subnets", subnets.get(0));
        aws.fails("LoadBalancerNotFound", "elbv2", "describe-load-balancers", "--names", "one-zone");

        String tgArn = aws.ok("elbv2", "create-target-group", "--name", "cli-bad-attrs", "--protocol", "HTTP", "--port",
                "80", "--vpc-id", vpcId).at("/TargetGroups/0/TargetGroupArn").asText();
        aws.fails("ValidationError", "elbv2", "modify-target-group-attributes", "--target-group-arn", tgArn,
                "--attributes", "Key=stickiness.enabled,Value=true", "Key=slow_start.duration_seconds,Value=10");
        JsonNode attributes = aws.ok("elbv2", "describe-target-group-attributes", "--target-group-arn", tgArn)
                .path("Attributes");
        assertThat(attributes.toString()).contains("{\"Key\":\"stickiness.enabled\",\"Value\":\"false\"}");
    }
}
