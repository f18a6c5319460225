package dev.stevedore.control.ecs.service.rollout;

import dev.stevedore.control.ecs.service.ServiceMessages;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How the scheduler replaces a task that fails its health checks: the stoppedReason and events ECS gives,
 * which say whether the containers' checks or a load balancer's target group found it unhealthy.
 */
final class UnhealthyTasks {
    private UnhealthyTasks() {
    }

    /** The stop of an unhealthy task, with the events that go with it appended to {@code events}. */
    static Decision.Stop stop(String service, ServiceTask t, Instant now, Duration grace, List<String> events) {
        if (!t.failsContainerChecks(now, grace) && t.failsTargetChecks(now, grace)) {
            TargetsHealth.Failure f = t.targets().failure().orElseThrow();
            events.add(ServiceMessages.unhealthyInTargetGroup(service, t.id(), f.instanceId(), f.port(),
                    f.targetGroupName(), f.reason()));
            return new Decision.Stop(t, ServiceMessages.failedElbHealthChecks(f.targetGroupArn()), true);
        }
        events.add(ServiceMessages.failedHealthChecks(service, t.id()));
        return new Decision.Stop(t, ServiceMessages.FAILED_CONTAINER_HEALTH_CHECKS, true);
    }
}
