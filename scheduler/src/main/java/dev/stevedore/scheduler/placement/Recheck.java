package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.ClusterSnapshot;
import dev.stevedore.scheduler.FitCheck;
import dev.stevedore.scheduler.InstanceState;
import dev.stevedore.scheduler.InstanceStatus;
import dev.stevedore.scheduler.Placement;
import dev.stevedore.scheduler.PlacementFailure;
import dev.stevedore.scheduler.PlacementPlan;
import dev.stevedore.scheduler.PlacementRequest;
import dev.stevedore.scheduler.PlanCheck;
import dev.stevedore.scheduler.Resources;
import dev.stevedore.scheduler.TaskRequirements;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Re-validates placements against fresher state without ranking again: what can have changed
 * since the plan was made (resources, ports, ENIs, status, agent connection), and the zone an
 * {@code awsvpc} task needs, not the choices.
 */
public final class Recheck {

    /** ECS's reason for a container instance that does not exist (any more). */
    public static final String MISSING = "MISSING";

    private Recheck() {
    }

    /** Whether {@code task} fits {@code instance} as it is now; the reason is the first failed check's. */
    public static FitCheck fits(InstanceState instance, TaskRequirements task) {
        Resources left = instance.remaining();
        if (instance.status() != InstanceStatus.ACTIVE) {
            return FitCheck.failing(StatusFilter.REASON);
        }
        if (!instance.agentConnected()) {
            return FitCheck.failing(AgentFilter.REASON);
        }
        if (!task.allowsZone(Optional.ofNullable(instance.attributes().get(TaskRequirements.ZONE_ATTRIBUTE)))) {
            return FitCheck.failing(LocationFilter.REASON);
        }
        if (left.cpu() < task.cpu()) {
            return FitCheck.failing(CpuFilter.REASON);
        }
        if (left.memoryMiB() < task.memoryMiB()) {
            return FitCheck.failing(MemoryFilter.REASON);
        }
        if (task.tcpHostPorts().stream().anyMatch(left.tcpPorts()::contains)) {
            return FitCheck.failing(TcpPortsFilter.REASON);
        }
        if (task.udpHostPorts().stream().anyMatch(left.udpPorts()::contains)) {
            return FitCheck.failing(UdpPortsFilter.REASON);
        }
        if (task.needsEni() && left.eniAttachments() < 1) {
            return FitCheck.failing(EniFilter.REASON);
        }
        return FitCheck.fitting();
    }

    /**
     * Re-checks every placement of {@code plan} against {@code fresh}, in order; placements on the
     * same instance count against each other, so two tasks that each fit alone but not together
     * are not both accepted.
     */
    public static PlanCheck recheck(
            ClusterSnapshot fresh, PlacementRequest request, PlacementPlan plan) {
        Map<String, InstanceState> afterAccepted = new HashMap<>();
        List<Placement> accepted = new ArrayList<>();
        List<PlacementFailure> rejected = new ArrayList<>();
        for (Placement placement : plan.placements()) {
            String arn = placement.instanceArn();
            Optional<InstanceState> now = Optional.ofNullable(afterAccepted.get(arn)).or(() -> fresh.instance(arn));
            if (now.isEmpty()) {
                rejected.add(new PlacementFailure(placement.taskIndex(), arn, MISSING,
                        "the container instance is no longer registered"));
                continue;
            }
            FitCheck fit = fits(now.get(), request.task());
            if (fit.fits()) {
                accepted.add(placement);
                afterAccepted.put(arn, now.get().withTask(request.task(), request.group()));
            } else {
                rejected.add(new PlacementFailure(placement.taskIndex(), arn, fit.failureReason().orElseThrow(),
                        "the container instance changed since the plan was made"));
            }
        }
        return new PlanCheck(accepted, rejected);
    }
}
