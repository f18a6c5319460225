package dev.stevedore.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.PriorityInUseException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ResourceInUseException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ELBv2 API through the unmodified AWS SDK for Java v2: an application load balancer in the default VPC's
 * subnets with a target group, listener and rule, targets registered and their health as ALB reports it, the
 * SDK's typed exceptions for ELB's refusals (which leave everything as it was), and its paginators.
 */
class ElbSdkIT {
    static InProcessStevedore stevedore;
    static ElasticLoadBalancingV2Client elb;
    static List<String> subnets;
    static String vpcId;

    @BeforeAll
    static void start() throws java.io.IOException {
        // The API alone: the addresses registered here are made up, so no data plane may health-check them.
        stevedore = InProcessStevedore.start(java.nio.file.Files.createTempDirectory("stevedore-elb"),
                config -> config.withLoadBalancerDataPlane(false));
        elb = stevedore.elbv2();
        try (Ec2Client ec2 = stevedore.ec2()) {
            List<Subnet> defaults = ec2.describeSubnets(b -> b.filters(Filter.builder().name("default-for-az")
                    .values("true").build())).subnets();
            subnets = defaults.stream().map(Subnet::subnetId).limit(2).toList();
            vpcId = defaults.getFirst().vpcId();
        }
    }

    @AfterAll
    static void stop() {
        elb.close();
        stevedore.close();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static LoadBalancer loadBalancer(String name) {
        return elb.createLoadBalancer(b -> b.name(name).subnets(subnets)).loadBalancers().getFirst();
    }

    private static TargetGroup targetGroup(String name) {
        return elb.createTargetGroup(b -> b.name(name).protocol("HTTP").port(8080).vpcId(vpcId).targetType("ip"))
                .targetGroups().getFirst();
    }

    @Test
    void aLoadBalancerForwardsToATargetGroupWhoseTargetsAreReportedAsAlbDoes() {
        LoadBalancer lb = loadBalancer(unique("web"));
        assertThat(lb.state().code()).isEqualTo(LoadBalancerStateEnum.PROVISIONING);
        assertThat(lb.dnsName()).startsWith("127.100.");
        assertThat(lb.vpcId()).isEqualTo(vpcId);
        assertThat(lb.availabilityZones()).hasSize(2);
        assertThat(lb.securityGroups()).hasSize(1);
        assertThat(elb.describeLoadBalancers(b -> b.loadBalancerArns(lb.loadBalancerArn())).loadBalancers().getFirst()
                .state().code()).isEqualTo(LoadBalancerStateEnum.ACTIVE);

        TargetGroup tg = targetGroup(unique("api"));
        assertThat(tg.healthCheckPath()).isEqualTo("/");
        assertThat(tg.healthCheckIntervalSeconds()).isEqualTo(30);
        assertThat(tg.matcher().httpCode()).isEqualTo("200");
        elb.registerTargets(b -> b.targetGroupArn(tg.targetGroupArn())
                .targets(TargetDescription.builder().id("172.31.0.10").build()));
        TargetHealthDescription unused = elb.describeTargetHealth(b -> b.targetGroupArn(tg.targetGroupArn()))
                .targetHealthDescriptions().getFirst();
        assertThat(unused.target().port()).isEqualTo(8080);
        assertThat(unused.healthCheckPort()).isEqualTo("8080");
        assertThat(unused.targetHealth().stateAsString()).isEqualTo("unused");
        assertThat(unused.targetHealth().reasonAsString()).isEqualTo("Target.NotInUse");

        String listener = elb.createListener(b -> b.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTP").port(80)
                .defaultActions(Action.builder().type("forward").targetGroupArn(tg.targetGroupArn()).build()))
                .listeners().getFirst().listenerArn();
        TargetHealthDescription initial = elb.describeTargetHealth(b -> b.targetGroupArn(tg.targetGroupArn()))
                .targetHealthDescriptions().getFirst();
        assertThat(initial.targetHealth().stateAsString()).isEqualTo("initial");
        assertThat(initial.targetHealth().reasonAsString()).isEqualTo("Elb.RegistrationInProgress");
        assertThat(elb.describeTargetGroups(b -> b.targetGroupArns(tg.targetGroupArn())).targetGroups().getFirst()
                .loadBalancerArns()).containsExactly(lb.loadBalancerArn());

        elb.createRule(b -> b.listenerArn(listener).priority(10)
                .conditions(RuleCondition.builder().field("path-pattern").values("/api/*").build())
                .actions(Action.builder().type("forward").targetGroupArn(tg.targetGroupArn()).build()));
        List<Rule> rules = elb.describeRules(b -> b.listenerArn(listener)).rules();
        assertThat(rules).extracting(Rule::priority).containsExactly("10", "default");
        assertThat(rules.get(1).isDefault()).isTrue();
        assertThat(rules.get(0).conditions().getFirst().pathPatternConfig().values()).containsExactly("/api/*");

        // Refusals change nothing.
        assertThatThrownBy(() -> elb.createRule(b -> b.listenerArn(listener).priority(10)
                .conditions(RuleCondition.builder().field("path-pattern").values("/other").build())
                .actions(Action.builder().type("forward").targetGroupArn(tg.targetGroupArn()).build())))
                .isInstanceOf(PriorityInUseException.class);
        assertThatThrownBy(() -> elb.deleteTargetGroup(b -> b.targetGroupArn(tg.targetGroupArn())))
                .isInstanceOf(ResourceInUseException.class);
        assertThat(elb.describeRules(b -> b.listenerArn(listener)).rules()).hasSize(2);

        // Deregistration drains for the group's delay; with none the target is gone at once.
        elb.deregisterTargets(b -> b.targetGroupArn(tg.targetGroupArn())
                .targets(TargetDescription.builder().id("172.31.0.10").build()));
        assertThat(elb.describeTargetHealth(b -> b.targetGroupArn(tg.targetGroupArn())).targetHealthDescriptions()
                .getFirst().targetHealth().stateAsString()).isEqualTo("draining");
        elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(tg.targetGroupArn()).attributes(a -> a
                .key("deregistration_delay.timeout_seconds").value("0")));
        assertThat(elb.describeTargetHealth(b -> b.targetGroupArn(tg.targetGroupArn())).targetHealthDescriptions())
                .isEmpty();
        TargetHealthDescription gone = elb.describeTargetHealth(b -> b.targetGroupArn(tg.targetGroupArn())
                .targets(TargetDescription.builder().id("172.31.0.10").port(8080).build()))
                .targetHealthDescriptions().getFirst();
        assertThat(gone.targetHealth().reasonAsString()).isEqualTo("Target.NotRegistered");

        // Deleting the load balancer takes its listener and rules; the group is then free to go.
        elb.deleteLoadBalancer(b -> b.loadBalancerArn(lb.loadBalancerArn()));
        elb.deleteTargetGroup(b -> b.targetGroupArn(tg.targetGroupArn()));
        assertThatThrownBy(() -> elb.describeListeners(b -> b.listenerArns(listener)))
                .isInstanceOf(ElasticLoadBalancingV2Exception.class)
                .extracting(e -> ((ElasticLoadBalancingV2Exception) e).awsErrorDetails().errorCode())
                .isEqualTo("ListenerNotFound");
    }

    @Test
    void eachLoadBalancerGetsItsOwnLoopbackAddressAndPaginatorsCollectEveryPage() {
        LoadBalancer first = loadBalancer(unique("a"));
        LoadBalancer second = loadBalancer(unique("b"));
        assertThat(first.dnsName()).isNotEqualTo(second.dnsName());

        List<String> names = elb.describeLoadBalancersPaginator(b -> b.pageSize(1)).loadBalancers().stream()
                .map(LoadBalancer::loadBalancerName).toList();
        assertThat(names).contains(first.loadBalancerName(), second.loadBalancerName()).doesNotHaveDuplicates();

        // The same request again answers the same load balancer (CreateLoadBalancer is idempotent).
        assertThat(loadBalancer(first.loadBalancerName()).loadBalancerArn()).isEqualTo(first.loadBalancerArn());
    }

    @Test
    void anOperationNotServedYetIsAClearClientError() {
        assertThatThrownBy(() -> elb.describeSSLPolicies(b -> b.names("ELBSecurityPolicy-2016-08")))
                .isInstanceOf(ElasticLoadBalancingV2Exception.class)
                .hasMessageContaining("Stevedore does not implement DescribeSSLPolicies yet");
    }
}
