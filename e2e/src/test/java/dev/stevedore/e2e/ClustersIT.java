package dev.stevedore.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.ClusterSettingName;
import software.amazon.awssdk.services.ecs.model.DescribeClustersResponse;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListClustersResponse;
import software.amazon.awssdk.services.ecs.model.Tag;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cluster operations through the unmodified AWS SDK for Java v2. */
class ClustersIT {
    static InProcessStevedore stevedore;
    static EcsClient ecs;

    @BeforeAll
    static void start() {
        stevedore = InProcessStevedore.start();
        ecs = stevedore.ecs();
    }

    @AfterAll
    static void stop() {
        ecs.close();
        stevedore.close();
    }

    @Test
    void theDefaultClusterExistsFromTheStart() {
        DescribeClustersResponse r = ecs.describeClusters(b -> { });
        assertThat(r.clusters()).extracting(Cluster::clusterName).containsExactly("default");
        assertThat(r.clusters().get(0).clusterArn()).isEqualTo(stevedore.arn("cluster/default"));
        assertThat(r.failures()).isEmpty();
    }

    @Test
    void createClusterAnswersTheNewClusterAndCreatingAgainReturnsItUnchanged() {
        Cluster created = ecs.createCluster(b -> b.clusterName("blue").tags(Tag.builder().key("team").value("a").build()))
                .cluster();
        assertThat(created.clusterArn()).isEqualTo(stevedore.arn("cluster/blue"));
        assertThat(created.status()).isEqualTo("ACTIVE");
        assertThat(created.registeredContainerInstancesCount()).isZero();
        assertThat(created.runningTasksCount()).isZero();
        assertThat(created.pendingTasksCount()).isZero();
        assertThat(created.activeServicesCount()).isZero();
        assertThat(created.settings()).containsExactly(
                ClusterSetting.builder().name(ClusterSettingName.CONTAINER_INSIGHTS).value("disabled").build());
        assertThat(created.tags()).containsExactly(Tag.builder().key("team").value("a").build());

        Cluster again = ecs.createCluster(b -> b.clusterName("blue")).cluster();
        assertThat(again.clusterArn()).isEqualTo(created.clusterArn());
        assertThat(again.tags()).containsExactly(Tag.builder().key("team").value("a").build());
    }

    @Test
    void describeReportsUnknownClustersAsMissingFailures() {
        ecs.createCluster(b -> b.clusterName("known"));
        DescribeClustersResponse r = ecs.describeClusters(b -> b.clusters("known", "nope", stevedore.arn("cluster/gone")));
        assertThat(r.clusters()).extracting(Cluster::clusterName).containsExactly("known");
        assertThat(r.failures()).hasSize(2);
        assertThat(r.failures().get(0).arn()).isEqualTo(stevedore.arn("cluster/nope"));
        assertThat(r.failures().get(0).reason()).isEqualTo("MISSING");
        assertThat(r.failures().get(1).arn()).isEqualTo(stevedore.arn("cluster/gone"));
    }

    @Test
    void describeFillsStatisticsAndTagsOnlyWhenAskedAndAlwaysSendsSettings() {
        ecs.createCluster(b -> b.clusterName("detailed").tags(Tag.builder().key("k").value("v").build())
                .settings(ClusterSetting.builder().name(ClusterSettingName.CONTAINER_INSIGHTS).value("enabled").build()));
        // As ECS answers (MEMBER-PRESENCE.md): settings in full, statistics and tags present but empty.
        Cluster plain = ecs.describeClusters(b -> b.clusters("detailed")).clusters().get(0);
        assertThat(plain.settings()).extracting(ClusterSetting::value).containsExactly("enabled");
        assertThat(plain.hasStatistics()).isTrue();
        assertThat(plain.statistics()).isEmpty();
        assertThat(plain.hasTags()).isTrue();
        assertThat(plain.tags()).isEmpty();
        assertThat(plain.hasAttachments()).isFalse();

        Cluster full = ecs.describeClusters(b -> b.clusters("detailed")
                .include(ClusterField.SETTINGS, ClusterField.STATISTICS, ClusterField.TAGS)).clusters().get(0);
        assertThat(full.settings()).extracting(ClusterSetting::value).containsExactly("enabled");
        assertThat(full.tags()).extracting(Tag::key).containsExactly("k");
        assertThat(full.statistics()).extracting(s -> s.name()).contains(
                "runningEC2TasksCount", "runningFargateTasksCount", "pendingEC2TasksCount",
                "pendingFargateTasksCount", "activeEC2ServiceCount", "activeFargateServiceCount",
                "drainingEC2ServiceCount", "drainingFargateServiceCount");
        assertThat(full.statistics()).allSatisfy(s -> assertThat(s.value()).isEqualTo("0"));
    }

