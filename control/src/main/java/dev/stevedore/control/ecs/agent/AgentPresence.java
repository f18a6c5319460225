package dev.stevedore.control.ecs.agent;

import dev.stevedore.control.ecs.agent.AgentStates.InstanceRef;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which channel connection is the current one of each container instance, and the instance's
 * {@code agentConnected} flag that follows from it. This is the only writer of that flag (besides
 * deregistration, which clears it).
 *
 * <p>Every change for one instance happens under that instance's lock, store write included, so
 * that the flag always ends as the last decision: a reconnecting agent's new connection cannot be
 * marked disconnected by its old connection closing late, and the start-up sweep cannot mark an
 * instance disconnected while its agent is connecting. Locks are per instance so that many agents
 * reconnecting at once still commit in parallel.
 *
 * @param <C> the connection type
 */
public final class AgentPresence<C extends AgentPresence.Connection> {

    /** What the presence needs of a connection. */
    public interface Connection {
        /** Whether the connection has begun closing; a closing connection never becomes current. */
        boolean isClosing();
    }

    /** Writes the {@code agentConnected} flag; answers false when the instance does not exist. */
    @FunctionalInterface
    public interface FlagWriter {
        boolean setConnected(InstanceRef ref, boolean connected);
    }

    /** The outcome of {@link #connect}: whether the connection became current, and whom it replaced. */
    public record Join<C>(boolean joined, Optional<C> replaced) {
    }

    private static final class Slot<C> {
        final ReentrantLock lock = new ReentrantLock();
        C current; // guarded by lock
    }

    private final FlagWriter writer;
    // Slots are never removed: one small object per instance that ever connected.
    private final ConcurrentHashMap<String, Slot<C>> slots = new ConcurrentHashMap<>();

    public AgentPresence(FlagWriter writer) {
        this.writer = writer;
    }

    /**
     * Makes {@code connection} the instance's current one and marks the instance connected. The
     * replaced connection, if any, is the caller's to close. Nothing changes when the connection is
     * already closing or the instance no longer exists.
     */
    public Join<C> connect(InstanceRef ref, C connection) {
        Slot<C> slot = slots.computeIfAbsent(ref.arn(), k -> new Slot<>());
        slot.lock.lock();
        try {
            if (connection.isClosing()) {
                return new Join<>(false, Optional.empty());
            }
            if (!writer.setConnected(ref, true)) {
                return new Join<>(false, Optional.empty());
            }
            C replaced = slot.current;
            slot.current = connection;
            return new Join<>(true, Optional.ofNullable(replaced).filter(r -> r != connection));
        } finally {
            slot.lock.unlock();
        }
    }

    /** Marks the instance disconnected if {@code connection} is still its current one. */
    public void disconnect(InstanceRef ref, C connection) {
        Slot<C> slot = slots.get(ref.arn());
        if (slot == null) {
            return;
        }
        slot.lock.lock();
        try {
            if (slot.current == connection) {
                slot.current = null;
                writer.setConnected(ref, false);
            }
        } finally {
            slot.lock.unlock();
        }
    }

    /** The instance's current connection here, if it has one. */
    public Optional<C> current(String instanceArn) {
        Slot<C> slot = slots.get(instanceArn);
        if (slot == null) {
            return Optional.empty();
        }
        slot.lock.lock();
        try {
            return Optional.ofNullable(slot.current);
        } finally {
            slot.lock.unlock();
        }
    }

    /** Whether the instance has a current connection here. */
    public boolean isConnected(String instanceArn) {
        Slot<C> slot = slots.get(instanceArn);
        if (slot == null) {
            return false;
        }
        slot.lock.lock();
        try {
            return slot.current != null;
        } finally {
            slot.lock.unlock();
        }
    }

    /**
     * Marks disconnected each of the given instances that has no current connection here; returns
     * how many it marked.
     */
    public int sweep(Collection<InstanceRef> markedConnected) {
        int marked = 0;
        for (InstanceRef ref : markedConnected) {
            Slot<C> slot = slots.computeIfAbsent(ref.arn(), k -> new Slot<>());
            slot.lock.lock();
            try {
                if (slot.current == null) {
                    writer.setConnected(ref, false);
                    marked++;
                }
            } finally {
                slot.lock.unlock();
            }
        }
        return marked;
    }
}
