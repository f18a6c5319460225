package dev.stevedore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.server.replica.Replication;
import dev.stevedore.store.etcd.EtcdExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Cluster;

/**
 * Two control planes on one etcd prefix (no agents): one leads; the other answers reads from its own
 * copy and relays writes, signed as they came, to the leader; when the leader goes the other leads.
 */
class ReplicatedControlPlaneTest {
    private static final String KEY = "AKIASTEVEDOREREPLICA";
    private static final String SECRET = "replica/test/secret/0123456789abcdefghij";
    @RegisterExtension
    static final EtcdExtension etcd = new EtcdExtension(1);

    @TempDir
    Path dir;

    @Test
    void aFollowerServesReadsItselfRelaysWritesAndLeadsWhenTheLeaderGoes() throws Exception {
        StateStoreAddress store = StateStoreAddress.parse(etcd.location("/replicated").toString());
        ControlPlane first = ControlPlane.start(config(dir.resolve("first")).withStore(store));
        ControlPlane second = ControlPlane.start(config(dir.resolve("second")).withStore(store));
        ControlPlane closed = null;
        try (EcsClient viaSecond = ecs(second)) {
            ControlPlane leader = first.replication().orElseThrow().leads() ? first : second;
            ControlPlane follower = leader == first ? second : first;
            assertThat(follower.replication().orElseThrow().leads()).isFalse();
            try (EcsClient viaFollower = ecs(follower)) {
                viaFollower.createCluster(b -> b.clusterName("relayed"));

                awaitTrue(() -> follower.storeRevision() == leader.storeRevision());
                assertThat(viaFollower.describeClusters(b -> b.clusters("relayed")).clusters())
                        .extracting(Cluster::clusterName, Cluster::status)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("relayed", "ACTIVE"));
                assertThat(scrape(follower)).as("answered by the follower").contains("operation=\"DescribeClusters\"");
                assertThat(scrape(leader)).as("not by the leader").doesNotContain("operation=\"DescribeClusters\"")
                        .as("which wrote the relayed call").contains("operation=\"CreateCluster\"");
            }

            leader.close();
            closed = leader;
            awaitTrue(() -> follower.replication().orElseThrow().leads());
            try (EcsClient viaNewLeader = ecs(follower)) {
                viaNewLeader.createCluster(b -> b.clusterName("after-failover"));
                assertThat(viaNewLeader.listClusters().clusterArns())
                        .anyMatch(arn -> arn.endsWith("/relayed")).anyMatch(arn -> arn.endsWith("/after-failover"));
            }
        } finally {
            for (ControlPlane plane : new ControlPlane[] {first, second}) {
                if (plane != closed) {
                    plane.close();
                }
            }
        }
    }

    /**
     * The leader key removed behind the leader's back (its lease lives on, so its keep-alives go on
     * succeeding): the leader's next write is refused by etcd's fence, and that ends its term, as
     * the server's {@code up} reacts to (it stops, to be started again as a follower); the other
     * replica leads and writes, and nothing more of the old term's reaches the store.
     */
    @Test
    void aLeaderWhoseWriteEtcdRefusesEndsItsTermAndTheOtherLeads() throws Exception {
        String prefix = "/refused";
        StateStoreAddress store = StateStoreAddress.parse(etcd.location(prefix).toString());
        ControlPlane first = ControlPlane.start(config(dir.resolve("first")).withStore(store));
        ControlPlane second = ControlPlane.start(config(dir.resolve("second")).withStore(store));
        try (io.etcd.jetcd.Client client = io.etcd.jetcd.Client.builder()
                .endpoints(etcd.cluster().members().getFirst().endpoint()).build()) {
            ControlPlane leader = first.replication().orElseThrow().leads() ? first : second;
            ControlPlane other = leader == first ? second : first;
            Replication oldTerm = leader.replication().orElseThrow();
            try (EcsClient viaLeader = ecs(leader)) {
                viaLeader.createCluster(b -> b.clusterName("before"));
            }

            client.getKVClient().delete(io.etcd.jetcd.ByteSequence.from(prefix + "/leader",
                    java.nio.charset.StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
            try (EcsClient viaLeader = ecs(leader)) {
                assertThatThrownBy(() -> viaLeader.createCluster(b -> b.clusterName("refused")))
                        .isInstanceOf(software.amazon.awssdk.core.exception.SdkException.class);
            }

            assertThat(oldTerm.termEnded().get(30, TimeUnit.SECONDS)).contains("etcd refused a write");
            assertThat(oldTerm.leads()).isFalse();
            awaitTrue(() -> other.replication().orElseThrow().leads());
            try (EcsClient viaOther = ecs(other)) {
                viaOther.createCluster(b -> b.clusterName("after"));
                awaitTrue(() -> viaOther.listClusters().clusterArns().stream().anyMatch(a -> a.endsWith("/after")));
                assertThat(viaOther.listClusters().clusterArns())
                        .anyMatch(arn -> arn.endsWith("/before")).noneMatch(arn -> arn.endsWith("/refused"));
            }
        } finally {
            first.close();
            second.close();
        }
    }

    private static String scrape(ControlPlane plane) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(plane.endpoint() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static ControlPlaneConfig config(Path dataDir) {
        return new ControlPlaneConfig("127.0.0.1", 0, dataDir, "us-east-1", "123456789012",
                new RootCredentials(KEY, SECRET, RootCredentials.Source.ENVIRONMENT));
    }

    private static EcsClient ecs(ControlPlane plane) {
        return EcsClient.builder().endpointOverride(URI.create(plane.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET))).build();
    }

}
