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
 */
public record AgentChannelSettings(Duration pingInterval, Duration unresponsiveAfter, Duration presenceGrace,
                                   Duration coalesceWindow) {

    public AgentChannelSettings {
        positive(pingInterval, "pingInterval");
        positive(unresponsiveAfter, "unresponsiveAfter");
        Objects.requireNonNull(presenceGrace, "presenceGrace");
        Objects.requireNonNull(coalesceWindow, "coalesceWindow");
        if (presenceGrace.isNegative() || coalesceWindow.isNegative()) {
            throw new IllegalArgumentException("presenceGrace and coalesceWindow must not be negative");
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
        return new AgentChannelSettings(pingInterval, unresponsiveAfter, value, coalesceWindow);
    }

    public AgentChannelSettings withPings(Duration interval, Duration unresponsive) {
        return new AgentChannelSettings(interval, unresponsive, presenceGrace, coalesceWindow);
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }
}
