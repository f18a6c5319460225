package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.api.ControlPlaneEndpoints;
import dev.stevedore.agent.api.EcsApiClient;
import dev.stevedore.agent.channel.AgentChannelClient;
import dev.stevedore.agent.channel.ChannelClientSettings;
import dev.stevedore.agent.channel.ChannelUrlSigner;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Two Stevedore replicas (processes) on a three-member etcd cluster, hosts whose agents are channel
 * clients that know both replicas (and run nothing): under a RunTask and UpdateService load, the leader
 * is killed with SIGKILL again and again; each time the other replica must take over and place again,
 * and the killed one comes back as a follower. After each round: no acknowledged task lost, none placed
 * twice (a RunTask retried with its client token answers the same tasks), no instance over-committed,
 * and the service holds the desired count last acknowledged, with as many tasks. An etcd member lost
 * (its leader, then a follower) stops neither replica.
 *
 * <p>Prints, per kill, the time from the kill to the first placement the new leader acknowledged
 * (what {@code bench/run-failover.sh} takes the median of). {@code -Dfailover.rounds=N} (3 by default).
 */
@StartEarly
class ReplicaFailoverIT {
    private static final String CLUSTER = "failover";
    private static final String FAMILY = "failover";
    private static final String PREFIX = "/stevedore-failover";
    private static final int HOSTS = 4;
    /** Room for 2,048 tasks (20 rounds place about 1,100): a placement after a kill must not fail for want of room. */
    private static final int HOST_CPU = 65536;
    private static final int HOST_MEMORY = 65536;
    private static final int TASK_CPU = 128;
    private static final int TASK_MEMORY = 128;
    private static final int LOAD_THREADS = 3;
    private static final String SERVICE = "failover-svc";
    /** A service task's group; RunTask's tasks are told apart by their startedBy (the client token). */
    private static final String SERVICE_GROUP = "service:" + SERVICE;

    record RunCall(String token, AtomicReference<Map<String, String>> placed) {
        RunTaskRequest request() {
            return RunTaskRequest.builder().cluster(CLUSTER).taskDefinition(FAMILY).count(1)
                    .startedBy(token).clientToken(token).build();
        }
    }

    /** One UpdateService of the load, in the order sent: its desired count and whether it was acknowledged. */
    record ScaleCall(int desiredCount, boolean acknowledged) { }

