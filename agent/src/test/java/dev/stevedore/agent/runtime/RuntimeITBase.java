package dev.stevedore.agent.runtime;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** Gives each integration test class a runtime on the real engine and removes its containers after each test. */
abstract class RuntimeITBase {

    static DockerContainerRuntime runtime;

    @BeforeAll
    static void connectToEngine() {
        runtime = DockerTestSupport.connect();
    }

    @AfterEach
    void removeContainers() {
        DockerTestSupport.removeTestContainers(runtime);
    }

    @AfterAll
    static void disconnect() {
        if (runtime != null) {
            runtime.close();
        }
    }
}
