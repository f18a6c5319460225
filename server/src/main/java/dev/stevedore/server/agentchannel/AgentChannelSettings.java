package dev.stevedore.server.agentchannel;

import java.time.Duration;
import java.util.Objects;

/**
 * The agent channel's timing.
 *
 * @param pingInterval       how often the server pings each agent
 * @param unresponsiveAfter  a connection that has sent nothing (no pong, no message) for this long is
 *                           closed and its instance marked disconnected; also bounds how long one push
 *                           may take to be written
 * @param presenceGrace      after start-up, how long agents get to reconnect before instances still
 *                           marked connected (left over from a server that was killed) are marked
 *                           disconnected
 * @param coalesceWindow     how long a push waits after the first change it sees, so that a burst of
 *                           changes (a RunTask of ten tasks) becomes one push
 * @param maxJoining         agents joining at once (from the handshake until the agent was sent its
 *                           complete state); past it, handshakes are refused with 503 and agents retry
 *                           after their jittered back-off
 */
public record AgentChannelSettings(Duration pingInterval, Duration unresponsiveAfter, Duration presenceGrace,
                                   Duration coalesceWindow, int maxJoining) {

    /**
     * 64 joining at once: a join is a signature check, a store read and a presence write, and more at
     * once only made each slower (see BENCHMARKS.md, "The agent channel at scale").
     */
    public static final int DEFAULT_MAX_JOINING = 64;

    public AgentChannelSettings(Duration pingInterval, Duration unresponsiveAfter, Duration presenceGrace,
                                Duration coalesceWindow) {
        this(pingInterval, unresponsiveAfter, presenceGrace, coalesceWindow, DEFAULT_MAX_JOINING);
    }

    public AgentChannelSettings {
        positive(pingInterval, "pingInterval");
        positive(unresponsiveAfter, "unresponsiveAfter");
        Objects.requireNonNull(presenceGrace, "presenceGrace");
        Objects.requireNonNull(coalesceWindow, "coalesceWindow");
        if (presenceGrace.isNegative() || coalesceWindow.isNegative()) {
            throw new IllegalArgumentException("presenceGrace and coalesceWindow must not be negative");
        }
        if (maxJoining < 1) {
            throw new IllegalArgumentException("maxJoining must be at least 1: " + maxJoining);
        }
        if (unresponsiveAfter.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("unresponsiveAfter must be longer than pingInterval");
        }
    }

    /**
     * Ping every 5 s, give up after 15 s of silence, 30 s for agents to come back after a restart,
     * and push at once: changes that arrive while a push is being read and sent are folded into the
     * next one anyway, so waiting before the first only delayed every lone RunTask (by 20 ms when
     * measured; see BENCHMARKS.md).
     */
    public static AgentChannelSettings defaults() {
        return new AgentChannelSettings(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30),
                Duration.ZERO);
    }

    public AgentChannelSettings withPresenceGrace(Duration value) {
        return new AgentChannelSettings(pingInterval, unresponsiveAfter, value, coalesceWindow, maxJoining);
    }

    public AgentChannelSettings withPings(Duration interval, Duration unresponsive) {
        return new AgentChannelSettings(interval, unresponsive, presenceGrace, coalesceWindow, maxJoining);
    }

    public AgentChannelSettings withMaxJoining(int value) {
        return new AgentChannelSettings(pingInterval, unresponsiveAfter, presenceGrace, coalesceWindow, value);
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }
}
