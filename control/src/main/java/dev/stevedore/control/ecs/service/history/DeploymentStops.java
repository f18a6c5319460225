package dev.stevedore.control.ecs.service.history;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.ecs.service.DeploymentRollback;
import dev.stevedore.control.ecs.service.ServiceHistory;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.ServiceDeployment;
import dev.stevedore.model.ecs.StopServiceDeploymentRequest;
import dev.stevedore.model.ecs.StopServiceDeploymentResponse;
import dev.stevedore.model.ecs.StopServiceDeploymentStopType;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * StopServiceDeployment: rolls an ongoing deployment back to the service's last completed one,
 * exactly as the circuit breaker with rollback does, and marks its history record
 * ROLLBACK_REQUESTED; the service controller then carries the rollback out and moves the record on.
 *
 * <p>ECS documents ROLLBACK as the only valid stop type (ABORT is in the model's enum but not
 * accepted), so ABORT is refused as an invalid parameter.
 */
public final class DeploymentStops {
    /** Why the stopped deployment failed: the circuit breaker's form, with the stop as the cause. */
    static final String STOPPED = "ECS deployment stopped: rollback requested.";

    private final StateStore store;
    private final Clock clock;

    public DeploymentStops(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of("StopServiceDeployment", Operations.typed(StopServiceDeploymentRequest.class, this::stop));
    }

    StopServiceDeploymentResponse stop(CallContext ctx, StopServiceDeploymentRequest r) {
        EcsScope scope = EcsScope.of(ctx);
        if (StopServiceDeploymentStopType.ABORT.equals(r.stopType())) {
            throw EcsErrors.invalidParameter("The stopType ABORT is not supported. The valid values are ROLLBACK.");
        }
        HistoryArns named = HistoryArns.deployment(scope, r.serviceDeploymentArn()).orElseThrow(HistoryArns::deploymentNotFound);
        Instant now = clock.instant();
        StoreTx.run(store, tx -> {
            ServiceDeployment sd = tx.read(named.deploymentKey(), ServiceDeployment.class)
                    .orElseThrow(HistoryArns::deploymentNotFound);
            switch (sd.status()) {
                case ServiceHistory.PENDING, ServiceHistory.IN_PROGRESS -> {
                    DeploymentRollback.rollBack(tx, named.service(), sd, STOPPED, now);
                }
                case ServiceHistory.STOP_REQUESTED, ServiceHistory.ROLLBACK_REQUESTED,
                     ServiceHistory.ROLLBACK_IN_PROGRESS -> {
                    // Already stopping: ECS lets the stop or rollback under way carry on.
                }
                default -> throw conflict("The service deployment is " + sd.status()
                        + ". Only a PENDING or IN_PROGRESS service deployment can be stopped.");
            }
            return null;
        });
        return new StopServiceDeploymentResponse(r.serviceDeploymentArn());
    }

    private static AwsException conflict(String message) {
        return EcsErrors.of("ConflictException", message);
    }
}
