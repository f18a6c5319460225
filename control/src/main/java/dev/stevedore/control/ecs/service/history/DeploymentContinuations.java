package dev.stevedore.control.ecs.service.history;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.ecs.service.DeploymentRollback;
import dev.stevedore.control.ecs.service.HookDetails;
import dev.stevedore.control.ecs.service.ServiceHistory;
import dev.stevedore.control.ecs.service.ServiceRef;
import dev.stevedore.control.ecs.service.ServiceTraffic;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.ContinueServiceDeploymentRequest;
import dev.stevedore.model.ecs.ContinueServiceDeploymentResponse;
import dev.stevedore.model.ecs.DeploymentLifecycleHookAction;
import dev.stevedore.model.ecs.DeploymentLifecycleHookDetail;
import dev.stevedore.model.ecs.DeploymentLifecycleHookStatus;
import dev.stevedore.model.ecs.ServiceDeployment;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * ContinueServiceDeployment: answers the PAUSE hook a traffic-shifting deployment waits at. CONTINUE marks the
 * hook SUCCEEDED and the shift's pause answered, in one transaction, and the service controller, woken by the
 * change of the service's traffic record, moves the shift on; ROLLBACK marks the hook FAILED and rolls the
 * deployment back as StopServiceDeployment does.
 */
public final class DeploymentContinuations {
    private final StateStore store;
    private final Clock clock;

    public DeploymentContinuations(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of("ContinueServiceDeployment", Operations.typed(ContinueServiceDeploymentRequest.class, this::answer));
    }

    ContinueServiceDeploymentResponse answer(CallContext ctx, ContinueServiceDeploymentRequest r) {
        EcsScope scope = EcsScope.of(ctx);
        // ECS continues when no action is given.
        String action = r.action() == null ? DeploymentLifecycleHookAction.CONTINUE : r.action();
        HistoryArns named = HistoryArns.deployment(scope, r.serviceDeploymentArn())
                .orElseThrow(HistoryArns::deploymentNotFound);
        Instant now = clock.instant();
        StoreTx.run(store, tx -> {
            ServiceDeployment sd = tx.read(named.deploymentKey(), ServiceDeployment.class)
                    .orElseThrow(HistoryArns::deploymentNotFound);
            DeploymentLifecycleHookDetail hook = HookDetails.find(sd, r.hookId())
                    .orElseThrow(() -> EcsErrors.invalidParameter("The lifecycle hook " + r.hookId()
                            + " was not found in the service deployment."));
            if (!ServiceHistory.IN_PROGRESS.equals(sd.status())) {
                throw EcsErrors.client("The service deployment is " + sd.status()
                        + ". Only an IN_PROGRESS service deployment can be continued.");
            }
            if (!DeploymentLifecycleHookStatus.AWAITING_ACTION.equals(hook.status())) {
                throw EcsErrors.invalidParameter("The lifecycle hook " + r.hookId() + " is " + hook.status()
                        + ". Only a hook in AWAITING_ACTION status can be continued or rolled back.");
            }
            ServiceRef ref = named.service();
            if (DeploymentLifecycleHookAction.ROLLBACK.equals(action)) {
                DeploymentRollback.rollBack(tx, ref, HookDetails.withStatus(sd, r.hookId(), DeploymentLifecycleHookStatus.FAILED, now),
                        DeploymentStops.STOPPED, now);
                return null;
            }
            ServiceTraffic traffic = tx.read(ServiceTraffic.key(ref), ServiceTraffic.class).orElse(ServiceTraffic.EMPTY);
            ServiceTraffic.Shift continued = traffic.current().flatMap(shift -> shift.continued(r.hookId()))
                    .orElseThrow(() -> EcsErrors.invalidParameter("The lifecycle hook " + r.hookId()
                            + " is not what the service deployment waits at."));
            tx.put(ServiceTraffic.key(ref), traffic.withShift(java.util.Optional.of(continued)));
            tx.put(named.deploymentKey(), HookDetails.withStatus(sd, r.hookId(), DeploymentLifecycleHookStatus.SUCCEEDED, now));
            return null;
        });
        return new ContinueServiceDeploymentResponse(r.serviceDeploymentArn());
    }
}
