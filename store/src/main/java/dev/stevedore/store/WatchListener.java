package dev.stevedore.store;

import java.util.List;

/**
 * Receives a watch's changes: one call per committed revision, with all of that revision's
 * events under the watched prefix together, in revision order. An exception thrown here is
 * logged and the watch carries on with the next revision.
 */
@FunctionalInterface
public interface WatchListener {
    void onEvents(List<WatchEvent> events);
}