    @Test
    void listClustersPagesThroughEveryClusterOnce() {
        for (int i = 0; i < 7; i++) {
            int n = i;
            ecs.createCluster(b -> b.clusterName("page-" + n));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListClustersResponse page = ecs.listClusters(b -> b.maxResults(3).nextToken(t));
            assertThat(page.clusterArns().size()).isLessThanOrEqualTo(3);
            seen.addAll(page.clusterArns());
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(pages).isGreaterThan(1);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsAll(ecs.listClustersPaginator(b -> { }).clusterArns());
        assertThat(seen).contains(stevedore.arn("cluster/page-0"), stevedore.arn("cluster/page-6"),
                stevedore.arn("cluster/default"));
    }

    @Test
    void deleteClusterMakesItInactiveAndNotFoundAfterwards() {
        ecs.createCluster(b -> b.clusterName("doomed"));
        Cluster deleted = ecs.deleteCluster(b -> b.cluster("doomed")).cluster();
        assertThat(deleted.status()).isEqualTo("INACTIVE");
        assertThat(ecs.listClusters().clusterArns()).doesNotContain(stevedore.arn("cluster/doomed"));
        assertThatThrownBy(() -> ecs.deleteCluster(b -> b.cluster("doomed")))
                .isInstanceOf(ClusterNotFoundException.class)
                .hasMessageContaining("Cluster not found.");
        assertThatThrownBy(() -> ecs.updateClusterSettings(b -> b.cluster("doomed")
                .settings(ClusterSetting.builder().name(ClusterSettingName.CONTAINER_INSIGHTS).value("enabled").build())))
                .isInstanceOf(ClusterNotFoundException.class);
        Cluster recreated = ecs.createCluster(b -> b.clusterName("doomed")).cluster();
        assertThat(recreated.status()).isEqualTo("ACTIVE");
    }

    @Test
    void updateClusterSettingsChangesContainerInsightsAndRejectsBadValues() {
        ecs.createCluster(b -> b.clusterName("insights"));
        Cluster updated = ecs.updateClusterSettings(b -> b.cluster(stevedore.arn("cluster/insights"))
                .settings(ClusterSetting.builder().name(ClusterSettingName.CONTAINER_INSIGHTS).value("enhanced").build()))
                .cluster();
        assertThat(updated.settings()).extracting(ClusterSetting::value).containsExactly("enhanced");
        assertThatThrownBy(() -> ecs.updateClusterSettings(b -> b.cluster("insights")
                .settings(ClusterSetting.builder().name(ClusterSettingName.CONTAINER_INSIGHTS).value("maybe").build())))
                .isInstanceOf(InvalidParameterException.class);
        Cluster after = ecs.describeClusters(b -> b.clusters("insights").include(ClusterField.SETTINGS)).clusters().get(0);
        assertThat(after.settings()).extracting(ClusterSetting::value).containsExactly("enhanced");
    }

    @Test
    void putClusterCapacityProvidersAcceptsTheFargateProvidersOnly() {
        ecs.createCluster(b -> b.clusterName("capacity"));
        Cluster c = ecs.putClusterCapacityProviders(b -> b.cluster("capacity")
                .capacityProviders("FARGATE", "FARGATE_SPOT")
                .defaultCapacityProviderStrategy(
                        CapacityProviderStrategyItem.builder().capacityProvider("FARGATE").weight(1).base(1).build(),
                        CapacityProviderStrategyItem.builder().capacityProvider("FARGATE_SPOT").weight(3).build()))
                .cluster();
        assertThat(c.capacityProviders()).containsExactly("FARGATE", "FARGATE_SPOT");
        assertThat(c.defaultCapacityProviderStrategy()).extracting(CapacityProviderStrategyItem::weight).containsExactly(1, 3);
        assertThat(c.defaultCapacityProviderStrategy()).extracting(CapacityProviderStrategyItem::base).containsExactly(1, 0);

        assertThatThrownBy(() -> ecs.putClusterCapacityProviders(b -> b.cluster("capacity")
                .capacityProviders("my-asg-provider").defaultCapacityProviderStrategy(List.of())))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.putClusterCapacityProviders(b -> b.cluster("capacity")
                .capacityProviders("FARGATE")
                .defaultCapacityProviderStrategy(
                        CapacityProviderStrategyItem.builder().capacityProvider("FARGATE_SPOT").weight(1).build())))
                .isInstanceOf(InvalidParameterException.class);
        Cluster unchanged = ecs.describeClusters(b -> b.clusters("capacity")).clusters().get(0);
        assertThat(unchanged.capacityProviders()).containsExactly("FARGATE", "FARGATE_SPOT");
    }

    @Test
    void clusterTagsCanBeAddedListedAndRemoved() {
        String arn = ecs.createCluster(b -> b.clusterName("tagged")).cluster().clusterArn();
        ecs.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("a").value("1").build(),
                Tag.builder().key("b").value("2").build()));
        ecs.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("a").value("one").build()));
        assertThat(ecs.listTagsForResource(b -> b.resourceArn(arn)).tags())
                .containsExactly(Tag.builder().key("a").value("one").build(), Tag.builder().key("b").value("2").build());
        ecs.untagResource(b -> b.resourceArn(arn).tagKeys("a"));
        assertThat(ecs.listTagsForResource(b -> b.resourceArn(arn)).tags()).extracting(Tag::key).containsExactly("b");
        assertThatThrownBy(() -> ecs.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("aws:x").value("1").build())))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.listTagsForResource(b -> b.resourceArn(stevedore.arn("cluster/nothing-here"))))
                .isInstanceOf(ClusterNotFoundException.class);
    }

    @Test
    void badClusterNamesAreRefused() {
        assertThatThrownBy(() -> ecs.createCluster(b -> b.clusterName("has space")))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(ecs.listClusters().clusterArns()).noneMatch(a -> a.contains("has space"));
    }
}
