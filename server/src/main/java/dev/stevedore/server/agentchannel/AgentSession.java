package dev.stevedore.server.agentchannel;

import dev.stevedore.control.ecs.agent.AgentPresence;
import dev.stevedore.control.ecs.agent.AgentStates.InstanceRef;
import dev.stevedore.control.ecs.agent.DesiredTaskView;
import dev.stevedore.model.agent.ContainerLogsRequest;
import dev.stevedore.model.agent.AgentChannel;
import dev.stevedore.model.agent.AgentMessages;
import dev.stevedore.model.agent.ChannelCodec;
import dev.stevedore.model.agent.DesiredTaskChanges;
import dev.stevedore.model.agent.DesiredTasks;
import dev.stevedore.model.agent.TaskCredentialsRefresh;
import dev.stevedore.model.agent.TaskStatsReport;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One agent's open channel. It owns everything about the connection: the pusher (a virtual thread
 * that alone keeps the instance's {@link DesiredTaskView} and writes desired state to the socket, so pushes leave
 * in the order they were made and a newer revision is never followed by an older one), the reader
 * (a virtual thread that handles what the agent says, one message at a time, in order), and the
 * ping timer on the connection's event loop. The pusher sends the complete state first, then only
 * what changed; the cluster feed hands the view the changes of this instance's tasks and wakes the
 * pusher, and a burst of them collapses into one push.
 */