    private final Map<String, RunCall> runs = new ConcurrentHashMap<>();
    private final List<ScaleCall> scales = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> placed = new ConcurrentHashMap<>();
    private final AtomicInteger tokens = new AtomicInteger();
    private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());

    @Test
    void killingTheLeaderHandsPlacementToTheOtherReplicaAndLosesOrDoublesNothing() throws Exception {
        int rounds = Integer.getInteger("failover.rounds", 3);
        List<Long> failoverMillis = new ArrayList<>();
        try (ReplicaSet set = new ReplicaSet("stevedore-failover")) {
            createService(set);
            for (int round = 1; round <= rounds; round++) {
                int leader = set.leader();
                int survivor = 1 - leader;
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService pool = Executors.newFixedThreadPool(LOAD_THREADS + 1);
                List<Future<?>> load = new ArrayList<>();
                for (int t = 0; t < LOAD_THREADS; t++) {
                    // Users of both replicas: a follower relays RunTask to the leader.
                    StevedoreProcess target = set.replicas[t % 2];
                    load.add(pool.submit(() -> {
                        try (EcsClient ecs = target.ecs()) {
                            while (!stop.get()) {
                                runOnce(ecs, newCall());
                                Thread.sleep(20);
                            }
                        }
                        return null;
                    }));
                }
                // Scaling through the follower: relayed to the leader, then held while the follower takes over.
                load.add(pool.submit(() -> {
                    try (EcsClient ecs = set.replicas[survivor].ecs()) {
                        while (!stop.get()) {
                            scaleOnce(ecs, 1 + scales.size() % 4);
                            Thread.sleep(250);
                        }
                    }
                    return null;
                }));
                Thread.sleep(800);
                Instant killed = Instant.now();
                set.replicas[leader].kill();
                long tookMillis = firstPlacementAfter(set.replicas[survivor], killed);
                failoverMillis.add(tookMillis);
                stop.set(true);
                pool.shutdown();
                for (Future<?> f : load) {
                    f.get(120, TimeUnit.SECONDS);
                }
                set.start(leader);
                assertThat(set.leader()).as("the survivor leads").isEqualTo(survivor);
                ApiHosts.awaitAgentsConnected(set.replicas[survivor], CLUSTER, HOSTS, Duration.ofSeconds(60));
                int before = violations.size();
                check(set.replicas[survivor], round);
                checkService(set.replicas[survivor], round);
                System.out.printf("replica failover round %d: leader on port %d killed, first placement by the "
                                + "new leader after %d ms, %d tasks placed so far, %d violations%n", round,
                        set.ports[leader], tookMillis, placed.size(), violations.size() - before);
            }
        }
        List<Long> sorted = failoverMillis.stream().sorted().toList();
        long median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        System.out.printf("replica failover: %d kills, first placement after a kill: median %d ms, max %d ms (%s), "
                        + "%d tasks placed, %d violations%n", rounds, median, sorted.getLast(),
                failoverMillis, placed.size(), violations.size());
        assertThat(violations).isEmpty();
    }

    /**
     * SIGSTOP the leader past its lease: the other replica takes over and places; SIGCONT: the old
     * leader finds its term over and stops (status 75) instead of writing, and what the new leader
     * acknowledged is all there.
     */
    @Test
    void aLeaderPausedPastItsLeaseStopsWhenItResumesAndItsStaleTermWritesNothing() throws Exception {
        try (ReplicaSet set = new ReplicaSet("stevedore-pause")) {
            int leader = set.leader();
            int other = 1 - leader;
            try (EcsClient ecs = set.replicas[leader].ecs()) {
                assertThat(runOnce(ecs, newCall())).as("placed before the pause").isTrue();
            }

            set.signal(leader, "STOP");
            Instant paused = Instant.now();
            long tookMillis = firstPlacementAfter(set.replicas[other], paused);
            assertThat(set.leader()).isEqualTo(other);
            set.signal(leader, "CONT");

            Process resumed = set.replicas[leader].process;
            assertThat(resumed.waitFor(30, TimeUnit.SECONDS)).as("the resumed leader stops").isTrue();
            assertThat(resumed.exitValue()).isEqualTo(75);
            assertThat(set.replicas[leader].output()).contains("no longer the leader");
            check(set.replicas[other], 1);
            System.out.printf("replica pause: leader SIGSTOPped, first placement by the other after %d ms; "
                    + "resumed, it stopped with status 75; %d violations%n", tookMillis, violations.size());
        }
        assertThat(violations).isEmpty();
    }

    /**
     * etcd's own leader killed, then (once it is back) one of its followers: both times each replica
     * still places, neither stops, and nothing acknowledged is lost.
     */
    @Test
    void anEtcdMemberLostStopsNeitherReplica() throws Exception {
        try (ReplicaSet set = new ReplicaSet("stevedore-member-loss")) {
            for (boolean itsLeader : new boolean[] {true, false}) {
                int etcdLeader = set.etcd.leaderIndex();
                int member = itsLeader ? etcdLeader : (etcdLeader + 1) % 3;
                set.etcd.kill(member);
                Instant lost = Instant.now();
                List<Long> took = new ArrayList<>();
                for (StevedoreProcess replica : set.replicas) {
                    took.add(firstPlacementAfter(replica, lost));
                    assertThat(replica.process.isAlive()).as("a replica still runs with etcd member m%d lost", member)
                            .isTrue();
                }
                set.etcd.restart(member);
                System.out.printf("etcd member m%d (%s) killed: first placement through each replica after %s ms%n",
                        member, itsLeader ? "etcd's leader" : "a follower", took);
            }
            check(set.replicas[set.leader()], 1);
        }
        assertThat(violations).isEmpty();
    }

    /**
     * Two replicas on a three-member etcd cluster, and {@value #HOSTS} hosts registered through the
     * leader whose agents know both replicas.
     */
    private static final class ReplicaSet extends EtcdReplicas {
        private final List<AgentChannelClient> agents = new ArrayList<>();

        // The agents never go away, so no host is ever declared lost.
        ReplicaSet(String name) throws Exception {
            super(name, PREFIX, List.of("--host-lost-after", "3600"));
            try {
                StevedoreProcess leader = replicas[leader()];
                try (EcsClient ecs = leader.ecs()) {
                    ecs.registerTaskDefinition(b -> b.family(FAMILY).cpu(Integer.toString(TASK_CPU))
                            .memory(Integer.toString(TASK_MEMORY))
                            .containerDefinitions(c -> c.name("app").image("busybox").essential(true)));
                    for (String host : ApiHosts.register(ecs, CLUSTER, HOSTS, HOST_CPU, HOST_MEMORY)) {
                        agents.add(agent(host, ports));
                    }
                }
                ApiHosts.awaitAgentsConnected(leader, CLUSTER, HOSTS, Duration.ofSeconds(60));
            } catch (Exception e) {
                close();
                throw e;
            }
        }

        @Override
        public void close() throws Exception {
            Closeables.closeAll(agents.toArray(AutoCloseable[]::new));
            super.close();
        }
    }

    private RunCall newCall() {
        RunCall call = new RunCall("failover-" + tokens.incrementAndGet(), new AtomicReference<>());
        runs.put(call.token(), call);
        return call;
    }

    /** One RunTask; recorded only once acknowledged. */
    private boolean runOnce(EcsClient ecs, RunCall call) {
        try {
            Map<String, String> answer = new HashMap<>();
            ecs.runTask(call.request()).tasks().forEach(t -> answer.put(t.taskArn(), t.containerInstanceArn()));
            if (answer.isEmpty()) {
                return false; // not placed (no room): nothing to keep
            }
            if (call.placed().compareAndSet(null, answer)) {
                placed.putAll(answer);
            }
            return true;
        } catch (RuntimeException notAcknowledged) {
            return false;
        }
    }

    /** Milliseconds from the kill until the survivor acknowledges a placement (through the new leader: itself). */
    private long firstPlacementAfter(StevedoreProcess survivor, Instant killed) {
        try (EcsClient ecs = survivor.ecs()) {
            while (true) {
                if (runOnce(ecs, newCall())) {
                    return Duration.between(killed, Instant.now()).toMillis();
                }
                if (Duration.between(killed, Instant.now()).toSeconds() > 60) {
                    throw new IllegalStateException("no placement within 60 s of killing the leader");
                }
            }
        }
    }

    private void createService(ReplicaSet set) throws Exception {
        try (EcsClient ecs = set.replicas[set.leader()].ecs()) {
            ecs.createService(b -> b.cluster(CLUSTER).serviceName(SERVICE).taskDefinition(FAMILY).desiredCount(1));
            scales.add(new ScaleCall(1, true));
        }
    }

    /** One UpdateService; recorded, in order, whether acknowledged or not (a call not answered may still have landed). */
    private void scaleOnce(EcsClient ecs, int desiredCount) {
        boolean acknowledged;
        try {
            ecs.updateService(b -> b.cluster(CLUSTER).service(SERVICE).desiredCount(desiredCount));
            acknowledged = true;
        } catch (RuntimeException notAcknowledged) {
            acknowledged = false;
        }
        scales.add(new ScaleCall(desiredCount, acknowledged));
    }

    /**
     * The service holds the desired count last acknowledged (or one sent after it whose answer was lost), and
     * the new leader's scheduler brings the service's tasks to that count: no more, no fewer.
     */
    private void checkService(StevedoreProcess server, int round) {
        List<ScaleCall> sent = List.copyOf(scales);
        int lastAcknowledged = 0;
        for (int i = 0; i < sent.size(); i++) {
            lastAcknowledged = sent.get(i).acknowledged() ? i : lastAcknowledged;
        }
        Set<Integer> allowed = new TreeSet<>();
        allowed.add(sent.get(lastAcknowledged).desiredCount());
        sent.subList(lastAcknowledged + 1, sent.size()).forEach(call -> allowed.add(call.desiredCount()));
        Instant deadline = Instant.now().plusSeconds(30);
        try (EcsClient ecs = server.ecs()) {
            while (true) {
                int desired = ecs.describeServices(b -> b.cluster(CLUSTER).services(SERVICE)).services().getFirst()
                        .desiredCount();
                long holding = ApiHosts.allTasks(ecs, CLUSTER).values().stream()
                        .filter(t -> SERVICE_GROUP.equals(t.group()) && "RUNNING".equals(t.desiredStatus())).count();
                if (allowed.contains(desired) && holding == desired) {
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    violations.add("round " + round + ": the service wants " + desired + " tasks (acknowledged or "
                            + "sent last: " + allowed + ") and has " + holding + " after 30 s");
                    return;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A host's agent that knows both replicas: before each connection it asks DiscoverPollEndpoint
     * (answered by the leader, relayed by a follower) through the agent's own client, which moves to
     * the other replica when one does not accept connections.
     */
    private static AgentChannelClient agent(String host, int[] ports) {
        ChannelClientSettings settings = new ChannelClientSettings(Duration.ofSeconds(20), Duration.ofSeconds(2),
                Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(60));
        AgentCredentials keys = AgentCredentials.of(InProcessStevedore.ACCESS_KEY, InProcessStevedore.SECRET_KEY);
        EcsApiClient api = EcsApiClient.create(ControlPlaneEndpoints.of(List.of(
                        URI.create("http://127.0.0.1:" + ports[0]), URI.create("http://127.0.0.1:" + ports[1]))),
                InProcessStevedore.REGION, keys, Clock.systemUTC());
        return new AgentChannelClient(host, () -> api.discoverPollEndpoint(CLUSTER, host),
                new ChannelUrlSigner(keys, InProcessStevedore.REGION, Duration.ofMinutes(5), Clock.systemUTC()),
                desired -> { }, settings).start();
    }

    /**
     * RunTask calls never acknowledged are sent again with their token (each answers once, whatever
     * happened before the kill), then: every acknowledged task is there on the instance it was
     * answered with; one token, one set of tasks; no instance holds more than it has.
     */
    private void check(StevedoreProcess server, int round) {
        try (EcsClient ecs = server.ecs()) {
            for (RunCall call : runs.values()) {
                if (call.placed().get() == null) {
                    runOnce(ecs, call);
                }
            }
            Map<String, Task> tasks = ApiHosts.allTasks(ecs, CLUSTER);
            placed.forEach((arn, instance) -> {
                Task t = tasks.get(arn);
                if (t == null || !instance.equals(t.containerInstanceArn())) {
                    violations.add("round " + round + ": acknowledged task " + arn + " on " + instance + " is "
                            + (t == null ? "missing" : "on " + t.containerInstanceArn()));
                }
            });
            Map<String, Set<String>> byToken = new HashMap<>();
            tasks.values().stream().filter(t -> !SERVICE_GROUP.equals(t.group()))
                    .forEach(t -> byToken.computeIfAbsent(String.valueOf(t.startedBy()), k -> new TreeSet<>())
                            .add(t.taskArn()));
            byToken.forEach((token, found) -> {
                RunCall call = runs.get(token);
                Map<String, String> answer = call == null ? null : call.placed().get();
                if (call == null || found.size() > 1 || (answer != null && !found.equals(answer.keySet()))) {
                    violations.add("round " + round + ": RunTask " + token + " answered "
                            + (answer == null ? "nothing" : answer.keySet()) + ", the cluster has " + found);
                }
            });
            Map<String, Integer> cpuHeld = new HashMap<>();
            tasks.values().stream().filter(t -> !"STOPPED".equals(t.lastStatus()))
                    .forEach(t -> cpuHeld.merge(t.containerInstanceArn(), Integer.parseInt(t.cpu()), Integer::sum));
            List<String> arns = ecs.listContainerInstances(b -> b.cluster(CLUSTER)).containerInstanceArns();
            for (ContainerInstance i : ecs.describeContainerInstances(b -> b.cluster(CLUSTER).containerInstances(arns))
                    .containerInstances()) {
                int held = cpuHeld.getOrDefault(i.containerInstanceArn(), 0);
                if (held > HOST_CPU) {
                    violations.add("round " + round + ": " + i.containerInstanceArn() + " holds " + held + " CPU of "
                            + HOST_CPU);
                }
            }
        }
    }
}
