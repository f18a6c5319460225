package dev.stevedore.store;

/**
 * A running subscription to the changes under a prefix. Closing it stops delivery: when
 * {@link #close()} returns, the listener is not running and will not be called again (a call in
 * progress on another thread is waited for, so do not close a watch while holding something its
 * listener needs). Closing from inside the listener is allowed. Idempotent.
 */
public interface Watch extends AutoCloseable {
    /**
     * The revision through which every change under the prefix has been handed to the listener
     * and the listener has returned (revisions with no change under the prefix count as dealt
     * with): a reader that has seen a store revision can wait for the watch to pass it.
     */
    long deliveredThrough();

    @Override
    void close();
}
