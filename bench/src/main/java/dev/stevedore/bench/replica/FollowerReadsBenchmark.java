package dev.stevedore.bench.replica;

import dev.stevedore.bench.UpServer;
import dev.stevedore.bench.tasks.Distribution;
import dev.stevedore.store.etcd.EtcdLocation;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Resource;

/**
 * API reads on a follower replica next to the same reads on the leader (issue 15: "reads must not
 * all go through the leader"). Two {@code stevedore up --store etcd://…} replicas on the three-member
 * etcd cluster {@code bench/run-follower-reads.sh} starts; a cluster with hundreds of container
 * instances and a few services made through the leader; then, round after round, the same read load
 * (DescribeContainerInstances of 100, ListContainerInstances, DescribeServices of 10, through the AWS
 * SDK v2 with SigV4) on the leader and on the follower in turn, the order swapped every round. Each
 * phase counts the calls answered, their latency, and the CPU each replica's process spent.
 *
 * <p>Then the freshness of a follower's answers: a tag written (TagResource) and acknowledged, and
 * how long until the follower's ListTagsForResource shows it, the write sent to the leader or to the
 * follower (relayed). Last, the proof that the follower answers alone: the leader is stopped with
 * SIGSTOP while the follower is read, then resumed (SIGCONT) and must still lead.
 *
 * <p>Usage: {@code FollowerReadsBenchmark seconds-per-phase rounds callers instances probes}; the etcd
 * address in STEVEDORE_FOLLOWER_READS_STORE.
 */
public final class FollowerReadsBenchmark {
    private static final String CLUSTER = "follower-reads";
    private static final String FAMILY = "follower-reads";
    private static final int SERVICES = 10;
    /** The leader's etcd lease: long enough that a 3 s SIGSTOP does not end its term (it keeps the lease alive every quarter). */
    private static final int LEASE_SECONDS = 10;
    private static final Duration PAUSE = Duration.ofSeconds(3);

