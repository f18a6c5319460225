package dev.stevedore.server.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.HttpRequest;
import org.junit.jupiter.api.Test;

/** Which calls a follower answers itself: reads of every service but Logs; everything else goes to the leader. */
class LocalReadsTest {

    private static HttpRequest json(String target) {
        return HttpRequest.post(Headers.of("X-Amz-Target", target, "Content-Type", "application/x-amz-json-1.1"), "{}");
    }

    private static HttpRequest form(String body) {
        return HttpRequest.post(Headers.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), body);
    }

    @Test
    void readsOfTheJsonServicesAreLocalButTheirWritesAndLogsAreNot() {
        assertThat(LocalReads.servedLocally(json("AmazonEC2ContainerServiceV20141113.DescribeClusters"))).isTrue();
        assertThat(LocalReads.servedLocally(json("AmazonEC2ContainerServiceV20141113.ListTasks"))).isTrue();
        assertThat(LocalReads.servedLocally(json("AmazonSSM.GetParameters"))).isTrue();
        assertThat(LocalReads.servedLocally(json("AmazonEC2ContainerServiceV20141113.RunTask"))).isFalse();
        assertThat(LocalReads.servedLocally(json("AmazonEC2ContainerServiceV20141113.DiscoverPollEndpoint")))
                .as("names the endpoint agents connect to: the leader's").isFalse();
        assertThat(LocalReads.servedLocally(json("Logs_20140328.GetLogEvents"))).isFalse();
        assertThat(LocalReads.servedLocally(json("AmazonEC2ContainerServiceV20141113.Getaway"))).isFalse();
    }

    @Test
    void queryAndEc2CallsAreJudgedByTheirAction() {
        assertThat(LocalReads.servedLocally(form("Action=ListRoles&Version=2010-05-08"))).isTrue();
        assertThat(LocalReads.servedLocally(form("Version=2016-11-15&Action=DescribeVpcs"))).isTrue();
        assertThat(LocalReads.servedLocally(form("Action=CreateRole&Version=2010-05-08"))).isFalse();
        assertThat(LocalReads.servedLocally(form("Action=DescribeTargetGroups&Version=2015-12-01"))).isTrue();
        assertThat(LocalReads.servedLocally(form("Action=DescribeTargetHealth&Version=2015-12-01")))
                .as("the leader's data plane checks the targets").isFalse();
        assertThat(LocalReads.servedLocally(new HttpRequest("GET", "/", "Action=DescribeSubnets&Version=2016-11-15",
                Headers.empty(), new byte[0]))).isTrue();
        assertThat(LocalReads.servedLocally(new HttpRequest("POST", "/_stevedore/agent/join", "", Headers.empty(),
                new byte[0]))).isFalse();
    }
}
