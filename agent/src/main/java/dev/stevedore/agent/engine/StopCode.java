package dev.stevedore.agent.engine;

import java.util.Arrays;
import java.util.Optional;

/** ECS {@code TaskStopCode}: why a task stopped, in the API's spelling. */
enum StopCode {
    TaskFailedToStart,
    EssentialContainerExited,
    UserInitiated,
    ServiceSchedulerInitiated,
    SpotInterruption,
    TerminationNotice,
    InfrastructureHealth;

    static Optional<StopCode> parse(String value) {
        return Arrays.stream(values()).filter(c -> c.name().equals(value)).findFirst();
    }
}
