package dev.stevedore.lb;

import dev.stevedore.lb.config.Listener;
import dev.stevedore.lb.config.ProxyConfig;
import dev.stevedore.lb.config.Target;
import dev.stevedore.lb.config.TargetGroup;
import dev.stevedore.lb.health.HealthChecker;
import dev.stevedore.lb.health.TargetState;
import dev.stevedore.lb.proxy.BackendPool;
import dev.stevedore.lb.proxy.GroupRoute;
import dev.stevedore.lb.proxy.ListenerChannels;
import dev.stevedore.lb.proxy.ProxyContext;
import dev.stevedore.lb.proxy.Routing;
import dev.stevedore.lb.proxy.Transport;
import dev.stevedore.lb.route.RouteTable;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load balancer's HTTP data plane: listeners, rules, target groups, health checks, all from one
 * {@link ProxyConfig} at a time. {@link #apply} builds a complete routing snapshot and swaps it in at once;
 * listeners whose address and port stay keep their socket and their connections.
 */
public final class DataPlane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);

    /** @param workers event loops serving connections (each with its own backend pool in PER_EVENT_LOOP mode) */
    public record Options(int workers, BackendPool.Mode poolMode) {
        public static Options defaults() {
            return new Options(Runtime.getRuntime().availableProcessors(), BackendPool.Mode.PER_EVENT_LOOP);
        }
    }

    private record TargetKey(String groupId, String host, int port) {
    }

    private final Transport transport = Transport.best();
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final EventLoopGroup checkers;
    private final ProxyContext proxy;
    private final ListenerChannels listeners;
    private final HealthChecker healthChecker;
    private final Map<TargetKey, TargetState> targets = new HashMap<>();
    private ProxyConfig current = ProxyConfig.empty();

    public DataPlane(Options options) {
        acceptors = transport.group(1);
        workers = transport.group(options.workers());
        checkers = transport.group(1);
        proxy = new ProxyContext(BackendPool.of(options.poolMode()), transport);
        listeners = new ListenerChannels(acceptors, workers, transport, proxy);
        healthChecker = new HealthChecker(checkers, transport.channel());
        LOG.info("load balancer data plane on {} with {} event loops, {} backend pool", transport.name(),
                options.workers(), options.poolMode());
    }

    public DataPlane() {
        this(Options.defaults());
    }

    /**
     * Makes the configuration the one served. New listeners are bound first (a failure to bind leaves the old
     * configuration in place, and is thrown), then the snapshot is swapped, then listeners no longer wanted
     * are closed.
     */
    public synchronized void apply(ProxyConfig config) {
        List<String> newlyBound = new ArrayList<>();
        try {
            for (Listener listener : config.listeners()) {
                String endpoint = Routing.endpoint(listener.address(), listener.port());
                if (!listeners.isBound(endpoint)) {
                    listeners.bind(listener.address(), listener.port());
                    newlyBound.add(endpoint);
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            newlyBound.forEach(listeners::unbind);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot bind a listener: " + e.getMessage(), e);
        }
        Map<String, RouteTable> tables = new HashMap<>();
        Map<String, Long> idleTimeouts = new HashMap<>();
        Set<String> endpoints = new LinkedHashSet<>();
        for (Listener listener : config.listeners()) {
            String endpoint = Routing.endpoint(listener.address(), listener.port());
            tables.put(endpoint, new RouteTable(listener));
            idleTimeouts.put(endpoint, listener.idleTimeout().toNanos());
            endpoints.add(endpoint);
        }
        Map<String, GroupRoute> groups = new HashMap<>();
        Map<TargetKey, TargetState> kept = new HashMap<>();
        List<HealthChecker.Watch> watches = new ArrayList<>();
        for (TargetGroup group : config.targetGroups().values()) {
            List<TargetState> states = new ArrayList<>();
            for (Target target : group.targets()) {
                TargetKey key = new TargetKey(group.id(), target.host(), target.port());
                TargetState state = targets.get(key);
                if (state == null) {
                    state = new TargetState(group.id(), target.host(), target.port(), group.healthCheck().enabled());
                }
                state.checksEnabled(group.healthCheck().enabled());
                boolean startsDraining = target.draining() && !state.draining();
                state.draining(target.draining());
                if (startsDraining) {
                    endDrainingAfterDelay(state, group);
                }
                kept.put(key, state);
                states.add(state);
                if (group.healthCheck().enabled() && !target.draining()) {
                    watches.add(new HealthChecker.Watch(state, group.healthCheck()));
                }
            }
            states.forEach(state -> state.peers(states));
            groups.put(group.id(), new GroupRoute(group, states));
        }
        proxy.routing(new Routing(Map.copyOf(tables), Map.copyOf(groups), Map.copyOf(idleTimeouts)));
        targets.forEach((key, state) -> {
            if (!kept.containsKey(key)) {
                retireAfterDelay(state, current.targetGroups().get(key.groupId()));
            }
        });
        targets.clear();
        targets.putAll(kept);
        healthChecker.watch(watches);
        listeners.unbindAllBut(endpoints);
        current = config;
    }

    /**
     * Applies {@code config}; when one of its new listeners cannot bind (its port taken), applies it without the
     * listeners that are not bound yet, so that one listener never holds back every other change, and answers
     * why. The left-out listeners are tried again at the next apply.
     */
    public synchronized Optional<String> applyWhatBinds(ProxyConfig config) {
        try {
            apply(config);
            return Optional.empty();
        } catch (IllegalStateException bindFailed) {
            Set<String> bound = new HashSet<>();
            current.listeners().forEach(l -> bound.add(Routing.endpoint(l.address(), l.port())));
            List<Listener> keep = config.listeners().stream()
                    .filter(l -> bound.contains(Routing.endpoint(l.address(), l.port()))).toList();
            apply(new ProxyConfig(keep, config.targetGroups()));
            return Optional.of(bindFailed.getMessage());
        }
    }

    /** The deregistration delay bounds how long the draining target's requests may still run. */
    private void endDrainingAfterDelay(TargetState state, TargetGroup group) {
        int drain = state.drainCount();
        checkers.schedule(() -> {
            // Not if the target was registered again meanwhile (and maybe drained anew, with its own delay).
            if (state.draining() && state.drainCount() == drain) {
                state.closeConnections();
            }
        }, group.deregistrationDelay().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A target removed from the configuration without draining first: what it still serves may finish within
     * its group's deregistration delay; then its connections, idle or not, are closed and forgotten.
     */
    private void retireAfterDelay(TargetState state, TargetGroup group) {
        state.draining(true);
        long delay = group == null ? 0 : group.deregistrationDelay().toMillis();
        checkers.schedule(() -> {
            state.closeConnections();
            proxy.pool().forget(state, workers);
        }, delay, TimeUnit.MILLISECONDS);
    }

    public synchronized ProxyConfig config() {
        return current;
    }

    /** Every registered target's health verdict and requests in flight. */
    public synchronized List<TargetReading> readings() {
        List<TargetReading> readings = new ArrayList<>();
        targets.values().forEach(state -> readings.add(reading(state)));
        return readings;
    }

    public synchronized Optional<TargetReading> reading(String targetGroupId, String host, int port) {
        return Optional.ofNullable(targets.get(new TargetKey(targetGroupId, host, port))).map(DataPlane::reading);
    }

    private static TargetReading reading(TargetState state) {
        TargetState.Health health = state.health();
        return new TargetReading(state.groupId(), state.host(), state.port(), health.verdict().wire(), health.reason(),
                health.description(), state.inFlight(), state.draining());
    }

    public String transportName() {
        return transport.name();
    }

    @Override
    public synchronized void close() {
        healthChecker.close();
        listeners.unbindAllBut(Set.of());
        acceptors.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        checkers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
