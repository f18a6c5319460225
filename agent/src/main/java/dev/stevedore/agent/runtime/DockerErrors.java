package dev.stevedore.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.stevedore.agent.runtime.ContainerRuntimeException.Kind;
import java.io.IOException;
import java.util.Optional;

/** Turns docker-java's exceptions into {@link ContainerRuntimeException}s with the engine's own words. */
final class DockerErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerErrors() {}

    /**
     * Maps an engine failure: 404 to {@code NOT_FOUND}, 409 to {@code CONFLICT}, an unreachable
     * engine to {@code ENGINE_UNAVAILABLE}, everything else to {@code fallback}.
     */
    static ContainerRuntimeException translate(RuntimeException e, Kind fallback) {
        if (e instanceof ContainerRuntimeException already) {
            return already;
        }
        if (e instanceof NotFoundException) {
            return new ContainerRuntimeException(Kind.NOT_FOUND, engineMessage(e), e);
        }
        if (e instanceof ConflictException) {
            return new ContainerRuntimeException(Kind.CONFLICT, engineMessage(e), e);
        }
        if (!(e instanceof DockerException)) {
            Optional<IOException> io = ioCause(e);
            if (io.isPresent()) {
                return new ContainerRuntimeException(
                        Kind.ENGINE_UNAVAILABLE, "container engine unreachable: " + io.get(), e);
            }
        }
        return new ContainerRuntimeException(fallback, engineMessage(e), e);
    }

    /** The exception for a thread interrupted while it waited for the engine; keeps the flag set. */
    static ContainerRuntimeException interrupted(String what, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new ContainerRuntimeException(Kind.ENGINE_ERROR, "interrupted while " + what, e);
    }

    /**
     * The engine's explanation. docker-java puts the HTTP status and the response body into its
     * messages ({@code Status 404: {"message":"No such container: x"}}); the body's message is
     * what users should read.
     */
    static String engineMessage(Throwable e) {
        String raw = String.valueOf(e.getMessage()).strip();
        int brace = raw.indexOf('{');
        if (brace >= 0) {
            try {
                JsonNode body = JSON.readTree(raw.substring(brace));
                JsonNode message = body.get("message");
                if (message != null && message.isTextual()) {
                    return message.asText();
                }
            } catch (IOException notJson) {
                // Not every message carries a JSON body; the raw text is the best there is.
            }
        }
        if (raw.startsWith("Status ") && raw.indexOf(':') > 0) {
            return raw.substring(raw.indexOf(':') + 1).strip();
        }
        return raw;
    }

    private static Optional<IOException> ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return Optional.of(io);
            }
        }
        return Optional.empty();
    }
}
