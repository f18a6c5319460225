package dev.stevedore.control.logs;

import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.awsproto.ServiceSpec;

import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The CloudWatch Logs API (awsJson 1.1): log groups with retention and tags, log streams, and their
 * events, all kept in a {@link LogStore} apart from the control plane's state store. Every operation of
 * the committed spec has its handler.
 */
public final class LogsApi {
    /** The name of the committed shape spec this API speaks. */
    public static final String SPEC_NAME = "logs-2014-03-28";

    private final ServiceSpec spec;
    private final Map<String, JsonOperation> operations;
    private final RetentionSweep retention;

    public LogsApi(LogStore store, Clock clock) {
        this.spec = ServiceSpec.load(SPEC_NAME);
        Map<String, JsonOperation> ops = new TreeMap<>();
        ops.putAll(new LogGroupOperations(store, clock).operations());
        ops.putAll(new LogTags(store).operations());
        ops.putAll(new LogStreamOperations(store, clock).operations());
        ops.putAll(new LogEventWrites(store, clock).operations());
        ops.putAll(new LogEventReads(store, clock).operations());
        ops.putAll(new LogEventFilter(store, clock).operations());
        if (!ops.keySet().equals(new TreeSet<>(spec.operationNames()))) {
            throw new IllegalStateException("the handlers " + ops.keySet() + " are not the operations of " + SPEC_NAME);
        }
        this.operations = Collections.unmodifiableMap(ops);
        this.retention = new RetentionSweep(store, clock);
    }

    public ServiceSpec spec() {
        return spec;
    }

    /** A handler for every operation of the spec. */
    public Map<String, JsonOperation> operations() {
        return operations;
    }

    /** What each operation needs to be allowed, for {@link dev.stevedore.awsproto.GuardedOperations}. */
    public Map<String, AccessRule> accessRules() {
        return LogsAccessRules.rules();
    }

    /** The pass that deletes events past their group's retention, for the server's housekeeping. */
    public RetentionSweep retentionSweep() {
        return retention;
    }
}
