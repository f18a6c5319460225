package dev.stevedore.server.lb;

import dev.stevedore.control.elb.TargetHealthReadings;
import dev.stevedore.control.elb.TargetRef;
import dev.stevedore.control.elb.snapshot.ElbSnapshot;
import dev.stevedore.control.elb.snapshot.ElbSnapshots;
import dev.stevedore.lb.ReadingsReport;
import dev.stevedore.lb.config.ProxyConfigJson;
import dev.stevedore.server.EventStream;
import dev.stevedore.store.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The control plane's side of load balancer processes of their own ({@code stevedore lb}), for a server started
 * with {@code up --lb external}: it binds no listener itself. Each snapshot of the store's ELB records is
 * translated ({@link ProxyConfigs}) and published as JSON ({@link ProxyConfigJson}); every connected process
 * gets it on connecting and again on every change ({@link #stream}). The processes' health-check reports
 * ({@link #report}) answer the ELB API's {@link TargetHealthReadings}, combined over the processes that reported
 * within the last seconds ({@link ReadingsBoard}).
 */
public final class ExternalDataPlanes implements TargetHealthReadings, AutoCloseable {
    /** Event name of a configuration on the stream. */
    public static final String CONFIG_EVENT = "config";
    /** A quiet stream gets a comment this often, so the process can tell a live server from a dead connection. */
    public static final Duration KEEP_ALIVE = Duration.ofSeconds(10);

    private record Published(long version, String json, ElbSnapshot snapshot) {
    }

    private final ElbConfigWatch watch;
    private final Clock clock;
    private final ReadingsBoard board = new ReadingsBoard();
    private final Object changed = new Object();
    private volatile Published current;

    public ExternalDataPlanes(StateStore store, Clock clock) {
        this.clock = clock;
        this.watch = new ElbConfigWatch(store, "elb-external-data-planes", this::publish);
    }

    /** A first read, then the watch: from now on a stream opens with a configuration. */
    public void start(ElbSnapshots source) {
        watch.start(source);
    }

    private void publish(ElbSnapshot snapshot) {
        String json = ProxyConfigJson.encode(ProxyConfigs.of(snapshot));
        synchronized (changed) {
            Published last = current;
            // Most changes under /elb/ (tags, a draining target's tick) leave the configuration as it was.
            current = last != null && last.json().equals(json)
                    ? new Published(last.version(), json, snapshot)
                    : new Published(last == null ? 1 : last.version() + 1, json, snapshot);
            changed.notifyAll();
        }
    }

    /** The configuration now, then every new one, until the process goes away. */
    public EventStream stream() {
        return sink -> {
            long sent = 0;
            while (sink.open()) {
                Published now = awaitNewerThan(sent);
                if (now != null && now.version() != sent) {
                    sink.send(CONFIG_EVENT, now.json());
                    sent = now.version();
                } else {
                    sink.keepAlive();
                }
            }
        };
    }

    private Published awaitNewerThan(long version) throws InterruptedException {
        synchronized (changed) {
            if (current == null || current.version() == version) {
                changed.wait(KEEP_ALIVE.toMillis());
            }
            return current;
        }
    }

    /** A process's health-check readings, as of now. */
    public void report(ReadingsReport report) {
        board.record(report, clock.instant());
    }

    /** How many load balancer processes reported within the last seconds. */
    public int reportingProcesses() {
        return board.processes(clock.instant());
    }

    @Override
    public Optional<Reading> reading(String targetGroupArn, TargetRef target) {
        return Optional.ofNullable(current)
                .flatMap(published -> ProxyConfigs.host(published.snapshot(), targetGroupArn, target))
                .flatMap(host -> board.reading(targetGroupArn, host, target.port(), clock.instant()));
    }

    @Override
    public void close() {
        watch.close();
    }
}
