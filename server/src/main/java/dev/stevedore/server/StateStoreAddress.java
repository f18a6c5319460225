package dev.stevedore.server;

import dev.stevedore.store.SqliteStateStore;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.StoreObserver;
import dev.stevedore.store.StoreOptions;
import dev.stevedore.store.etcd.EtcdLocation;
import dev.stevedore.store.etcd.EtcdStateStore;
import dev.stevedore.server.replica.Replication;
import java.nio.file.Path;
import java.time.Duration;

/** Where the control plane keeps its state: the embedded SQLite file in the data directory, or etcd. */
public sealed interface StateStoreAddress {

    /** {@code state.db} in the data directory. */
    StateStoreAddress EMBEDDED = new Embedded();

    /** The store {@code up --store} names: an etcd address (see {@link EtcdLocation#parse}). */
    static StateStoreAddress parse(String address) {
        if (!EtcdLocation.isEtcdAddress(address)) {
            throw new IllegalArgumentException("--store takes etcd://host:port[,host:port...][/prefix][?max-txn-ops=N]"
                    + "[&history-compaction-seconds=S], not '"
                    + address + "'; without --store the state is in the data directory");
        }
        return new Etcd(EtcdLocation.parse(address), Etcd.DEFAULT_LEADER_LEASE);
    }

    /** Opens the store; {@code dataDir} exists. */
    StateStore open(Path dataDir, StoreObserver observer);

    /** For people: where the state is. */
    String describe(Path dataDir);

    /** The embedded store: one SQLite file beside the other files of the data directory. */
    record Embedded() implements StateStoreAddress {
        @Override
        public StateStore open(Path dataDir, StoreObserver observer) {
            return SqliteStateStore.open(dataDir.resolve(ControlPlane.STATE_FILE), StoreOptions.defaults(), observer);
        }

        @Override
        public String describe(Path dataDir) {
            return dataDir.toAbsolutePath().resolve(ControlPlane.STATE_FILE).toString();
        }
    }

    /**
     * An etcd cluster, the store living under the location's prefix; every control plane on it is a
     * replica (see {@link dev.stevedore.server.replica.Replication}), the leader holding an etcd lease of
     * {@code leaderLease}.
     */
    record Etcd(EtcdLocation location, Duration leaderLease) implements StateStoreAddress {
        /** Long enough for etcd's shortest lease (1.5 s with its default election timeout), short for failover. */
        public static final Duration DEFAULT_LEADER_LEASE = Duration.ofSeconds(2);

        /** The same store with a leader lease of {@code lease}. */
        public Etcd withLeaderLease(Duration lease) {
            return new Etcd(location, lease);
        }

        /** The store alone, written by this process without an election (what {@code store migrate} and tools use). */
        @Override
        public StateStore open(Path dataDir, StoreObserver observer) {
            return EtcdStateStore.open(location, StoreOptions.defaults(), observer);
        }

        /** This process as one replica of the store: a follower's copy, until elected. */
        public Replication replicate(StoreObserver observer) {
            return Replication.open(location, leaderLease, observer);
        }

        @Override
        public String describe(Path dataDir) {
            return location.toString();
        }
    }
}
