package dev.stevedore.agent.engine;

import dev.stevedore.model.ecs.SubmitAttachmentStateChangesRequest;
import dev.stevedore.model.ecs.SubmitContainerStateChangeRequest;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;

/**
 * Where the task engine sends the known state of its tasks: the ECS API's
 * {@code SubmitContainerStateChange}, {@code SubmitTaskStateChange} and
 * {@code SubmitAttachmentStateChanges}, plus health, which the
 * ECS API has no operation for.
 *
 * <p>Calls come from one virtual thread per task, in the order the transitions happened, and
 * may block. A call that throws is retried with back-off until it succeeds or a newer state of
 * the same task makes it pointless; throw {@link StateReportRejectedException} when the control
 * plane refused the report for good, so that it is not retried.
 */
public interface StateReporter {

    void submitContainerStateChange(SubmitContainerStateChangeRequest request);

    void submitTaskStateChange(SubmitTaskStateChangeRequest request);

    /** An {@code awsvpc} task's attachment became ATTACHED or DETACHED. */
    void submitAttachmentStateChanges(SubmitAttachmentStateChangesRequest request);

    /**
     * A change of a running task's health. The ECS API carries health on the agent's telemetry
     * channel rather than in an API call, so an implementation decides how to deliver it; the
     * default drops it.
     */
    default void submitTaskHealthChange(TaskHealthChange change) {
        // Health is advisory: nothing in the engine depends on it being delivered.
    }
}
