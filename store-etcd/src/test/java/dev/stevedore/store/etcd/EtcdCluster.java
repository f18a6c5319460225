package dev.stevedore.store.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Real etcd servers (Debian's {@code etcd-server}, {@code /usr/bin/etcd}) for tests: one or three
 * members on free loopback ports, each with a data directory under a temporary directory that
 * {@link #close()} removes after stopping them. {@link #start} returns once every member reports
 * itself healthy (the cluster has a leader).
 */
public final class EtcdCluster implements AutoCloseable {

    private static final Path ETCD = Path.of("/usr/bin/etcd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** One etcd process, where it listens for clients, and the command that started it (to start it again). */
    public record Member(String name, int clientPort, int peerPort, List<String> command, Process process) {
        public String endpoint() {
            return "http://127.0.0.1:" + clientPort;
        }
    }

    private final Path dir;
    private final List<Member> members;

    private EtcdCluster(Path dir, List<Member> members) {
        this.dir = dir;
        this.members = members;
    }

    /** Starts a cluster of {@code size} members (1 or 3) and waits until it is healthy. */
    public static EtcdCluster start(int size) {
        return start(size, List.of());
    }

    /** Starts a cluster of {@code size} members, each with the extra etcd {@code flags}. */
    public static EtcdCluster start(int size, List<String> flags) {
        if (!Files.isExecutable(ETCD)) {
            throw new IllegalStateException(ETCD + " is missing: install Debian's etcd-server (bin/setup-test-env)");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("stevedore-etcd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<int[]> ports = IntStream.range(0, size).mapToObj(i -> new int[] {freePort(), freePort()}).toList();
        String initialCluster = IntStream.range(0, size)
                .mapToObj(i -> "m" + i + "=http://127.0.0.1:" + ports.get(i)[1])
                .collect(Collectors.joining(","));
        String token = "stevedore-test-" + UUID.randomUUID();
        List<Member> members = new ArrayList<>();
        EtcdCluster cluster = new EtcdCluster(dir, members);
        try {
            for (int i = 0; i < size; i++) {
                String name = "m" + i;
                int client = ports.get(i)[0];
                int peer = ports.get(i)[1];
                List<String> command = new ArrayList<>(List.of(ETCD.toString(),
                        "--name", name,
                        "--data-dir", dir.resolve(name).toString(),
                        "--listen-client-urls", "http://127.0.0.1:" + client,
                        "--advertise-client-urls", "http://127.0.0.1:" + client,
                        "--listen-peer-urls", "http://127.0.0.1:" + peer,
                        "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                        "--initial-cluster", initialCluster,
                        "--initial-cluster-token", token,
                        "--initial-cluster-state", "new"));
                command.addAll(flags);
                members.add(new Member(name, client, peer, List.copyOf(command), cluster.launch(name, command)));
            }
            cluster.awaitHealthy();
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private Process launch(String name, List<String> command) throws IOException {
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()))
                .start();
    }

    public List<Member> members() {
        return List.copyOf(members);
    }

    /** The address the store takes for this cluster, with {@code prefix} as its namespace. */
    public EtcdLocation location(String prefix) {
        return new EtcdLocation(members.stream().map(Member::endpoint).toList(), prefix);
    }

    /**
     * The index of the member that leads the cluster now, as the members themselves report it
     * (etcd's maintenance status over its JSON gateway: each member's id and the leader's).
     */
    public int leaderIndex() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String leader = null;
        List<String> ids = new ArrayList<>();
        for (Member member : members) {
            String status = post(http, member, "/v3/maintenance/status", "{}");
            ids.add(field(status, "member_id"));
            leader = leader == null ? field(status, "leader") : leader;
        }
        int index = ids.indexOf(leader);
        if (index < 0) {
            throw new IllegalStateException("no member is the leader " + leader + " among " + ids);
        }
        return index;
    }

    private static String post(HttpClient http, Member member, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(member.endpoint() + path))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A string field of the gateway's JSON ("member_id":"123"): enough here without a JSON parser. */
    private static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":\"?([0-9]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    /** Kills member {@code index} (SIGKILL) and waits for it to be gone; its data stays until {@link #close()}. */
    public void kill(int index) {
        Process process = members.get(index).process();
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts a killed member again on its data directory (etcd then ignores the initial-cluster flags and
     * rejoins as the member it was) and waits until every member is healthy.
     */
    public void restart(int index) {
        Member member = members.get(index);
        if (member.process().isAlive()) {
            throw new IllegalStateException("etcd " + member.name() + " is still running");
        }
        try {
            members.set(index, new Member(member.name(), member.clientPort(), member.peerPort(), member.command(),
                    launch(member.name(), member.command())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitHealthy();
    }

    private void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        for (Member member : members) {
            while (!healthy(http, member)) {
                if (!member.process().isAlive()) {
                    throw new IllegalStateException("etcd " + member.name() + " exited; see " + dir.resolve(member.name() + ".log"));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("etcd " + member.name() + " not healthy within " + START_TIMEOUT);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static boolean healthy(HttpClient http, Member member) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(member.endpoint() + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"health\":\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every member and deletes the data directories. */
    @Override
    public void close() {
        for (Member member : members) {
            member.process().destroy();
        }
        for (Member member : members) {
            try {
                if (!member.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    member.process().destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
