package dev.stevedore.e2e;

import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;

import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Watches a service's rolling update from outside, as often as the API and Docker answer, on
 * threads of its own: how many of its tasks are wanted (desired RUNNING), how many of those are
 * RUNNING, how many deployments the service lists, and how many containers of its family run in
 * Docker. What breaks the deployment configuration is collected there; the test asserts on it
 * after {@link #stop}.
 */
final class RolloutSampler {
    private final ServiceCluster cluster;
    private final String service;
    private final int minRunning;
    private final int maxWanted;
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads;
    private volatile boolean stopping;
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicInteger maxWantedSeen = new AtomicInteger();
    private final AtomicInteger minRunningSeen = new AtomicInteger(Integer.MAX_VALUE);
    private volatile boolean bothRevisionsRunning;

    private RolloutSampler(ServiceCluster cluster, String service, int minRunning, int maxWanted) {
        this.cluster = cluster;
        this.service = service;
        this.minRunning = minRunning;
        this.maxWanted = maxWanted;
        String family = ServiceCluster.family(cluster.service(service).taskDefinition());
        // The API and Docker on threads of their own, so that neither slows the sampling of the other.
        this.threads = List.of(
                Thread.ofPlatform().name("rollout-sampler-api").daemon().unstarted(() -> loop(this::sampleApi)),
                Thread.ofPlatform().name("rollout-sampler-docker").daemon()
                        .unstarted(() -> loop(() -> sampleDocker(family))));
    }

    /**
     * Starts sampling {@code service}, whose tasks are all of one family: never more than
     * {@code maxWanted} tasks wanted, never fewer than {@code minRunning} running.
     */
    static RolloutSampler start(ServiceCluster cluster, String service, int minRunning, int maxWanted) {
        RolloutSampler s = new RolloutSampler(cluster, service, minRunning, maxWanted);
        s.threads.forEach(Thread::start);
        return s;
    }

    private void loop(Runnable sample) {
        while (!stopping) {
            try {
                sample.run();
            } catch (Throwable t) {
                failures.add(t);
                return;
            }
        }
    }

    /** The service's tasks and its own account of its deployments. */
    private void sampleApi() {
        List<Task> wanted = cluster.tasks(service, DesiredStatus.RUNNING);
        List<Task> running = wanted.stream()
                .filter(t -> t.lastStatus().equals("RUNNING") && t.desiredStatus().equals("RUNNING")).toList();
        Service s = cluster.service(service);
        int n = samples.incrementAndGet();
        maxWantedSeen.accumulateAndGet(wanted.size(), Math::max);
        minRunningSeen.accumulateAndGet(running.size(), Math::min);
        if (wanted.size() > maxWanted) {
            violations.add("sample " + n + ": " + wanted.size() + " tasks wanted, more than " + maxWanted + ": "
                    + describe(wanted));
        }
        if (running.size() < minRunning) {
            violations.add("sample " + n + ": " + running.size() + " tasks running, fewer than " + minRunning + ": "
                    + describe(wanted));
        }
        if (s.deployments().size() > 2) {
            violations.add("sample " + n + ": " + s.deployments().size() + " deployments: " + s.deployments());
        }
        Set<String> revisions = running.stream().map(Task::taskDefinitionArn).collect(Collectors.toSet());
        if (revisions.size() > 1) {
            bothRevisionsRunning = true;
        }
    }

    /** The family's containers: stopping ones still run, so there are never fewer than the running tasks. */
    private void sampleDocker(String family) {
        List<Docker.Running> containers = cluster.containers(family);
        if (containers.size() < minRunning) {
            violations.add(containers.size() + " containers running in Docker, fewer than " + minRunning + ": "
                    + containers);
        }
    }

    private static String describe(List<Task> tasks) {
        return tasks.stream().map(t -> ServiceCluster.id(t.taskArn()) + " rev " + ServiceCluster.revision(
                t.taskDefinitionArn()) + " " + t.lastStatus() + "/" + t.desiredStatus()).toList().toString();
    }

    /** Stops sampling; a sample that could not be taken fails the test here. */
    void stop() throws InterruptedException {
        stopping = true;
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("the rollout sampler failed after " + samples + " samples",
                    failures.peek());
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    int samples() {
        return samples.get();
    }

    int maxWanted() {
        return maxWantedSeen.get();
    }

    boolean sawBothRevisionsRunning() {
        return bothRevisionsRunning;
    }

    @Override
    public String toString() {
        return samples + " API samples of " + service + ": at most " + maxWantedSeen + " tasks wanted, at least "
                + minRunningSeen + " running";
    }
}
