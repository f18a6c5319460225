package dev.stevedore.agent.channel;

import dev.stevedore.agent.tls.DeferredTls;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.model.agent.AgentChannel;
import dev.stevedore.model.agent.AgentMessages;
import dev.stevedore.model.agent.ChannelCodec;
import dev.stevedore.model.agent.ContainerLogsReply;
import dev.stevedore.model.agent.ContainerLogsRequest;
import dev.stevedore.model.agent.DesiredTaskChanges;
import dev.stevedore.model.agent.DesiredTasks;
import dev.stevedore.model.agent.TaskCredentialsRefresh;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskHealthReport;
import dev.stevedore.model.agent.TaskStatsReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The agent's end of the agent channel: keeps one WebSocket open to the control plane for its
 * container instance, forever, and hands every {@link DesiredTasks} it receives to the task engine.
 *
 * <p>Each connection starts with DiscoverPollEndpoint (through {@code endpoints}) and a freshly
 * presigned URL. The server sends the complete desired state on connect and then what changes; the
 * client folds the changes into the state, and the engine is always handed a complete state. So a
 * reconnect needs no replay: its first message is the whole truth (level-triggered), and starting
 * from it neither loses nor repeats a start. Changes that do not follow on from the state end the
 * connection, which starts the next one from the whole truth again. A connection that ends, fails to open, or on which the
 * server falls silent is replaced after an exponential back-off with jitter.
 *
 * <p>Desired states are applied on a thread of their own with only the newest kept, so a slow
 * engine never stalls the socket (and its pings). Health reports go the other way; the newest per
 * task is kept and sent again after every reconnect, so the control plane's view heals. Task stats
 * go that way too, but only while connected.
 */
