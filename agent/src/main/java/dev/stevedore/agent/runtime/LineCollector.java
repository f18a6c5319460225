package dev.stevedore.agent.runtime;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;


/**
 * Gathers timestamped log frames into lines: the engine starts each line with its RFC 3339 time and a
 * space, and a frame may hold part of a line, one, or several.
 */
final class LineCollector extends ResultCallback.Adapter<Frame> {
    private final List<ContainerLogLine> lines = new ArrayList<>();
    private final Map<String, StringBuilder> partial = new HashMap<>();

    @Override
    public synchronized void onNext(Frame frame) {
        String stream = frame.getStreamType() == StreamType.STDERR ? "stderr" : "stdout";
        StringBuilder pending = partial.computeIfAbsent(stream, s -> new StringBuilder())
                .append(new String(frame.getPayload(), StandardCharsets.UTF_8));
        int end;
        while ((end = pending.indexOf("\n")) >= 0) {
            add(stream, pending.substring(0, end));
            pending.delete(0, end + 1);
        }
    }

    private void add(String stream, String line) {
        int space = line.indexOf(' ');
        Instant at;
        try {
            at = Instant.parse(space < 0 ? line : line.substring(0, space));
        } catch (DateTimeParseException e) {
            // Not a line of its own (the rest of a line longer than the engine's buffer): keep its neighbour's time.
            lines.add(new ContainerLogLine(lines.isEmpty() ? Instant.EPOCH : lines.getLast().at(), stream,
                    line));
            return;
        }
        lines.add(new ContainerLogLine(at, stream, space < 0 ? "" : line.substring(space + 1)));
    }

    synchronized List<ContainerLogLine> lines() {
        partial.forEach((stream, rest) -> {
            if (!rest.isEmpty()) {
                add(stream, rest.toString());
            }
        });
        partial.clear();
        return List.copyOf(lines);
    }
}
