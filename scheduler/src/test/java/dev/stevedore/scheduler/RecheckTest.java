package dev.stevedore.scheduler;

import static dev.stevedore.scheduler.TestInstances.arn;
import static dev.stevedore.scheduler.TestInstances.instance;
import static dev.stevedore.scheduler.TestInstances.request;
import static dev.stevedore.scheduler.TestInstances.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecheckTest {

    private static final TaskRequirements WEB = new TaskRequirements(512, 512, Set.of(8080), Set.of(), false, List.of());

    @Test
    void fitsReportsTheFirstFailedCheck() {
        assertThat(Scheduler.fits(instance("a").build(), WEB).fits()).isTrue();
        assertThat(Scheduler.fits(instance("a").status(InstanceStatus.DRAINING).build(), WEB).failureReason())
                .contains("INACTIVE");
        assertThat(Scheduler.fits(instance("a").disconnected().build(), WEB).failureReason()).contains("AGENT");
        assertThat(Scheduler.fits(instance("a").cpu(511).build(), WEB).failureReason()).contains("RESOURCE:CPU");
        assertThat(Scheduler.fits(instance("a").memory(511).build(), WEB).failureReason()).contains("RESOURCE:MEMORY");
        assertThat(Scheduler.fits(instance("a").tcpTaken(8080).build(), WEB).failureReason()).contains("RESOURCE:PORTS");
        TaskRequirements dns = new TaskRequirements(0, 0, Set.of(), Set.of(53), true, List.of());
        assertThat(Scheduler.fits(instance("a").udpTaken(53).build(), dns).failureReason()).contains("RESOURCE:PORTS_UDP");
        assertThat(Scheduler.fits(instance("a").eni(0).build(), dns).failureReason()).contains("RESOURCE:ENI");
    }

    @Test
    void aPlanStillValidOnTheFreshSnapshotIsAcceptedWhole() {
        ClusterSnapshot cluster = snapshot(instance("a"), instance("b"));
        PlacementRequest request = request(1024, 1024).count(4).build();
        PlacementPlan plan = Scheduler.place(cluster, request);
        PlanCheck check = Scheduler.recheck(cluster, request, plan);
        assertThat(check.allAccepted()).isTrue();
        assertThat(check.accepted()).isEqualTo(plan.placements());
    }

    @Test
    void placementsOnTheSameInstanceCountAgainstEachOther() {
        PlacementRequest request = request(1024, 1).count(3).build();
        PlacementPlan plan = new PlacementPlan(List.of(new Placement(arn("a"), 0), new Placement(arn("a"), 1),
                new Placement(arn("a"), 2)), List.of());
        PlanCheck check = Scheduler.recheck(snapshot(instance("a").cpu(2048)), request, plan);
        assertThat(check.accepted()).extracting(Placement::taskIndex).containsExactly(0, 1);
        assertThat(check.rejected()).singleElement().satisfies(f -> {
            assertThat(f.taskIndex()).isEqualTo(2);
            assertThat(f.reason()).isEqualTo("RESOURCE:CPU");
            assertThat(f.arn()).isEqualTo(arn("a"));
        });
    }

    @Test
    void changesSinceThePlanRejectTheAffectedPlacements() {
        PlacementRequest request = request(WEB).count(2).build();
        PlacementPlan plan = Scheduler.place(snapshot(instance("a"), instance("b")), request);
        ClusterSnapshot fresher = snapshot(instance("a").tcpTaken(8080));
        PlanCheck check = Scheduler.recheck(fresher, request, plan);
        assertThat(check.accepted()).isEmpty();
        assertThat(check.rejected()).extracting(PlacementFailure::reason)
                .containsExactlyInAnyOrder("RESOURCE:PORTS", "MISSING");
    }

    @Test
    void withTaskTakesResourcesAndCountsTheGroup() {
        InstanceState before = instance("a").cpu(1024).memory(2048).eni(2).group("family:web", 1).build();
        TaskRequirements task = new TaskRequirements(256, 512, Set.of(80), Set.of(53), true, List.of());
        InstanceState after = before.withTask(task, "family:web");
        assertThat(after.remaining().cpu()).isEqualTo(768);
        assertThat(after.remaining().memoryMiB()).isEqualTo(1536);
        assertThat(after.remaining().eniAttachments()).isEqualTo(1);
        assertThat(after.remaining().tcpPorts()).contains(80, 22);
        assertThat(after.remaining().udpPorts()).containsExactly(53);
        assertThat(after.taskGroupCount("family:web")).isEqualTo(2);
        assertThat(after.runningTasksCount()).isEqualTo(before.runningTasksCount() + 1);
        assertThat(after.registered()).isEqualTo(before.registered());
        assertThatThrownBy(() -> after.withTask(task, "family:web")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutTaskUndoesWithTask() {
        InstanceState before = instance("a").cpu(1024).memory(2048).eni(2).group("family:web", 1).build();
        TaskRequirements task = new TaskRequirements(256, 512, Set.of(80), Set.of(53), true, List.of());
        TaskRequirements sidecar = TaskRequirements.of(128, 256);
        InstanceState after = before.withTask(task, "family:web").withTask(sidecar, "service:other");
        assertThat(after.withoutTask(sidecar, "service:other").withoutTask(task, "family:web")).isEqualTo(before);
        assertThatThrownBy(() -> before.withoutTask(task, "service:other"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no task of group service:other");
        assertThatThrownBy(() -> before.withoutTask(task, "family:web"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TCP port 80 is not taken");
    }
}
