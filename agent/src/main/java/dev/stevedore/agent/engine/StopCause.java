package dev.stevedore.agent.engine;

import java.util.Objects;

/** Why the engine stops a task: the ECS stop code and the task's {@code stoppedReason}. */
record StopCause(StopCode code, String reason) {

    static final String ESSENTIAL_EXITED = "Essential container in task exited";

    StopCause {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
    }

    static StopCause essentialExited() {
        return new StopCause(StopCode.EssentialContainerExited, ESSENTIAL_EXITED);
    }

    static StopCause failedToStart(String reason) {
        return new StopCause(StopCode.TaskFailedToStart, reason);
    }
}