    private FollowerReadsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int callers = Integer.parseInt(args[2]);
        int instances = Integer.parseInt(args[3]);
        int probes = Integer.parseInt(args[4]);
        String store = System.getenv("STEVEDORE_FOLLOWER_READS_STORE");
        Path root = Path.of(System.getProperty("user.dir"));
        List<String> options = List.of("--store", store, "--leader-lease", "" + LEASE_SECONDS,
                "--host-lost-after", "86400", "--no-registry");
        log("load " + load() + "; starting two replicas on " + store);
        try (UpServer first = UpServer.start(root, "stevedore-follower-reads-", options);
             UpServer second = UpServer.start(root, "stevedore-follower-reads-", options)) {
            boolean firstLeads = leaderEndpoint(store).equals(first.endpoint().toString());
            UpServer leader = firstLeads ? first : second;
            UpServer follower = firstLeads ? second : first;
            log("leader " + leader.endpoint() + " (pid " + leader.pid() + "), follower " + follower.endpoint()
                    + " (pid " + follower.pid() + ")");
            try (EcsClient toLeader = ecs(leader.endpoint()); EcsClient toFollower = ecs(follower.endpoint())) {
                ReadLoad.State state = seed(toLeader, instances);
                awaitCaughtUp(toFollower, instances);
                log("seeded " + instances + " container instances and " + SERVICES + " services; load " + load());

                ReadLoad onLeader = new ReadLoad("leader", toLeader, state, callers);
                ReadLoad onFollower = new ReadLoad("follower", toFollower, state, callers);
                List<ReadLoad.Phase> leaderPhases = new ArrayList<>();
                List<ReadLoad.Phase> followerPhases = new ArrayList<>();
                onLeader.run(Duration.ofSeconds(2), leader, follower); // warm-up, both JVMs
                onFollower.run(Duration.ofSeconds(2), leader, follower);
                for (int round = 0; round < rounds; round++) {
                    boolean leaderFirst = round % 2 == 0;
                    for (int turn = 0; turn < 2; turn++) {
                        boolean leaderTurn = leaderFirst == (turn == 0);
                        ReadLoad.Phase phase = (leaderTurn ? onLeader : onFollower)
                                .run(Duration.ofSeconds(seconds), leader, follower);
                        (leaderTurn ? leaderPhases : followerPhases).add(phase);
                        log("round " + (round + 1) + ": " + phase.line() + "; load " + load());
                    }
                }
                Freshness viaLeader = Freshness.measure(toLeader, toFollower, state.clusterArn(), probes);
                Freshness viaFollower = Freshness.measure(toFollower, toFollower, state.clusterArn(), probes);
                ReadLoad.Phase paused = whileLeaderStopped(leader, follower, onFollower);
                boolean stillLeads = stillLeads(toLeader, state.clusterArn(), store, leader);

                System.out.println();
                System.out.printf("Reads: %d callers, %d s phases, %d rounds (order swapped each round), "
                        + "%d container instances, %d services%n", callers, seconds, rounds, instances, SERVICES);
                System.out.println(ReadLoad.Phase.HEADER);
                System.out.println(ReadLoad.Phase.sum("leader", leaderPhases).row());
                System.out.println(ReadLoad.Phase.sum("follower", followerPhases).row());
                System.out.println(paused.row());
                System.out.printf("%nleader SIGCONT after %d s stopped: still the leader and writing: %s%n",
                        PAUSE.toSeconds(), stillLeads);
                System.out.println();
                System.out.println(Freshness.HEADER);
                System.out.println(viaLeader.row("TagResource on the leader"));
                System.out.println(viaFollower.row("TagResource on the follower (relayed)"));
            }
        }
    }

    /** Reads the follower for {@link #PAUSE} while the leader's process is stopped, then resumes it. */
    private static ReadLoad.Phase whileLeaderStopped(UpServer leader, UpServer follower, ReadLoad onFollower)
            throws Exception {
        signal(leader, "STOP");
        try {
            ReadLoad.Phase phase = onFollower.run(PAUSE, leader, follower);
            log("leader stopped: " + phase.line());
            return phase.named("follower, leader SIGSTOPped");
        } finally {
            signal(leader, "CONT");
        }
    }

    /** Whether the resumed leader still is (the leader key names it) and takes a write. */
    private static boolean stillLeads(EcsClient toLeader, String clusterArn, String store, UpServer leader)
            throws Exception {
        toLeader.tagResource(b -> b.resourceArn(clusterArn).tags(t -> t.key("resumed").value("yes")));
        return leaderEndpoint(store).equals(leader.endpoint().toString());
    }

    private static void signal(UpServer server, String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(server.pid())).inheritIO().start().waitFor();
    }

    private static ReadLoad.State seed(EcsClient ecs, int instances) {
        String clusterArn = ecs.createCluster(b -> b.clusterName(CLUSTER)).cluster().clusterArn();
        ecs.registerTaskDefinition(b -> b.family(FAMILY).cpu("128").memory("128")
                .containerDefinitions(c -> c.name("app").image("busybox").essential(true)));
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            arns.add(ecs.registerContainerInstance(b -> b.cluster(CLUSTER).totalResources(
                            Resource.builder().name("CPU").type("INTEGER").integerValue(4096).build(),
                            Resource.builder().name("MEMORY").type("INTEGER").integerValue(16384).build()))
                    .containerInstance().containerInstanceArn());
        }
        List<String> services = new ArrayList<>();
        for (int i = 0; i < SERVICES; i++) {
            String name = "reads-" + i;
            ecs.createService(b -> b.cluster(CLUSTER).serviceName(name).taskDefinition(FAMILY).desiredCount(0));
            services.add(name);
        }
        return new ReadLoad.State(CLUSTER, clusterArn, List.copyOf(arns), List.copyOf(services));
    }

    private static void awaitCaughtUp(EcsClient follower, int instances) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            List<String> found = new ArrayList<>();
            follower.listContainerInstancesPaginator(b -> b.cluster(CLUSTER)).containerInstanceArns().forEach(found::add);
            if (found.size() == instances) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the follower did not show the " + instances + " instances within a minute");
    }

    /** The endpoint the leader key names. */
    private static String leaderEndpoint(String store) throws Exception {
        EtcdLocation location = EtcdLocation.parse(store);
        try (Client client = Client.builder().endpoints(location.endpoints().toArray(String[]::new)).build()) {
            for (int i = 0; i < 300; i++) {
                var found = client.getKVClient().get(ByteSequence.from(location.prefix() + "/leader",
                        StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS).getKvs();
                if (!found.isEmpty()) {
                    return found.getFirst().getValue().toString(StandardCharsets.UTF_8).split("\n")[1];
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("no replica leads after 30 s");
    }

    /** An ECS client that never retries, so a phase counts every call that failed. */
    static EcsClient ecs(URI endpoint) {
        return EcsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(UpServer.KEY,
                        UpServer.SECRET)))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(10)))
                .build();
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static void log(String line) {
        System.out.printf("[%tT] %s%n", System.currentTimeMillis(), line);
    }

    static String ms(double millis) {
        return Distribution.ms(millis);
    }
}
