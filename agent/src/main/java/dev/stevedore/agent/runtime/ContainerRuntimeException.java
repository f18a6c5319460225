package dev.stevedore.agent.runtime;

import java.util.Objects;

/**
 * A container-engine operation that failed, with the {@link Kind} of failure. The message is the
 * engine's own explanation (for instance {@code manifest for r/x:1 not found: manifest unknown}),
 * free of transport noise, because the task engine shows it to users after a prefix such as
 * {@code CannotPullContainerError: }.
 */
public class ContainerRuntimeException extends RuntimeException {

    /** What went wrong, in the terms the task engine decides on. */
    public enum Kind {
        /** The image is neither on the host (create) nor in its registry (pull). */
        IMAGE_NOT_FOUND,
        /** Pulling failed for another reason: registry unreachable, authentication, a broken layer. */
        PULL_FAILED,
        /** The engine refused to create the container. */
        CREATE_FAILED,
        /** The container exists but its process could not be started. */
        START_FAILED,
        /** The container could not be stopped. */
        STOP_FAILED,
        /** A container, image or volume could not be removed. */
        REMOVE_FAILED,
        /** The named container (or other object) does not exist. */
        NOT_FOUND,
        /** The name is taken, or the object is in use. */
        CONFLICT,
        /** The engine could not be reached at all. */
        ENGINE_UNAVAILABLE,
        /** Any other engine error. */
        ENGINE_ERROR
    }

    /**
     * How Docker's client introduces a refusal the daemon answered with (an HTTP error rather than
     * an error inside a stream); ECS shows reasons in those words.
     */
    public static final String DAEMON_RESPONSE = "Error response from daemon: ";

    private final Kind kind;

    public ContainerRuntimeException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public ContainerRuntimeException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String toString() {
        return "ContainerRuntimeException[" + kind + "]: " + getMessage();
    }
}
