package dev.stevedore.model.agent;

import java.util.List;
import java.util.Objects;

/**
 * Agent → control plane: the answer to a {@link ContainerLogsRequest}, oldest line first. A reply
 * stays under the server's WebSocket frame size ({@link #MAX_ENCODED_BYTES}): when the lines asked for
 * do not fit, the agent leaves out the oldest of a tail ({@code afterEpochNanos} 0) and the newest of a
 * follow-up (which the next request, from the last line given, fetches), and says so.
 *
 * @param protocolVersion {@link AgentChannel#PROTOCOL_VERSION}
 * @param requestId       the request's
 * @param lines           the lines, oldest first
 * @param linesLeftOut    whether lines that match the request and are older than the first one given are
 *                        not in {@code lines}: more than its {@code tail} were written since
 *                        {@code afterEpochNanos}, or a tail did not fit (a follow-up's newest lines that did
 *                        not fit are not counted: the next request, from the last line given, gets them)
 * @param error           empty, or why there are no lines (no such task or container here, the engine
 *                        refused)
 */
public record ContainerLogsReply(int protocolVersion, String requestId, List<LogLine> lines, boolean linesLeftOut,
                                 String error) {
    /** The most a reply may take encoded: below the 64 KiB frame the server accepts, with room for framing. */
    public static final int MAX_ENCODED_BYTES = 60_000;

    public ContainerLogsReply {
        Objects.requireNonNull(requestId, "requestId");
        lines = List.copyOf(lines);
        Objects.requireNonNull(error, "error");
    }

    public static ContainerLogsReply of(String requestId, List<LogLine> lines, boolean linesLeftOut) {
        return new ContainerLogsReply(AgentChannel.PROTOCOL_VERSION, requestId, lines, linesLeftOut, "");
    }

    public static ContainerLogsReply failed(String requestId, String error) {
        return new ContainerLogsReply(AgentChannel.PROTOCOL_VERSION, requestId, List.of(), false, error);
    }

    /**
     * One line as the engine keeps it.
     *
     * @param epochNanos when the engine read it, nanoseconds since the epoch
     * @param stream     {@code stdout} or {@code stderr}
     * @param text       the line without its line end
     */
    public record LogLine(long epochNanos, String stream, String text) {
        public LogLine {
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(text, "text");
        }
    }
}
