package dev.stevedore.control.ecs.service;

import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.ecs.agent.DesiredTaskView;
import dev.stevedore.control.ecs.fargate.PlatformPool;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.store.KeyValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Agents without Docker, for tests of the service scheduler: every few milliseconds they look at
 * the tasks placed in the cluster and report them as an agent would, through the ECS API (RUNNING
 * for a new task, STOPPED for one told to stop), with a behaviour per task definition family:
 * start normally, fail to start, crash a while after starting, or turn unhealthy. Fargate tasks are
 * reported as a platform host's agent reports them: through the platform pool, their interface
 * ATTACHED before they run and DETACHED after they stop.
 *
 * <p>Failures on the agents' thread are collected and rethrown by {@link #close}, so a test cannot
 * pass while its agents broke.
 */
final class FakeAgents implements AutoCloseable {

    /** What a task of a family does once placed. */
    enum Behaviour { RUN, FAIL_TO_START, CRASH_AFTER_START, STAY_PENDING }

    private final EcsHarness ecs;
    private final String cluster;
    private final Map<String, Behaviour> byFamily = new ConcurrentHashMap<>();
    private final Map<String, Instant> crashAt = new ConcurrentHashMap<>();
    /** When each task told to stop is reported STOPPED: its containers take {@link #stopAfter} to stop. */
    private final Map<String, Instant> stopAt = new ConcurrentHashMap<>();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    /** Instances whose agent is gone: their tasks get no reports any more. */
    private final java.util.Set<String> dead = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Duration crashAfter = Duration.ofMillis(150);
    private volatile Duration stopAfter = Duration.ZERO;

    FakeAgents(EcsHarness ecs, String cluster) {
        this.ecs = ecs;
        this.cluster = cluster;
        this.thread = Thread.ofVirtual().name("fake-agents").start(this::loop);
    }

    void behave(String family, Behaviour behaviour) {
        byFamily.put(family, behaviour);
    }

    /** The agent of {@code instanceArn} dies: it stops reporting and is marked disconnected. */
    void kill(String instanceArn) {
        dead.add(instanceArn);
        ecs.api.agentStates().setConnected(
                dev.stevedore.control.ecs.agent.AgentStates.InstanceRef.parse(instanceArn).orElseThrow(), false);
    }

    void crashAfter(Duration d) {
        crashAfter = d;
    }

    /** Tasks told to stop run on this long (a container's stop timeout) before they are reported STOPPED. */
    void stopAfter(Duration d) {
        stopAfter = d;
    }

    private void loop() {
        while (!closed) {
            try {
                step();
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                if (!closed) {
                    failures.add(t);
                }
            }
        }
    }

    private void step() {
        String prefix = "/ecs/" + EcsHarness.ACCOUNT + "/" + EcsHarness.REGION + "/tasks/" + cluster + "/";
        List<KeyValue> kvs = ecs.store.range(prefix);
        Instant now = Instant.now();
        for (KeyValue kv : kvs) {
            // As the agent is told it (a task draining from its target groups is to keep running).
            Task t = DesiredTaskView.toldToAgent(Records.decode(kv.value(), Task.class));
            if ("STOPPED".equals(t.lastStatus()) || dead.contains(t.containerInstanceArn())) {
                continue;
            }
            if (platformStep(t)) {
                continue;
            }
            String family = t.taskDefinitionArn().substring(t.taskDefinitionArn().lastIndexOf('/') + 1).split(":")[0];
            Behaviour b = byFamily.getOrDefault(family, Behaviour.RUN);
            if ("STOPPED".equals(t.desiredStatus())) {
                if (!now.isBefore(stopAt.computeIfAbsent(t.taskArn(), k -> now.plus(stopAfter)))) {
                    report(t, "STOPPED", null);
                }
            } else if ("PENDING".equals(t.lastStatus())) {
                switch (b) {
                    case RUN -> report(t, "RUNNING", null);
                    case FAIL_TO_START -> report(t, "STOPPED", "CannotPullContainerError: pull access denied");
                    case CRASH_AFTER_START -> {
                        report(t, "RUNNING", null);
                        crashAt.put(t.taskArn(), now.plus(crashAfter));
                    }
                    case STAY_PENDING -> {
                    }
                }
            } else if ("RUNNING".equals(t.lastStatus()) && crashAt.containsKey(t.taskArn())
                    && now.isAfter(crashAt.get(t.taskArn()))) {
                crashAt.remove(t.taskArn());
                report(t, "STOPPED", null);
            }
        }
    }

    /** The interface steps of an awsvpc task (Fargate or EC2); true when this step was one of them. */
    private boolean platformStep(Task t) {
        if ("PROVISIONING".equals(t.lastStatus()) || "DEPROVISIONING".equals(t.lastStatus())) {
            String attachment = EcsHarness.arn("attachment/" + t.attachments().getFirst().id());
            String status = "PROVISIONING".equals(t.lastStatus()) ? "ATTACHED" : "DETACHED";
            ecs.call("SubmitAttachmentStateChanges", """
                    {"cluster": "%s", "attachments": [{"attachmentArn": "%s", "status": "%s"}]}"""
                    .formatted(PlatformPool.CLUSTER, attachment, status));
            return true;
        }
        return false;
    }

    private void report(Task t, String status, String reason) {
        // A platform host reports its tasks through the pool, whatever cluster they were run in.
        String reporter = "FARGATE".equals(t.launchType()) ? PlatformPool.CLUSTER : cluster;
        String body = reason == null
                ? "{\"cluster\": \"%s\", \"task\": \"%s\", \"status\": \"%s\"}".formatted(reporter, t.taskArn(), status)
                : "{\"cluster\": \"%s\", \"task\": \"%s\", \"status\": \"%s\", \"reason\": \"%s\"}"
                        .formatted(reporter, t.taskArn(), status, reason);
        ecs.call("SubmitTaskStateChange", body);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("the fake agents failed", failures.peek());
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }
}
