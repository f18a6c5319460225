package dev.stevedore.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.store.etcd.EtcdExtension;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Cluster;

/**
 * The control plane on a real etcd (no agent): what one control plane writes, a second one started
 * on another data directory with the same {@code --store} serves; and {@code store migrate} carries an
 * embedded store's state into etcd.
 */
class EtcdControlPlaneTest {
    private static final String KEY = "AKIASTEVEDOREETCD000";
    private static final String SECRET = "etcd/test/secret/0123456789abcdefghijklm";
    @RegisterExtension
    static final EtcdExtension etcd = new EtcdExtension(1);

    @TempDir
    Path dir;

    @Test
    void stateWrittenThroughOneControlPlaneIsServedByTheNextFromEtcd() {
        StateStoreAddress store = StateStoreAddress.parse(etcd.location("/plane-a").toString());
        try (ControlPlane first = ControlPlane.start(config(dir.resolve("first")).withStore(store));
             EcsClient ecs = client(first)) {
            ecs.createCluster(b -> b.clusterName("kept-in-etcd"));
        }

        try (ControlPlane second = ControlPlane.start(config(dir.resolve("second")).withStore(store));
             EcsClient ecs = client(second)) {
            assertThat(ecs.describeClusters(b -> b.clusters("kept-in-etcd")).clusters())
                    .extracting(Cluster::clusterName, Cluster::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("kept-in-etcd", "ACTIVE"));
        }
    }

    @Test
    void migrateCopiesAnEmbeddedStoreIntoAnEmptyPrefixOnce() {
        Path dataDir = dir.resolve("embedded");
        try (ControlPlane embedded = ControlPlane.start(config(dataDir)); EcsClient ecs = client(embedded)) {
            ecs.createCluster(b -> b.clusterName("migrated"));
        }
        String address = etcd.location("/plane-b").toString();
        String file = dataDir.resolve(ControlPlane.STATE_FILE).toString();

        assertThat(new CommandLine(new StevedoreCommand()).execute("store", "migrate", "--from", file, "--to", address))
                .isZero();
        assertThat(new CommandLine(new StevedoreCommand()).execute("store", "migrate", "--from", file, "--to", address))
                .as("the prefix is no longer empty").isEqualTo(1);

        try (ControlPlane onEtcd = ControlPlane.start(config(dataDir).withStore(StateStoreAddress.parse(address)));
             EcsClient ecs = client(onEtcd)) {
            assertThat(ecs.describeClusters(b -> b.clusters("migrated")).clusters())
                    .extracting(Cluster::clusterName).containsExactly("migrated");
        }
    }

    private static ControlPlaneConfig config(Path dataDir) {
        return new ControlPlaneConfig("127.0.0.1", 0, dataDir, "us-east-1", "123456789012",
                new RootCredentials(KEY, SECRET, RootCredentials.Source.ENVIRONMENT));
    }

    private static EcsClient client(ControlPlane plane) {
        return EcsClient.builder().endpointOverride(URI.create(plane.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET))).build();
    }
}
