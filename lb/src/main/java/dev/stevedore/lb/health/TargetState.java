package dev.stevedore.lb.health;

import dev.stevedore.lb.config.HealthCheck;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the data plane knows of one target of one group, kept across configuration changes for as long as the
 * target stays registered: its health verdict (written by the health checker only), the requests it is
 * serving and the proxy's connections to it.
 */
public final class TargetState {

    public enum Verdict {
        INITIAL("initial"), HEALTHY("healthy"), UNHEALTHY("unhealthy"), UNAVAILABLE("unavailable");

        private final String wire;

        Verdict(String wire) {
            this.wire = wire;
        }

        /** The state's name as DescribeTargetHealth spells it. */
        public String wire() {
            return wire;
        }
    }

    /**
     * The verdict with ELB's reason code and description, swapped as one value so readers never mix two.
     * {@code ramps}: the target became healthy while others of its group were, so slow start applies to it
     * from {@code sinceNanos} (a lone healthy target takes full traffic at once, as in ALB).
     */
    public record Health(Verdict verdict, String reason, String description, long sinceNanos, boolean ramps) {
    }

    public static final String INITIAL_REASON = "Elb.InitialHealthChecking";

    private final String groupId;
    private final String host;
    private final int port;
    private final InetSocketAddress address;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private volatile Health health;
    private volatile boolean draining;
    private int drains;
    private volatile List<TargetState> peers = List.of();
    // Written by the health checker's one thread only.
    private int successes;
    private int failures;

    public TargetState(String groupId, String host, int port, boolean checked) {
        this.groupId = groupId;
        this.host = host;
        this.port = port;
        this.address = new InetSocketAddress(host, port);
        this.health = checked
                ? new Health(Verdict.INITIAL, INITIAL_REASON, "Initial health checks in progress", System.nanoTime(), false)
                : new Health(Verdict.UNAVAILABLE, "Target.HealthCheckDisabled", "Health checks are disabled", System.nanoTime(), false);
    }

    public String groupId() {
        return groupId;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return address;
    }

    public Health health() {
        return health;
    }

    public int inFlight() {
        return inFlight.get();
    }

    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    public void requestEnded() {
        inFlight.decrementAndGet();
    }

    public boolean draining() {
        return draining;
    }

    /** Marks the target draining or not; each start of draining gets a new number (see {@link #drainCount}). */
    public synchronized void draining(boolean value) {
        if (value && !draining) {
            drains++;
        }
        draining = value;
    }

    /** How many times draining started: a deregistration delay's end applies only to the drain it began with. */
    public synchronized int drainCount() {
        return drains;
    }

    /** The other targets of the group, as of the configuration applied last. */
    public void peers(List<TargetState> group) {
        peers = List.copyOf(group);
    }

    private boolean inCompany() {
        for (TargetState peer : peers) {
            if (peer != this && !peer.draining() && peer.health().verdict() == Verdict.HEALTHY) {
                return true;
            }
        }
        return false;
    }

    /** A proxy connection to this target, remembered so that the end of a deregistration delay can cut it. */
    public void connected(Channel channel) {
        connections.add(channel);
        channel.closeFuture().addListener(closed -> connections.remove(channel));
    }

    /** The deregistration delay is over: whatever is still running is cut, as ALB does. */
    public void closeConnections() {
        connections.forEach(Channel::close);
    }

    /** The health check configuration changed to or from disabled. */
    public void checksEnabled(boolean enabled) {
        Verdict verdict = health.verdict();
        if (!enabled && verdict != Verdict.UNAVAILABLE) {
            health = new Health(Verdict.UNAVAILABLE, "Target.HealthCheckDisabled", "Health checks are disabled", System.nanoTime(), false);
        } else if (enabled && verdict == Verdict.UNAVAILABLE) {
            successes = 0;
            failures = 0;
            health = new Health(Verdict.INITIAL, INITIAL_REASON, "Initial health checks in progress", System.nanoTime(), false);
        }
    }

    /**
     * One health check's outcome. A new target needs one success to be healthy (as ALB documents); otherwise
     * HealthyThreshold consecutive successes make an unhealthy target healthy and UnhealthyThreshold
     * consecutive failures make any target unhealthy, with the last failure's reason.
     */
    public void checked(CheckResult result, HealthCheck check) {
        Health now = health;
        if (result.passed()) {
            failures = 0;
            successes++;
            boolean becomesHealthy = now.verdict() == Verdict.INITIAL
                    || (now.verdict() == Verdict.UNHEALTHY && successes >= check.healthyThreshold());
            if (becomesHealthy) {
                health = new Health(Verdict.HEALTHY, "", "", System.nanoTime(), inCompany());
            }
        } else {
            successes = 0;
            failures++;
            if (now.verdict() == Verdict.UNHEALTHY || failures >= check.unhealthyThreshold()) {
                health = new Health(Verdict.UNHEALTHY, result.reason(), result.description(),
                        now.verdict() == Verdict.UNHEALTHY ? now.sinceNanos() : System.nanoTime(), false);
            }
        }
    }

    @Override
    public String toString() {
        return groupId + "/" + host + ":" + port;
    }
}