public final class AgentChannelClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentChannelClient.class);
    private static final Duration RETRY_APPLY_AFTER = Duration.ofSeconds(1);
    static final int LOG_READS = 8;
    /** The channel's messages in the ECS API's JSON conventions, as the control plane writes them. */
    static final ChannelCodec CODEC = new ChannelCodec(AwsJson.mapper());

    private final String containerInstanceArn;
    private final Supplier<URI> endpoints;
    private final ChannelUrlSigner signer;
    private final ChannelClientSettings settings;
    private final LatestValueDelivery<DesiredTasks> delivery;
    private final HttpClient http;
    private final Map<String, TaskHealthReport> health = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final ReentrantLock sleepLock = new ReentrantLock();
    private final Condition wake = sleepLock.newCondition();
    private volatile boolean closed;
    private final Consumer<TaskCredentialsRefresh> credentials;
    private final Function<ContainerLogsRequest, ContainerLogsReply> logs;
    /** Log requests answered at once: each is one engine call; more than this are refused until one ends. */
    private final Semaphore logReads = new Semaphore(LOG_READS);
    private volatile ChannelConnection current;
    private volatile Thread loop;

    /**
     * @param endpoints the channel endpoint, asked before every connection (DiscoverPollEndpoint); may throw
     * @param consumer  receives each desired state (the task engine's {@code apply})
     */
    public AgentChannelClient(String containerInstanceArn, Supplier<URI> endpoints, ChannelUrlSigner signer,
                              Consumer<DesiredTasks> consumer, ChannelClientSettings settings) {
        this(containerInstanceArn, endpoints, signer, consumer, refresh -> { }, settings);
    }

    /** @param credentials receives the control plane's credential refreshes for running tasks */
    public AgentChannelClient(String containerInstanceArn, Supplier<URI> endpoints, ChannelUrlSigner signer,
                              Consumer<DesiredTasks> consumer, Consumer<TaskCredentialsRefresh> credentials,
                              ChannelClientSettings settings) {
        this(containerInstanceArn, endpoints, signer, consumer, credentials,
                request -> ContainerLogsReply.failed(request.requestId(), "This agent reads no container logs."),
                settings);
    }

    /** @param logs answers the control plane's requests for a container's lines (off the socket's thread) */
    public AgentChannelClient(String containerInstanceArn, Supplier<URI> endpoints, ChannelUrlSigner signer,
                              Consumer<DesiredTasks> consumer, Consumer<TaskCredentialsRefresh> credentials,
                              Function<ContainerLogsRequest, ContainerLogsReply> logs, ChannelClientSettings settings) {
        this.containerInstanceArn = containerInstanceArn;
        this.credentials = credentials;
        this.logs = logs;
        this.endpoints = endpoints;
        this.signer = signer;
        this.settings = settings;
        this.delivery = new LatestValueDelivery<>("agent-channel-apply", consumer, RETRY_APPLY_AFTER);
        // Virtual threads run the socket's callbacks rather than the JDK's pool of platform threads.
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .sslContext(DeferredTls.context()).sslParameters(DeferredTls.parameters()).build();
    }

    /** Starts connecting in the background; returns at once. */
    public AgentChannelClient start() {
        loop = Thread.ofVirtual().name("agent-channel").start(this::run);
        return this;
    }

    /** Whether a connection is open now. */
    public boolean isConnected() {
        ChannelConnection c = current;
        return c != null && c.isOpen();
    }

    /** How many connections were opened so far. */
    public int connectionCount() {
        return connections.get();
    }

    /** Tells the control plane a task's health now, if connected, and again after every reconnect. */
    public void report(TaskHealthReport report) {
        health.put(report.taskArn(), report);
        ChannelConnection c = current;
        if (c != null && !c.send(CODEC.encode(report))) {
            LOG.debug("health of {} not sent now; it goes with the next connection", report.taskArn());
        }
    }

    /**
     * Tells the control plane running tasks' use, if connected; dropped otherwise (stats are a
     * stream: the next report comes an interval later, a stale one is worth nothing).
     */
    public void report(TaskStatsReport report) {
        ChannelConnection c = current;
        if (c != null) {
            c.send(CODEC.encode(report));
        }
    }

    private void run() {
        Backoff backoff = new Backoff(settings.backoffInitial(), settings.backoffMax(), new java.util.Random());
        while (!closed) {
            try {
                if (connectOnce()) {
                    backoff.reset();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ChannelRefusedException e) {
                LOG.warn("{}", e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("agent channel: {}", e.getMessage());
                LOG.debug("agent channel failure", e);
            }
            if (!closed) {
                pause(backoff.next());
            }
        }
    }

    /** One connection, from discovery to its end; true if it got as far as receiving a state. */
    private boolean connectOnce() throws InterruptedException {
        URI endpoint = endpoints.get();
        URI url = signer.sign(endpoint, containerInstanceArn);
        MessageHandler handler = new MessageHandler();
        ChannelConnection connection = ChannelConnection.open(http, url, settings.connectTimeout(), handler);
        connections.incrementAndGet();
        current = connection;
        try {
            if (closed) {
                connection.close(AgentMessages.CLOSE_GOING_AWAY, "agent stopping");
                return false;
            }
            LOG.info("agent channel connected to {} for {}", endpoint, containerInstanceArn);
            for (TaskHealthReport report : health.values()) {
                connection.send(CODEC.encode(report));
            }
            String why = connection.awaitEnd(settings.idleTimeout());
            if (!closed) {
                LOG.info("agent channel ended ({}); reconnecting", why);
            }
            return handler.received;
        } finally {
            handler.retired = true;
            current = null;
            connection.abort();
        }
    }

    /**
     * Handles one connection's messages; the JDK calls it for one message at a time. It rebuilds the
     * complete state from the connection's first message and the changes after it, so the engine
     * is always handed a whole state.
     */
    private final class MessageHandler implements java.util.function.BiConsumer<ChannelConnection, String> {
        /** The state this connection has built so far; empty until its complete state arrived. */
        private Optional<DesiredTasks> state = Optional.empty();
        /** Whether a state came, that is, the server accepted the agent. */
        private volatile boolean received;
        /**
         * Set once the connection is given up. On a loaded host the JDK may still hand over a
         * message it read before, after a newer connection's; that one is stale and dropped.
         */
        private volatile boolean retired;

        @Override
        public void accept(ChannelConnection connection, String text) {
            if (retired) {
                return;
            }
            switch (CODEC.decode(text)) {
                case ChannelCodec.Inbound.Desired d -> complete(d.desired());
                case ChannelCodec.Inbound.Changes c -> changes(connection, c.changes());
                case ChannelCodec.Inbound.Credentials c -> credentials.accept(c.refresh());
                case ChannelCodec.Inbound.Health h ->
                        LOG.debug("ignoring a health report from the control plane, which has none to give");
                case ChannelCodec.Inbound.Stats s ->
                        LOG.debug("ignoring task stats from the control plane, which has none to give");
                case ChannelCodec.Inbound.LogsRequest r -> answerLogs(connection, r.request());
                case ChannelCodec.Inbound.LogsReply r ->
                        LOG.debug("ignoring container logs from the control plane, which has none to give");
                case ChannelCodec.Inbound.UnsupportedVersion v -> {
                    LOG.error("the control plane speaks agent channel protocol {}, this agent speaks {}: upgrade the agent",
                            v.version(), AgentChannel.PROTOCOL_VERSION);
                    connection.close(AgentMessages.CLOSE_UNSUPPORTED_VERSION, "agent speaks protocol "
                            + AgentChannel.PROTOCOL_VERSION);
                }
                case ChannelCodec.Inbound.Ignored ignored ->
                        LOG.debug("ignoring a '{}' message from the control plane", ignored.type());
                case ChannelCodec.Inbound.Malformed bad -> {
                    LOG.warn("unreadable message from the control plane: {}", bad.reason());
                    connection.close(AgentMessages.CLOSE_BAD_MESSAGE, "unreadable message");
                }
            }
        }

        /** Reads on a thread of its own: an engine call must not hold up the connection's next message. */
        private void answerLogs(ChannelConnection connection, ContainerLogsRequest request) {
            if (!logReads.tryAcquire()) {
                connection.send(CODEC.encode(ContainerLogsReply.failed(request.requestId(),
                        "The agent is reading " + LOG_READS + " containers' logs already; ask again.")));
                return;
            }
            Thread.ofVirtual().name("agent-channel-logs").start(() -> {
                try {
                    ContainerLogsReply reply;
                    try {
                        reply = logs.apply(request);
                    } catch (RuntimeException e) {
                        LOG.warn("reading the logs of {} of {} failed", request.containerName(), request.taskArn(), e);
                        reply = ContainerLogsReply.failed(request.requestId(), "The agent could not read them: " + e);
                    }
                    connection.send(CODEC.encode(reply));
                } finally {
                    logReads.release();
                }
            });
        }

        private void complete(DesiredTasks desired) {
            if (!mine(desired.containerInstanceArn())) {
                return;
            }
            // The server never sends an older state after a newer one; this only guards the invariant.
            if (state.isPresent() && desired.revision() < state.get().revision()) {
                return;
            }
            deliver(desired);
        }

        private void changes(ChannelConnection connection, DesiredTaskChanges changes) {
            if (!mine(changes.containerInstanceArn())) {
                return;
            }
            DesiredTasks next;
            try {
                next = state.orElseThrow(() -> new IllegalArgumentException("changes before the complete state"))
                        .apply(changes);
            } catch (IllegalArgumentException e) {
                // Something was missed; a new connection starts from the complete state again.
                LOG.warn("agent channel: {}; reconnecting", e.getMessage());
                connection.close(AgentMessages.CLOSE_BAD_MESSAGE, "changes out of sequence");
                return;
            }
            deliver(next);
        }

        private boolean mine(String instance) {
            if (!containerInstanceArn.equals(instance)) {
                LOG.warn("ignoring desired tasks for {}, this agent is {}", instance, containerInstanceArn);
                return false;
            }
            return true;
        }

        private void deliver(DesiredTasks desired) {
            state = Optional.of(desired);
            received = true;
            Set<String> arns = desired.tasks().stream().map(TaskAssignment::task)
                    .map(task -> task.taskArn()).collect(Collectors.toSet());
            health.keySet().retainAll(arns);
            delivery.offer(desired);
        }
    }

    private void pause(Duration wait) {
        sleepLock.lock();
        try {
            long nanos = wait.toNanos();
            while (!closed && nanos > 0) {
                nanos = wake.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sleepLock.unlock();
        }
    }

    /** Closes the connection ("going away") and stops reconnecting and delivering. */
    @Override
    public void close() {
        closed = true;
        sleepLock.lock();
        try {
            wake.signalAll();
        } finally {
            sleepLock.unlock();
        }
        ChannelConnection c = current;
        if (c != null) {
            // The loop sees the connection end once the server answers the close (or the close times out).
            c.close(AgentMessages.CLOSE_GOING_AWAY, "agent stopping");
        }
        Thread t = loop;
        if (t != null) {
            try {
                if (!t.join(Duration.ofSeconds(5))) {
                    t.interrupt(); // still opening a connection
                    t.join(Duration.ofSeconds(5));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        delivery.close();
        // Not close(): it waits for every exchange to end, and a WebSocket whose closing handshake the
        // server never answered (killed meanwhile) never ends, so close() would hang the agent's stop.
        // The connection has had its chance above; whatever is left is cut.
        http.shutdownNow();
    }
}
