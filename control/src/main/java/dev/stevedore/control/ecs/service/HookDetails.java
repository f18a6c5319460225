package dev.stevedore.control.ecs.service;

import dev.stevedore.control.ecs.service.rollout.TrafficShift;
import dev.stevedore.model.ecs.DeploymentLifecycleHookDetail;
import dev.stevedore.model.ecs.DeploymentLifecycleHookStatus;
import dev.stevedore.model.ecs.ServiceDeployment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A service deployment's lifecycleHookDetails: one entry per PAUSE hook reached, in the order reached. */
public final class HookDetails {
    private HookDetails() {
    }

    /** The record with each changed hook's entry added or its status moved on. */
    public static ServiceDeployment with(ServiceDeployment sd, List<TrafficShift.HookChange> changes, Instant now) {
        List<DeploymentLifecycleHookDetail> details = new ArrayList<>(listed(sd));
        for (TrafficShift.HookChange change : changes) {
            TrafficShift.Pause p = change.pause();
            DeploymentLifecycleHookDetail entry = DeploymentLifecycleHookDetail.builder().hookId(p.hookId())
                    .targetType("PAUSE").status(change.status()).expiresAt(p.expiresAt())
                    .timeoutAction(p.timeoutAction()).build();
            int at = indexOf(details, p.hookId());
            if (at < 0) {
                details.add(entry);
            } else {
                details.set(at, entry);
            }
        }
        return details.equals(listed(sd)) ? sd
                : sd.toBuilder().lifecycleHookDetails(List.copyOf(details)).updatedAt(now).build();
    }

    /** The entry of a hook, if the record lists it. */
    public static Optional<DeploymentLifecycleHookDetail> find(ServiceDeployment sd, String hookId) {
        return listed(sd).stream().filter(d -> hookId.equals(d.hookId())).findFirst();
    }

    /** The record with one hook's status set. */
    public static ServiceDeployment withStatus(ServiceDeployment sd, String hookId, String status, Instant now) {
        List<DeploymentLifecycleHookDetail> details = new ArrayList<>(listed(sd));
        int at = indexOf(details, hookId);
        details.set(at, details.get(at).toBuilder().status(status).build());
        return sd.toBuilder().lifecycleHookDetails(List.copyOf(details)).updatedAt(now).build();
    }

    /**
     * The record with every hook still AWAITING_ACTION marked FAILED: for a deployment that ends (superseded,
     * stopped, rolled back, finished) while paused, whose hooks can no longer be answered. Unchanged when no hook
     * waits.
     */
    public static ServiceDeployment withWaitingHooksFailed(ServiceDeployment sd, Instant now) {
        List<DeploymentLifecycleHookDetail> details = listed(sd).stream()
                .map(d -> DeploymentLifecycleHookStatus.AWAITING_ACTION.equals(d.status())
                        ? d.toBuilder().status(DeploymentLifecycleHookStatus.FAILED).build() : d)
                .toList();
        return details.equals(listed(sd)) ? sd
                : sd.toBuilder().lifecycleHookDetails(details).updatedAt(now).build();
    }

    private static List<DeploymentLifecycleHookDetail> listed(ServiceDeployment sd) {
        return sd.lifecycleHookDetails() == null ? List.of() : sd.lifecycleHookDetails();
    }

    private static int indexOf(List<DeploymentLifecycleHookDetail> details, String hookId) {
        for (int i = 0; i < details.size(); i++) {
            if (hookId.equals(details.get(i).hookId())) {
                return i;
            }
        }
        return -1;
    }
}
