package dev.stevedore.e2e;

import dev.stevedore.store.etcd.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two Stevedore replicas (processes, control plane only) on a three-member etcd cluster of their own,
 * for the failover tests: which one leads, (re)starting one, signalling one.
 */
class EtcdReplicas implements AutoCloseable {
    final int[] ports = {StevedoreProcess.freePort(), StevedoreProcess.freePort()};
    final StevedoreProcess[] replicas = new StevedoreProcess[2];
    final EtcdCluster etcd;
    private final String prefix;
    private final List<String> upOptions;
    private final Client client;
    private final String store;
    private final Path base;

    /** Starts etcd and both replicas with {@code stevedore up}'s options {@code upOptions} besides the store. */
    EtcdReplicas(String name, String prefix, List<String> upOptions) throws Exception {
        this.prefix = prefix;
        this.upOptions = List.copyOf(upOptions);
        etcd = EtcdCluster.start(3);
        store = etcd.location(prefix).toString();
        base = Files.createTempDirectory(name);
        client = Client.builder().endpoints(etcd.members().stream()
                .map(EtcdCluster.Member::endpoint).toArray(String[]::new)).build();
        try {
            start(0);
            start(1);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** (Re)starts replica {@code index} on its port, with its data directory of before. */
    void start(int index) {
        List<String> options = new ArrayList<>(List.of("--store", store));
        options.addAll(upOptions);
        replicas[index] = StevedoreProcess.start(base.resolve("replica-" + index), ports[index],
                options.toArray(String[]::new));
    }

    /** Both replicas' endpoints, comma-separated, as {@code stevedore agent --endpoint} takes them. */
    String endpoints() {
        return "http://127.0.0.1:" + ports[0] + ",http://127.0.0.1:" + ports[1];
    }

    /** Which replica's endpoint the leader key names. */
    int leader() throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            var found = client.getKVClient().get(ByteSequence.from(prefix + "/leader", StandardCharsets.UTF_8))
                    .get(10, TimeUnit.SECONDS).getKvs();
            if (!found.isEmpty()) {
                String endpoint = found.getFirst().getValue().toString(StandardCharsets.UTF_8).split("\n")[1];
                for (int i = 0; i < ports.length; i++) {
                    if (endpoint.endsWith(":" + ports[i])) {
                        return i;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no replica leads after 30 s");
    }

    /** Sends {@code signal} (STOP, CONT, ...) to replica {@code index}, if it runs. */
    void signal(int index, String signal) throws Exception {
        StevedoreProcess replica = replicas[index];
        if (replica != null && replica.process.isAlive()) {
            new ProcessBuilder("kill", "-" + signal, Long.toString(replica.process.pid())).inheritIO().start().waitFor();
        }
    }

    @Override
    public void close() throws Exception {
        for (int i = 0; i < replicas.length; i++) {
            if (replicas[i] != null) {
                signal(i, "CONT");
                replicas[i].close();
            }
        }
        client.close();
        etcd.close();
    }
}
