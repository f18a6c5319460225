package dev.stevedore.agent.runtime;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.nio.charset.StandardCharsets;

/** Gathers log frames into per-stream and interleaved text. */
final class LogCollector extends ResultCallback.Adapter<Frame> {
    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();
    private final StringBuilder combined = new StringBuilder();

    @Override
    public synchronized void onNext(Frame frame) {
        String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
        switch (frame.getStreamType()) {
            case STDERR -> stderr.append(text);
            default -> stdout.append(text);
        }
        combined.append(text);
    }

    synchronized ContainerLogs logs() {
        return new ContainerLogs(stdout.toString(), stderr.toString(), combined.toString());
    }
}
