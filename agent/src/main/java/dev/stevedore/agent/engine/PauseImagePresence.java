package dev.stevedore.agent.engine;

import dev.stevedore.agent.runtime.ContainerRuntime;

/**
 * Whether this engine has shown the pause image, remembered once it has: the agent makes the image
 * once and never removes it, so asking for it again for every task only adds an engine call to
 * the start's path. When something removes it behind the agent's back, the pause container's
 * create says so ({@code IMAGE_NOT_FOUND}); the caller then {@linkplain #forget forgets} and
 * makes it again.
 *
 * <p>The subnet's network is not remembered the same way: a create names a network the engine no
 * longer has without complaint, and only the start fails, after the task's containers were
 * created to join it.
 */
final class PauseImagePresence {

    private volatile boolean present;

    /**
     * Makes the pause image present, asking the engine only until it has shown it once.
     *
     * @throws IllegalStateException when this host cannot run the pause program
     */
    void ensure(ContainerRuntime runtime) {
        if (!present) {
            PauseImage.ensure(runtime);
            present = true;
        }
    }

    /** Whether {@link #ensure} would answer without asking the engine. */
    boolean remembered() {
        return present;
    }

    void forget() {
        present = false;
    }
}
