package dev.stevedore.server;

import static dev.stevedore.server.OwnEndpointAnswers.error;
import static dev.stevedore.server.OwnEndpointAnswers.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.HttpResponse;
import dev.stevedore.awsproto.SigV4Exception;
import dev.stevedore.awsproto.SigV4Verifier;
import dev.stevedore.control.ecs.reset.StateReset;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.server.agentchannel.AgentChannelServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.stevedore.control.ecs.fargate.PlatformPool;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The development reset, {@code POST /_stevedore/reset} (only with {@code up --dev}): returns the
 * server to the state it starts in, for test suites that want a clean slate between tests without
 * a restart. The request must be SigV4-signed with the server's keys, which the reset keeps.
 *
 * <p>In order: every service goes (so no controller starts a task again); every task is asked to
 * stop and the reset waits until the agents connected to this server have reported every task on
 * their instances STOPPED, that is, have stopped their containers (the answer comes only then, or
 * an error after {@link #CONVERGE_TIMEOUT}, with nothing deleted); then every key of every Region's
 * ECS state goes. What a fresh start has comes back: the start-up Region's {@code default} cluster,
 * and the container instances of connected agents that were in a {@code default} cluster or were
 * platform (Fargate) hosts, registered
 * as before with nothing on them, so that those agents (the local agent of {@code up}) stay usable.
 * Agents of other clusters are disconnected and refused from then on, as deregistered instances are.
 */
final class DevReset {
    static final String PATH = "/_stevedore/reset";
    static final Duration CONVERGE_TIMEOUT = Duration.ofMinutes(3);
    private static final Logger LOG = LoggerFactory.getLogger(DevReset.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String DEFAULT_CLUSTER = "default";

    private final StateReset reset;
    private final SigV4Verifier verifier;
    private final AgentChannelServer channel;
    /** Makes the start-up Region's {@code default} cluster (and, given a Region, that Region's). */
    private final Consumer<String> createDefaultCluster;
    private final String startRegion;
    private final Duration timeout;
    /** One reset at a time; a second caller waits for the first and then runs its own. */
    private final ReentrantLock running = new ReentrantLock();

    DevReset(StateReset reset, SigV4Verifier verifier, AgentChannelServer channel,
             Consumer<String> createDefaultCluster, String startRegion, Duration timeout) {
        this.reset = reset;
        this.verifier = verifier;
        this.channel = channel;
        this.createDefaultCluster = createDefaultCluster;
        this.startRegion = startRegion;
        this.timeout = timeout;
    }

    boolean accepts(HttpRequest request) {
        return PATH.equals(request.path());
    }

    HttpResponse handle(HttpRequest request) {
        if (!"POST".equals(request.method())) {
            return json(405, error("MethodNotAllowed", "POST " + PATH + " resets the server."));
        }
        try {
            verifier.verify(request);
        } catch (SigV4Exception e) {
            return json(403, error(e.code(), e.getMessage()));
        }
        running.lock();
        try {
            return json(200, run());
        } catch (NotConverged e) {
            return json(504, error("ResetTimeout", e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return json(503, error("ServiceUnavailable", "The server is shutting down."));
        } finally {
            running.unlock();
        }
    }

    private ObjectNode run() throws InterruptedException {
        long started = System.nanoTime();
        int serviceKeys = reset.removeServices();
        int stopped = converge();
        List<ContainerInstance> kept = reset.instances().stream()
                .filter(i -> i.containerInstanceArn().contains(":container-instance/" + DEFAULT_CLUSTER + "/")
                        || i.containerInstanceArn().contains(":container-instance/" + PlatformPool.CLUSTER + "/"))
                .filter(i -> channel.isConnected(i.containerInstanceArn()))
                .toList();
        int deleted = reset.wipe();
        Set<String> keptArns = kept.stream().map(ContainerInstance::containerInstanceArn)
                .collect(Collectors.toCollection(TreeSet::new));
        channel.closeSessionsExcept(keptArns);
        Set<String> regions = new TreeSet<>(List.of(startRegion));
        kept.forEach(i -> regions.add(StateReset.scopeOf(i).region()));
        regions.forEach(createDefaultCluster);
        kept.forEach(reset::restore);
        LOG.info("reset: {} service keys, {} tasks stopped, {} keys deleted, {} container instance(s) kept, in {} ms",
                serviceKeys, stopped, deleted, kept.size(), Duration.ofNanos(System.nanoTime() - started).toMillis());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("stoppedTasks", stopped);
        out.put("deletedKeys", deleted);
        ArrayNode instances = out.putArray("containerInstanceArns");
        keptArns.forEach(instances::add);
        return out;
    }

    /**
     * Asks every task to stop until the agents connected to this server have stopped all of theirs;
     * asks again on each round, because a controller pass that was under way may still start one.
     */
    private int converge() throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int stopped = 0;
        while (true) {
            stopped += reset.stopTasks();
            List<String> running = reset.stillRunning(channel::isConnected);
            if (running.isEmpty()) {
                return stopped;
            }
            if (System.nanoTime() > deadline) {
                throw new NotConverged("The agents did not stop " + running.size() + " task(s) within "
                        + timeout.toSeconds() + " s; nothing was deleted. Still running: " + String.join(", ",
                        running.subList(0, Math.min(10, running.size()))));
            }
            Thread.sleep(POLL);
        }
    }

    private static final class NotConverged extends RuntimeException {
        NotConverged(String message) {
            super(message);
        }
    }
}
