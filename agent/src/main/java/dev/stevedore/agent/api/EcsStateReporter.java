package dev.stevedore.agent.api;

import dev.stevedore.agent.engine.StateReportRejectedException;
import dev.stevedore.agent.engine.StateReporter;
import dev.stevedore.agent.engine.TaskHealthChange;
import dev.stevedore.model.ecs.SubmitAttachmentStateChangesRequest;
import dev.stevedore.model.ecs.SubmitContainerStateChangeRequest;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;

import java.util.function.Consumer;

/**
 * The task engine's reports, delivered as ECS delivers them: state changes through the ECS API
 * ({@code SubmitTaskStateChange}, {@code SubmitContainerStateChange},
 * {@code SubmitAttachmentStateChanges}), health, which has no API call,
 * to the given sink (the agent channel). A refused report is final for the engine; one that got no
 * answer is thrown for the engine to retry.
 */
public final class EcsStateReporter implements StateReporter {
    private final EcsApiClient api;
    private final Consumer<TaskHealthChange> health;

    public EcsStateReporter(EcsApiClient api, Consumer<TaskHealthChange> health) {
        this.api = api;
        this.health = health;
    }

    @Override
    public void submitContainerStateChange(SubmitContainerStateChangeRequest request) {
        deliver(() -> api.submitContainerStateChange(request));
    }

    @Override
    public void submitTaskStateChange(SubmitTaskStateChangeRequest request) {
        deliver(() -> api.submitTaskStateChange(request));
    }

    @Override
    public void submitAttachmentStateChanges(SubmitAttachmentStateChangesRequest request) {
        deliver(() -> api.submitAttachmentStateChanges(request));
    }

    @Override
    public void submitTaskHealthChange(TaskHealthChange change) {
        health.accept(change);
    }

    private static void deliver(Runnable call) {
        try {
            call.run();
        } catch (EcsApiException e) {
            if (e.isClientError()) {
                throw new StateReportRejectedException(e.getMessage(), e);
            }
            throw e;
        }
    }
}
