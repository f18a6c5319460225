package dev.stevedore.agent.logs;

import dev.stevedore.agent.engine.ContainerSnapshot;
import dev.stevedore.agent.engine.TaskSnapshot;
import dev.stevedore.agent.runtime.ContainerLogLine;
import dev.stevedore.agent.runtime.ContainerRuntime;
import dev.stevedore.agent.runtime.ContainerRuntimeException;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.model.agent.ChannelCodec;
import dev.stevedore.model.agent.ContainerLogsReply;
import dev.stevedore.model.agent.ContainerLogsReply.LogLine;
import dev.stevedore.model.agent.ContainerLogsRequest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers the control plane's {@link ContainerLogsRequest}s from the engine: the container of the
 * task's name, as the task engine knows it, read with {@link ContainerRuntime#logLines}. The engine's
 * {@code since} is in whole seconds, so a follow-up reads from the second of the last line it has and
 * drops the lines up to that line's nanosecond (two lines stamped with the same nanosecond would lose
 * the second one; the engine stamps each line as it reads it).
 */
public final class ContainerLogReader {
    /** A single line longer than this is cut, so that one line alone always fits a reply. */
    static final int MAX_LINE_CHARS = 8 * 1024;
    private static final ChannelCodec CODEC = new ChannelCodec(AwsJson.mapper());

    private final Supplier<List<TaskSnapshot>> tasks;
    private final ContainerRuntime runtime;

    /** @param tasks the engine's tasks now ({@code TaskEngine::tasks}) */
    public ContainerLogReader(Supplier<List<TaskSnapshot>> tasks, ContainerRuntime runtime) {
        this.tasks = tasks;
        this.runtime = runtime;
    }

    public ContainerLogsReply read(ContainerLogsRequest request) {
        Optional<String> container = tasks.get().stream().filter(t -> t.taskArn().equals(request.taskArn()))
                .findFirst().flatMap(t -> t.container(request.containerName())).flatMap(ContainerSnapshot::runtimeId);
        if (container.isEmpty()) {
            return ContainerLogsReply.failed(request.requestId(), "No container " + request.containerName()
                    + " of task " + request.taskArn() + " was created on this host.");
        }
        long after = request.afterEpochNanos();
        List<ContainerLogLine> read;
        try {
            read = runtime.logLines(container.get(), request.tail(), after == 0 ? 0 : after / 1_000_000_000L);
        } catch (ContainerRuntimeException e) {
            return ContainerLogsReply.failed(request.requestId(), e.getMessage());
        }
        List<LogLine> lines = new ArrayList<>();
        for (ContainerLogLine line : read) {
            long at = nanos(line.at());
            if (at > after) {
                String text = line.text().length() > MAX_LINE_CHARS ? line.text().substring(0, MAX_LINE_CHARS) + "…"
                        : line.text();
                lines.add(new LogLine(at, line.stream(), text));
            }
        }
        // Every line the engine gave is new: older new ones may be beyond the tail.
        boolean leftOut = read.size() == request.tail() && lines.size() == read.size();
        ContainerLogsReply reply = ContainerLogsReply.of(request.requestId(), lines, leftOut);
        while (CODEC.encode(reply).getBytes(StandardCharsets.UTF_8).length > ContainerLogsReply.MAX_ENCODED_BYTES) {
            // A tail keeps its newest lines (the older are left out); a follow-up its oldest, and the next
            // request, from the last line given, fetches the rest: nothing is left out.
            List<LogLine> kept = reply.lines();
            int half = kept.size() / 2;
            kept = after == 0 ? kept.subList(kept.size() - half, kept.size()) : kept.subList(0, half);
            reply = ContainerLogsReply.of(request.requestId(), kept, after == 0 || leftOut);
        }
        return reply;
    }

    static long nanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }
}
