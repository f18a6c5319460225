package dev.stevedore.store.etcd;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real etcd for one test class: {@code @RegisterExtension static final EtcdExtension etcd =
 * new EtcdExtension(1);} starts the cluster before the class's first test and stops it (data
 * removed) after its last. Tests sharing it keep apart by prefix.
 */
public final class EtcdExtension implements BeforeAllCallback, AfterAllCallback {

    private final int members;
    private final List<String> flags;
    private EtcdCluster cluster;

    /**
     * @param members 1, or 3 for a cluster that keeps a quorum when one member stops
     * @param flags   extra etcd flags for every member (e.g. {@code --max-txn-ops})
     */
    public EtcdExtension(int members, String... flags) {
        this.members = members;
        this.flags = List.of(flags);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = EtcdCluster.start(members, flags);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    /** The running cluster. */
    public EtcdCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("etcd runs only while the test class does");
        }
        return cluster;
    }

    /** The store address under {@code prefix} on the running cluster. */
    public EtcdLocation location(String prefix) {
        return cluster().location(prefix);
    }
}
