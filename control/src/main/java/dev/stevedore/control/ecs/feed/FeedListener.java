package dev.stevedore.control.ecs.feed;

import java.util.List;

/**
 * Receives the feed's changes, in revision order, on the feed's thread: it must not block (hand
 * work to a queue of its own) and must not call back into the feed.
 */
@FunctionalInterface
public interface FeedListener {
    void onEvents(List<FeedEvent> events);
}
