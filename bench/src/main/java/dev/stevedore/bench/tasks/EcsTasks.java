package dev.stevedore.bench.tasks;

import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The client's side of a task's life, through the public ECS API only: RunTask, then DescribeTasks
 * on a fixed cadence until the task shows RUNNING, which is all an ECS user (or the AWS CLI's
 * {@code ecs wait tasks-running}) can observe. The cadence is the granularity of "RUNNING seen";
 * the control plane's own {@code startedAt} stamp is kept beside it as the figure without polling.
 */
final class EcsTasks {
    static final String FAMILY = "bench-sleep";

    private final EcsClient ecs;
    private final String cluster;
    private final Duration poll;
    private final Consumer<RunTaskRequest.Builder> launch;

    EcsTasks(EcsClient ecs, String cluster, Duration poll) {
        this(ecs, cluster, poll, b -> { });
    }

    /** @param launch what RunTask says besides cluster, definition and count (launch type, network) */
    EcsTasks(EcsClient ecs, String cluster, Duration poll, Consumer<RunTaskRequest.Builder> launch) {
        this.ecs = ecs;
        this.cluster = cluster;
        this.poll = poll;
        this.launch = launch;
    }

    String cluster() {
        return cluster;
    }

    /** @return the cluster's ARN */
    static String createCluster(EcsClient ecs, String name) {
        return ecs.createCluster(b -> b.clusterName(name)).cluster().clusterArn();
    }

    static void registerTaskDefinition(EcsClient ecs, String image, List<String> command, int memoryMiB) {
        ecs.registerTaskDefinition(b -> b.family(FAMILY).containerDefinitions(ContainerDefinition.builder()
                .name("main").image(image).command(command).memory(memoryMiB).essential(true).build()));
    }

    /** The same container as a Fargate task: awsvpc, with the task's CPU units and memory (MiB). */
    static void registerFargateTaskDefinition(EcsClient ecs, String image, List<String> command, int cpu, int memoryMiB) {
        ecs.registerTaskDefinition(b -> b.family(FAMILY).networkMode(NetworkMode.AWSVPC)
                .requiresCompatibilities(Compatibility.FARGATE).cpu(Integer.toString(cpu)).memory(Integer.toString(memoryMiB))
                .containerDefinitions(ContainerDefinition.builder().name("main").image(image).command(command)
                        .essential(true).build()));
    }

    /** RunTask; every task must be placed, else the run is meaningless and stops. */
    List<String> run(int count) {
        RunTaskResponse r = ecs.runTask(b -> launch.accept(b.cluster(cluster).taskDefinition(FAMILY).count(count)));
        if (!r.failures().isEmpty() || r.tasks().size() != count) {
            throw new IllegalStateException("RunTask placed " + r.tasks().size() + " of " + count + ": " + r.failures());
        }
        return r.tasks().stream().map(Task::taskArn).toList();
    }

    /**
     * When a task was first seen RUNNING: {@code seen} is when the DescribeTasks answer saying so
     * arrived, {@code previousPoll} when the poll before it (which did not say so) was sent;
     * {@code provisioned} when an answer first showed it past PROVISIONING (a Fargate task whose
     * network interface is attached), which may be the same answer.
     */
    record Seen(long seen, long previousPoll, long provisioned, Task task) {
    }

    /** Polls DescribeTasks every {@link #poll} until every task is RUNNING. */
    Map<String, Seen> awaitRunning(List<String> arns, Duration timeout) throws InterruptedException {
        Map<String, Seen> seen = new HashMap<>();
        Map<String, Long> provisioned = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        long next = System.nanoTime();
        long previousPoll = 0;
        while (seen.size() < arns.size()) {
            List<String> pending = arns.stream().filter(a -> !seen.containsKey(a)).toList();
            long sent = WallClock.now();
            List<Task> tasks = describe(pending);
            long answered = WallClock.now();
            for (Task t : tasks) {
                if (!"PROVISIONING".equals(t.lastStatus())) {
                    provisioned.putIfAbsent(t.taskArn(), answered);
                }
                if ("RUNNING".equals(t.lastStatus())) {
                    seen.put(t.taskArn(), new Seen(answered, previousPoll, provisioned.get(t.taskArn()), t));
                } else if ("STOPPED".equals(t.lastStatus())) {
                    throw new IllegalStateException("task " + t.taskArn() + " stopped before running: "
                            + t.stopCode() + " " + t.stoppedReason());
                }
            }
            previousPoll = sent;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException((arns.size() - seen.size()) + " task(s) not RUNNING after " + timeout);
            }
            next += poll.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            } else {
                next = System.nanoTime(); // a slow answer: start the next poll now, do not burst to catch up
            }
        }
        return seen;
    }

    /** Waits (coarsely: this is clean-up, not measurement) until every task is STOPPED. */
    boolean awaitStopped(List<String> arns, Duration timeout) throws InterruptedException {
        Set<String> pending = new HashSet<>(arns);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty()) {
            for (Task t : describe(List.copyOf(pending))) {
                if ("STOPPED".equals(t.lastStatus())) {
                    pending.remove(t.taskArn());
                }
            }
            if (pending.isEmpty()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return true;
    }

    /** DescribeTasks takes at most 100 tasks per call. */
    private List<Task> describe(List<String> arns) {
        List<Task> out = new ArrayList<>();
        for (int i = 0; i < arns.size(); i += 100) {
            List<String> chunk = arns.subList(i, Math.min(arns.size(), i + 100));
            out.addAll(ecs.describeTasks(b -> b.cluster(cluster).tasks(chunk)).tasks());
        }
        return out;
    }

    static long stamp(Instant instant) {
        return instant == null ? 0 : WallClock.of(instant);
    }
}
