package dev.stevedore.server;

import dev.stevedore.awsproto.FaultExplainer;
import dev.stevedore.control.logs.sqlite.LogStoreException;
import dev.stevedore.store.StoreFullException;
import java.util.Optional;

/**
 * The store failures a caller is told about in its 500 (see {@link FaultExplainer}): a full disk
 * under the state store or under the log store, after which the request changed nothing, reads go
 * on, and writes resume by themselves once there is space.
 */
final class StoreFaults implements FaultExplainer {

    static final String OUT_OF_SPACE = "The state store is out of disk space, so this request changed nothing."
            + " Reads still work; writes resume once space is freed on the server's data volume.";
    static final String LOGS_OUT_OF_SPACE = "The log store is out of disk space, so this request changed nothing."
            + " Reads still work; writes resume once space is freed on the server's data volume.";

    @Override
    public Optional<String> explain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StoreFullException) {
                return Optional.of(OUT_OF_SPACE);
            }
            if (t instanceof LogStoreException logs && logs.outOfSpace()) {
                return Optional.of(LOGS_OUT_OF_SPACE);
            }
        }
        return Optional.empty();
    }
}
