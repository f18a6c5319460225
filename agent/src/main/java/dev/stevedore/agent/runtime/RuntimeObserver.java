package dev.stevedore.agent.runtime;

/**
 * What {@link ObservedContainerRuntime} tells about the agent's calls to the container engine, for
 * metrics. Labels come from bounded sets: the port's method names, {@code ok} or a
 * {@link ContainerRuntimeException.Kind}. Called on the calling thread; must not block.
 */
public interface RuntimeObserver {

    /** Observes nothing. */
    RuntimeObserver NONE = new RuntimeObserver() {
    };

    /** A call to the engine ({@code createContainer}, {@code pullImage}, ...) returned or failed. */
    default void called(String call, String outcome, long nanos) {
    }

    /**
     * A container's start was answered: {@code nanos} from the request to create it to the engine
     * answering the start (so image lookup, create and start), {@code outcome} as for {@link #called}.
     */
    default void containerStarted(String outcome, long nanos) {
    }
}