final class AgentSession implements AgentPresence.Connection {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSession.class);
    private static final Buffer PING = Buffer.buffer("stevedore");
    /** Wakes the reader when the session closes. */
    private static final String WAKE_UP = "";
    /**
     * An agent sends a health report per task change and a stats report per 100 running tasks every
     * few seconds; more than this unread means it misbehaves.
     */
    private static final int INBOX_LIMIT = 1024;
    private static final short INTERNAL_ERROR = 1011;

    private final InstanceRef ref;
    private final ServerWebSocket socket;
    private final Vertx vertx;
    private final ChannelServices services;
    private final Consumer<AgentSession> onEnded;

    private final AtomicBoolean closing = new AtomicBoolean();
    private final Semaphore changes = new Semaphore(0);
    private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>(INBOX_LIMIT);
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final CompletableFuture<Void> joined = new CompletableFuture<>();
    private volatile long lastHeardNanos = System.nanoTime();
    /** The instance's desired tasks; the pusher owns it, the reader only asks what was pushed. */
    /** How often a session looks for task role credentials to refresh (they last hours). */
    static final Duration CREDENTIALS_CHECK = Duration.ofMinutes(1);
    private volatile DesiredTaskView view;
    private volatile long pingTimer = -1;
    private volatile Thread pusher;
    private volatile Thread reader;

    AgentSession(InstanceRef ref, ServerWebSocket socket, Vertx vertx, ChannelServices services,
                 Consumer<AgentSession> onEnded) {
        this.ref = ref;
        this.socket = socket;
        this.vertx = vertx;
        this.services = services;
        this.onEnded = onEnded;
    }

    InstanceRef instance() {
        return ref;
    }

    /** Completes once the agent was sent its complete state, or the session ended before that. */
    CompletableFuture<Void> joined() {
        return joined;
    }

    /** Starts the session; call on the socket's event loop right after the handshake was accepted. */
    void start() {
        socket.textMessageHandler(this::onText);
        socket.pongHandler(b -> heard());
        socket.closeHandler(v -> close(AgentMessages.CLOSE_GOING_AWAY, "closed"));
        socket.exceptionHandler(e -> LOG.debug("agent channel of {} failed: {}", ref.arn(), e.toString()));
        pingTimer = vertx.setPeriodic(services.settings().pingInterval().toMillis(), id -> pingOrGiveUp());
        // close() sets the flag before it cancels the timer: one of the two sees the other.
        if (closing.get()) {
            vertx.cancelTimer(pingTimer);
        }
        pusher = Thread.ofVirtual().name("agent-channel-push " + ref.id()).start(this::push);
        reader = Thread.ofVirtual().name("agent-channel-read " + ref.id()).start(this::read);
    }

    @Override
    public boolean isClosing() {
        return closing.get();
    }

    /**
     * Closes the connection (if still open), stops the pusher and reader, and marks the instance
     * disconnected unless a newer connection has taken its place. Idempotent and callable from any
     * thread; the presence write happens off the caller's thread, so the event loop never blocks.
     *
     * @return completes once the instance's presence is settled and the threads have ended
     */
    CompletableFuture<Void> close(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            vertx.cancelTimer(pingTimer);
            if (!socket.isClosed()) {
                socket.close((short) code, reason);
            }
            changes.release();
            inbox.clear();
            inbox.offer(WAKE_UP);
            Thread.ofVirtual().name("agent-channel-close " + ref.id()).start(this::finish);
        }
        return ended;
    }

    private void finish() {
        try {
            join(pusher);
            join(reader);
            services.presence().disconnect(ref, this);
            LOG.info("agent of {} disconnected", ref.arn());
        } catch (RuntimeException e) {
            LOG.warn("could not mark {} disconnected: {}", ref.arn(), e.toString());
        } finally {
            ended.complete(null);
            onEnded.accept(this);
        }
    }

    // ---- server → agent -----------------------------------------------------------------------

    private void push() {
        DesiredTaskView state = null;
        try {
            AgentPresence.Join<AgentSession> join = services.presence().connect(ref, this);
            if (!join.joined()) {
                close(AgentMessages.CLOSE_GOING_AWAY, "container instance is gone");
                return;
            }
            join.replaced().ifPresent(old -> old.close(AgentMessages.CLOSE_SUPERSEDED, "a newer connection took over"));
            LOG.info("agent of {} connected", ref.arn());
            // The feed's thread only wakes the pusher; the pusher folds the changes in.
            state = DesiredTaskView.open(services.feed(), services.states(), ref, services.roleCredentials(),
                    changes::release);
            view = state;
            DesiredTasks complete = state.complete();
            if (!send(services.codec().encode(complete))) {
                return;
            }
            LOG.debug("pushed {} tasks at revision {} to {}", complete.tasks().size(), complete.revision(), ref.arn());
            joined.complete(null);
            pushChanges(state);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closing.get()) {
                // The agent reconnects and gets the full state again; that is the recovery.
                LOG.error("agent channel of {} failed; closing it", ref.arn(), e);
                close(INTERNAL_ERROR, "internal error");
            }
        } finally {
            joined.complete(null);
            if (state != null) {
                state.close();
            }
        }
    }

    /**
     * Until the session closes: sends what the agent has not got yet each time the feed delivers, and
     * at least every {@link #CREDENTIALS_CHECK} looks for task role credentials due for refresh.
     */
    private void pushChanges(DesiredTaskView state) throws InterruptedException {
        Duration coalesce = services.settings().coalesceWindow();
        while (!closing.get()) {
            if (!changes.tryAcquire(CREDENTIALS_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
                if (!sendRefreshedCredentials(state)) {
                    return;
                }
                continue;
            }
            if (!coalesce.isZero()) {
                Thread.sleep(coalesce);
            }
            changes.drainPermits();
            if (closing.get()) {
                return;
            }
            Optional<DesiredTaskChanges> next = state.takeChanges();
            if (next.isPresent()) {
                if (!send(services.codec().encode(next.get()))) {
                    return;
                }
                LOG.debug("pushed {} changed and {} removed tasks at revision {} to {}", next.get().tasks().size(),
                        next.get().removedTaskArns().size(), next.get().revision(), ref.arn());
            }
        }
    }

    private boolean sendRefreshedCredentials(DesiredTaskView state) throws InterruptedException {
        Optional<TaskCredentialsRefresh> refresh = state.refreshCredentials(Instant.now());
        if (refresh.isEmpty()) {
            return true;
        }
        LOG.debug("refreshing the role credentials of {} tasks on {}", refresh.get().tasks().size(), ref.arn());
        return send(services.codec().encode(refresh.get()));
    }

    /** Writes one message and waits until it is on the wire; false (session closing) if that fails. */
    private boolean send(String json) throws InterruptedException {
        Duration limit = services.settings().unresponsiveAfter();
        try {
            socket.writeTextMessage(json).toCompletionStage().toCompletableFuture()
                    .get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            close(AgentMessages.CLOSE_GOING_AWAY, "write failed");
            return false;
        } catch (TimeoutException e) {
            close(AgentMessages.CLOSE_UNRESPONSIVE, "not reading");
            return false;
        }
        return true;
    }

    /**
     * Sends a request for a container's lines beside the pusher's messages (a request is no desired
     * state, so it needs no place in their order); false if the session is closing or the write failed.
     */
    boolean ask(ContainerLogsRequest request) throws InterruptedException {
        if (closing.get()) {
            return false;
        }
        return send(services.codec().encode(request));
    }

    // ---- liveness ----------------------------------------------------------------------------

    private void heard() {
        lastHeardNanos = System.nanoTime();
    }

    private void pingOrGiveUp() {
        if (closing.get()) {
            return;
        }
        long silentNanos = System.nanoTime() - lastHeardNanos;
        if (silentNanos > services.settings().unresponsiveAfter().toNanos()) {
            LOG.info("agent of {} silent for {} ms; closing its channel", ref.arn(),
                    TimeUnit.NANOSECONDS.toMillis(silentNanos));
            close(AgentMessages.CLOSE_UNRESPONSIVE, "no answer to pings");
            return;
        }
        socket.writePing(PING);
    }

    // ---- agent → server -----------------------------------------------------------------------

    private void onText(String text) {
        heard();
        if (closing.get()) {
            return;
        }
        if (!inbox.offer(text)) {
            close(AgentMessages.CLOSE_BAD_MESSAGE, "too many unread messages");
        }
    }

    private void read() {
        try {
            while (true) {
                String message = inbox.take();
                if (closing.get()) {
                    return;
                }
                handle(message);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(String message) {
        switch (services.codec().decode(message)) {
            case ChannelCodec.Inbound.Health health -> recordHealth(health);
            case ChannelCodec.Inbound.Stats stats -> recordStats(stats.report());
            case ChannelCodec.Inbound.LogsReply r -> {
                if (!services.logRequests().answered(ref.arn(), r.reply())) {
                    LOG.debug("ignoring container logs from {} that answer no request sent to it", ref.arn());
                }
            }
            case ChannelCodec.Inbound.LogsRequest r -> LOG.debug("ignoring a log request sent by the agent of {}", ref.arn());
            case ChannelCodec.Inbound.Desired d -> LOG.debug("ignoring desired tasks sent by the agent of {}", ref.arn());
            case ChannelCodec.Inbound.Credentials c -> LOG.debug("ignoring credentials sent by the agent of {}", ref.arn());
            case ChannelCodec.Inbound.Changes c -> LOG.debug("ignoring task changes sent by the agent of {}", ref.arn());
            case ChannelCodec.Inbound.UnsupportedVersion v -> close(AgentMessages.CLOSE_UNSUPPORTED_VERSION,
                    "this server speaks protocol version " + AgentChannel.PROTOCOL_VERSION + ", not " + v.version());
            case ChannelCodec.Inbound.Ignored ignored ->
                    LOG.debug("ignoring a '{}' message from {}", ignored.type(), ref.arn());
            case ChannelCodec.Inbound.Malformed bad -> {
                LOG.warn("unreadable message from the agent of {}: {}", ref.arn(), bad.reason());
                close(AgentMessages.CLOSE_BAD_MESSAGE, "unreadable message");
            }
        }
    }

    private void recordHealth(ChannelCodec.Inbound.Health health) {
        DesiredTaskView pushed = view;
        if (pushed == null) {
            return;
        }
        String taskArn = health.report().taskArn();
        try {
            if (!services.health().record(ref, pushed.pushed(taskArn), health.report())) {
                LOG.debug("ignoring health of {}, not a task of {}", taskArn, ref.arn());
            }
        } catch (RuntimeException e) {
            // Health is advisory and the agent reports it again after its next change or reconnect.
            LOG.warn("could not record the health of {}: {}", taskArn, e.toString());
        }
    }

    private void recordStats(TaskStatsReport report) {
        DesiredTaskView pushed = view;
        if (pushed == null) {
            return;
        }
        for (TaskStatsReport.TaskUsage usage : report.tasks()) {
            try {
                if (!services.stats().record(ref, pushed.pushed(usage.taskArn()), usage)) {
                    LOG.debug("ignoring stats of {}, not a running task of {}", usage.taskArn(), ref.arn());
                }
            } catch (RuntimeException e) {
                // Stats are a stream: the next report comes an interval later.
                LOG.warn("could not keep the stats of {}: {}", usage.taskArn(), e.toString());
            }
        }
    }

    private static void join(Thread thread) {
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
