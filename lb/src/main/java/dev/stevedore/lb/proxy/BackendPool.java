package dev.stevedore.lb.proxy;

import dev.stevedore.lb.health.TargetState;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Idle keep-alive connections to targets. Most recently used first, so that the warm ones are reused and the
 * surplus ages out on the targets' own idle timeouts. See BENCHMARKS.md for per event loop against shared.
 */
public sealed interface BackendPool {

    enum Mode { PER_EVENT_LOOP, SHARED }

    /** An idle open connection to the target, or null. */
    Channel poll(TargetState target);

    void offer(TargetState target, Channel channel);

    /** The target is gone from the configuration: its idle connections are closed and its entries dropped. */
    void forget(TargetState target, Iterable<EventExecutor> loops);

    static BackendPool of(Mode mode) {
        return mode == Mode.PER_EVENT_LOOP ? new PerEventLoop() : new Shared();
    }

    /**
     * One pool per event loop, touched only by its thread: a request's backend connection lives on the same
     * loop as its client connection, so no hand-over between threads and no locks.
     */
    final class PerEventLoop implements BackendPool {
        private final FastThreadLocal<Map<TargetState, Deque<Channel>>> pools = new FastThreadLocal<>() {
            @Override
            protected Map<TargetState, Deque<Channel>> initialValue() {
                return new IdentityHashMap<>();
            }
        };

        @Override
        public Channel poll(TargetState target) {
            Deque<Channel> idle = pools.get().get(target);
            return idle == null ? null : firstOpen(idle);
        }

        @Override
        public void offer(TargetState target, Channel channel) {
            pools.get().computeIfAbsent(target, t -> new ArrayDeque<>()).push(channel);
        }

        @Override
        public void forget(TargetState target, Iterable<EventExecutor> loops) {
            // Each loop's map is its own thread's: the entry is dropped there.
            for (EventExecutor loop : loops) {
                loop.execute(() -> closeAll(pools.get().remove(target)));
            }
        }
    }

    /** One pool for all loops: a connection may serve a client connection of another loop. */
    final class Shared implements BackendPool {
        private final Map<TargetState, Deque<Channel>> pools = new ConcurrentHashMap<>();

        @Override
        public Channel poll(TargetState target) {
            Deque<Channel> idle = pools.get(target);
            return idle == null ? null : firstOpen(idle);
        }

        @Override
        public void offer(TargetState target, Channel channel) {
            pools.computeIfAbsent(target, t -> new ConcurrentLinkedDeque<>()).push(channel);
        }

        @Override
        public void forget(TargetState target, Iterable<EventExecutor> loops) {
            closeAll(pools.remove(target));
        }
    }

    private static void closeAll(Deque<Channel> idle) {
        if (idle != null) {
            idle.forEach(Channel::close);
        }
    }

    private static Channel firstOpen(Deque<Channel> idle) {
        for (Channel channel = idle.poll(); channel != null; channel = idle.poll()) {
            if (channel.isActive()) {
                return channel;
            }
        }
        return null;
    }
}
