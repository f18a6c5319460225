package dev.stevedore.server.agentchannel;

import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.Authorizer;
import dev.stevedore.awsproto.AwsRegions;
import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.SigV4Verifier;
import dev.stevedore.control.ecs.EcsApi;
import dev.stevedore.control.ecs.agent.TaskRoleCredentials;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.agent.AgentPresence;
import dev.stevedore.control.ecs.agent.HealthReports;
import dev.stevedore.control.ecs.agent.AgentStates.InstanceRef;
import dev.stevedore.model.agent.ContainerLogsReply;
import dev.stevedore.model.agent.ContainerLogsRequest;
import dev.stevedore.model.agent.AgentMessages;
import dev.stevedore.model.agent.ChannelCodec;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The control plane's end of the agent channel: a WebSocket endpoint at
 * {@link dev.stevedore.model.agent.AgentChannel#PATH} on the API listener. Each agent connects with a
 * SigV4-presigned URL naming its container instance; the handshake is checked (off the event loop)
 * before the connection is upgraded, and each accepted connection becomes an {@link AgentSession}
 * that pushes the instance's complete desired tasks on connect and after every change to them.
 *
 * <p>Presence: an instance is {@code agentConnected} while it has a session here. Because a server
 * killed with {@code kill -9} cannot clear the flag, a sweep after start-up (once the grace period
 * has let agents reconnect) clears it on every instance that still has no session.
 */
public final class AgentChannelServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentChannelServer.class);
    private static final long SHUTDOWN_WAIT_SECONDS = 10;
    /** The channel's messages in the ECS API's JSON conventions, so a task reads as in DescribeTasks. */
    static final ChannelCodec CODEC = new ChannelCodec(AwsJson.mapper());

    private final ChannelAuthenticator authenticator;
    private final ChannelServices services;
    private final Set<AgentSession> sessions = ConcurrentHashMap.newKeySet();
    /**
     * Permits for agents joining at once ({@link AgentChannelSettings#maxJoining()}). Without a bound,
     * ten thousand agents dialling together after a restart each got a thread and a share of the
     * machine, every join slowed past the agents' connect timeout, and the abandoned joins were redone
     * on the next dial.
     */
    private final Semaphore joining;
    private final java.util.concurrent.atomic.LongAdder refusedJoins = new java.util.concurrent.atomic.LongAdder();
    private volatile boolean closed;
    private volatile Thread sweeper;

    /**
     * @param authorizer      judges whether the signer may hold the channel ({@code ecs:Poll})
     * @param roleCredentials mints the role credentials of the tasks agents are told to run
     */
    public AgentChannelServer(EcsApi ecs, SigV4Verifier verifier, Authorizer authorizer, AwsRegions regions,
                              AgentChannelSettings settings, TaskRoleCredentials roleCredentials) {
        this.authenticator = new ChannelAuthenticator(verifier, authorizer, regions, ecs.agentStates());
        this.joining = new Semaphore(settings.maxJoining());
        this.services = new ChannelServices(ecs.clusterFeed(), ecs.agentStates(), new HealthReports(ecs.taskStateChanges()),
                ecs.taskStats(),
                new AgentPresence<>(ecs.agentStates()::setConnected), settings, CODEC, roleCredentials,
                new LogRequests());
    }

    /** The listener's WebSocket handshake handler (see {@link dev.stevedore.server.HttpEdge.Upgrades}). */
    public Handler<ServerWebSocketHandshake> handshakes(Vertx vertx) {
        return handshake -> onHandshake(vertx, handshake);
    }

    /**
     * Schedules the one-time presence sweep for the instances of every one of {@code scopes}, after
     * the grace period. Call once the listener accepts connections.
     */
    public void startPresenceSweep(List<EcsScope> scopes) {
        long graceMillis = services.settings().presenceGrace().toMillis();
        sweeper = Thread.ofVirtual().name("agent-presence-sweep").start(() -> {
            try {
                Thread.sleep(graceMillis);
                int marked = 0;
                for (EcsScope scope : scopes) {
                    marked += sweep(scope);
                }
                if (marked > 0) {
                    LOG.info("{} container instance(s) whose agents did not reconnect are now marked disconnected", marked);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.error("presence sweep failed", e);
                }
            }
        });
    }

    /** Marks disconnected every instance of {@code scope} flagged connected that has no session here. */
    int sweep(EcsScope scope) {
        return services.presence().sweep(services.states().flaggedConnected(scope));
    }

    /**
     * A container's lines from the agent of the instance its task runs on, asked over the instance's
     * current channel (see {@link ContainerLogsRequest}). Never throws: a reply that says why not when the
     * agent is not connected here, does not answer within {@code timeout} (an agent older than the request
     * ignores it), or the server is closing.
     */
    public ContainerLogsReply containerLogs(String containerInstanceArn, ContainerLogsRequest request,
                                            Duration timeout) throws InterruptedException {
        Optional<AgentSession> session = services.presence().current(containerInstanceArn);
        if (closed || session.isEmpty()) {
            return ContainerLogsReply.failed(request.requestId(), "The agent of container instance "
                    + containerInstanceArn + " is not connected to this server.");
        }
        CompletableFuture<ContainerLogsReply> reply = services.logRequests().open(request.requestId(),
                containerInstanceArn);
        try {
            if (!session.get().ask(request)) {
                return ContainerLogsReply.failed(request.requestId(), "The agent's channel closed.");
            }
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return ContainerLogsReply.failed(request.requestId(), "The agent did not answer within "
                    + timeout.toMillis() + " ms.");
        } catch (ExecutionException e) {
            return ContainerLogsReply.failed(request.requestId(), "The request failed: " + e.getCause());
        } finally {
            services.logRequests().forget(request.requestId());
        }
    }

    /** Whether the instance's agent has an open channel to this server. */
    public boolean isConnected(String containerInstanceArn) {
        return services.presence().isConnected(containerInstanceArn);
    }

    /**
     * Ends the sessions of every instance not in {@code keep} (their instances are gone): their
     * agents are refused when they come back, as agents of deregistered instances are.
     */
    public void closeSessionsExcept(Set<String> keep) {
        for (AgentSession session : List.copyOf(sessions)) {
            if (!keep.contains(session.instance().arn())) {
                session.close(AgentMessages.CLOSE_GOING_AWAY, "container instance is gone");
            }
        }
    }

    /** Sessions open or still closing; a session leaves once its instance's presence is settled. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Handshakes refused because as many agents as allowed were joining already. */
    public long refusedJoins() {
        return refusedJoins.sum();
    }

    private void onHandshake(Vertx vertx, ServerWebSocketHandshake handshake) {
        if (!joining.tryAcquire()) {
            refusedJoins.increment();
            LOG.debug("refused agent channel from {}: {} agents joining already", handshake.remoteAddress(),
                    services.settings().maxJoining());
            handshake.reject(503);
            return;
        }
        Context context = vertx.getOrCreateContext();
        HttpRequest request = toRequest(handshake);
        Thread.ofVirtual().name("agent-channel-handshake").start(() -> {
            Admission admission = admit(request);
            context.runOnContext(v -> answer(vertx, handshake, admission));
        });
    }

    private Admission admit(HttpRequest request) {
        if (closed) {
            return new Admission.Refused(503, "server is shutting down");
        }
        try {
            return authenticator.admit(request);
        } catch (RuntimeException e) {
            LOG.error("agent channel handshake failed", e);
            return new Admission.Refused(500, "internal error");
        }
    }

    private void answer(Vertx vertx, ServerWebSocketHandshake handshake, Admission admission) {
        switch (admission) {
            case Admission.Refused refused -> {
                joining.release();
                LOG.info("refused agent channel from {}: {} {}", handshake.remoteAddress(), refused.status(),
                        refused.reason());
                handshake.reject(refused.status());
            }
            case Admission.Admitted admitted -> handshake.accept()
                    .onSuccess(socket -> open(vertx, socket, admitted.instance()))
                    .onFailure(e -> {
                        joining.release();
                        LOG.debug("agent channel handshake of {} failed: {}", admitted.instance().arn(), e.toString());
                    });
        }
    }

    private void open(Vertx vertx, ServerWebSocket socket, InstanceRef instance) {
        AgentSession session = new AgentSession(instance, socket, vertx, services, sessions::remove);
        session.joined().whenComplete((v, e) -> joining.release());
        // Added before it starts, so that its end (which removes it) cannot come first.
        sessions.add(session);
        session.start();
        if (closed) {
            session.close(AgentMessages.CLOSE_GOING_AWAY, "server is shutting down");
        }
    }

    private static HttpRequest toRequest(ServerWebSocketHandshake handshake) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        handshake.headers().forEach(e -> headers.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        if (handshake.headers().get("Host") == null && handshake.authority() != null) {
            headers.put("host", List.of(handshake.authority().toString()));
        }
        String query = Optional.ofNullable(handshake.query()).orElse("");
        return new HttpRequest("GET", handshake.path(), query, Headers.of(headers), new byte[0]);
    }

    /**
     * Closes every session ("going away", so agents reconnect to the next server) and marks their
     * instances disconnected; returns when that is done or after a bounded wait. Call before the
     * listener and the store close.
     */
    @Override
    public void close() {
        closed = true;
        Thread sweep = sweeper;
        if (sweep != null) {
            sweep.interrupt();
        }
        List<CompletableFuture<Void>> ending = new ArrayList<>();
        for (AgentSession session : List.copyOf(sessions)) {
            ending.add(session.close(AgentMessages.CLOSE_GOING_AWAY, "server is shutting down"));
        }
        try {
            CompletableFuture.allOf(ending.toArray(CompletableFuture[]::new))
                    .get(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            if (sweep != null) {
                sweep.join(TimeUnit.SECONDS.toMillis(SHUTDOWN_WAIT_SECONDS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.warn("agent channels did not all close in time: {}", e.toString());
        }
    }
}
