package dev.stevedore.agent.runtime;

/**
 * A live feed of {@link ContainerEvent}s from the engine. When the feed breaks (the engine
 * restarted, say) it reconnects by itself and replays what it missed as far as the engine still
 * remembers; the receiver polls container status to cover anything older.
 */
public interface EventSubscription extends AutoCloseable {

    /** Whether the feed is currently connected to the engine. */
    boolean connected();

    /** Stops the feed; no event is delivered after this returns. */
    @Override
    void close();
}
