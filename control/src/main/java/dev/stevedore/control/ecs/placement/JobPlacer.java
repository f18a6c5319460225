package dev.stevedore.control.ecs.placement;

import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.fargate.PlatformPool;
import dev.stevedore.control.ecs.instance.InstanceStatus;
import dev.stevedore.control.ecs.task.TaskStatus;
import dev.stevedore.control.ecs.task.Tasks;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.Failure;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.scheduler.FitCheck;
import dev.stevedore.scheduler.Placement;
import dev.stevedore.scheduler.PlacementFailure;
import dev.stevedore.scheduler.PlacementPlan;
import dev.stevedore.scheduler.PlacementRequest;
import dev.stevedore.scheduler.Scheduler;
import dev.stevedore.scheduler.TaskRequirements;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one job becomes against a cluster's view: tasks on the instances the scheduler picks, on the
 * instances StartTask names, or on the Fargate platform pool, each awsvpc task with its interface
 * and address, and the failures ECS answers for the rest. The {@link PlanApplier} owns the queue, the
 * batches and the store; this part only decides, changing the view and the batch it is handed.
 */
final class JobPlacer {
    /** The tasks a job placed (some may be STOPPED at once, as ECS answers them) and its failures. */
    record Placed(List<Task> tasks, List<Failure> failures) {
    }

    private final AddressBook addresses;

    JobPlacer(AddressBook addresses) {
        this.addresses = addresses;
    }

    /**
     * Places {@code job} against {@code state}, writing the interfaces and addresses it claims into
     * {@code b}.
     *
     * @throws dev.stevedore.scheduler.SchedulerException when the job's own request cannot be planned
     * @throws RuntimeException an ECS error for the caller (a missing network configuration, no instances)
     */
    Placed place(ClusterState state, PlacementJob job, PlacementBatch b) {
        List<Task> tasks = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        if (PlatformPool.isPool(job.placementCluster())) {
            placeOnPlatform(state, job, tasks, failures, b);
        } else if (job.placement().task().needsEni() && job.network().isEmpty()) {
            // An awsvpc task on an instance takes an attachment point and an address together.
            throw EcsErrors.invalidParameter(
                    "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        } else if (job.namedInstances().isEmpty()) {
            if (!state.hasUsableInstances()) {
                throw EcsErrors.invalidParameter("No Container Instances were found in your cluster.");
            }
            PlacementPlan plan = state.plan(job.placement());
            for (Placement p : plan.placements()) {
                tasks.add(onInstance(state, job, p.instanceArn(), true, tasks.size(), b));
            }
            for (PlacementFailure f : plan.failures()) {
                failures.add(Failure.builder().arn(f.arn()).reason(f.reason()).detail(f.detail()).build());
            }
        } else {
            placeOnNamed(state, job, tasks, failures, b);
        }
        return new Placed(tasks, failures);
    }

    /**
     * Places Fargate tasks on the platform pool. Each task needs an address of one of its subnets
     * as well as room on a host: tasks beyond the subnets' free addresses are made STOPPED at once
     * with ECS's reason (RunTask answers them, as ECS does, and a service counts them as failed),
     * and tasks beyond the pool's room are failures, as ECS answers when Fargate has no capacity.
     */
    private void placeOnPlatform(ClusterState state, PlacementJob job, List<Task> tasks, List<Failure> failures,
                                 PlacementBatch b) {
        TaskNetwork network = job.network().orElseThrow(
                () -> new IllegalStateException("a Fargate job without an awsvpc network"));
        int free = 0;
        for (TaskNetwork.SubnetChoice s : network.subnets()) {
            free += addresses.free(job.scope(), s);
        }
        int asked = job.tasksAsked();
        int withAddress = Math.min(asked, free);
        Set<String> hostZones = state.zones();
        for (int i = 0; i < withAddress; i++) {
            Optional<Task> placed = state.hasUsableInstances()
                    ? placeOneOnPlatform(state, job, network, hostZones, tasks.size(), b) : Optional.empty();
            if (placed.isPresent()) {
                tasks.add(placed.get());
            } else {
                failures.add(Failure.builder().reason(PlatformPool.NO_CAPACITY).build());
            }
        }
        for (int i = withAddress; i < asked; i++) {
            Task task = job.taskMaker().make(ContainerInstance.builder().attributes(List.of()).build(), tasks.size());
            tasks.add(Tasks.failedToStart(task, PlatformPool.noFreeAddresses(network.subnets().get(0).subnetId())));
        }
    }

    /**
     * One Fargate task: the subnet whose zone has the fewest of the task's group (of those with a
     * free address), on a platform host in that zone; when the pool has no host in that zone at
     * all (one machine serving every zone), on any host. A zone whose hosts are full gives way to
     * the next subnet's. A platform host has no interface limit (each task's interface is the
     * platform's, not the host's), and the attributes a definition requires of EC2 instances (the
     * agent capabilities ECS derives at registration) are the platform's to provide, so neither is
     * placed on.
     */
    private Optional<Task> placeOneOnPlatform(ClusterState state, PlacementJob job, TaskNetwork network,
                                              Set<String> hostZones, int index, PlacementBatch b) {
        PlacementRequest request = job.placement();
        TaskRequirements task = request.task();
        List<TaskNetwork.SubnetChoice> candidates = network.subnets().stream()
                .filter(s -> addresses.free(job.scope(), s) > 0)
                .sorted(Comparator.comparingInt(
                        s -> state.groupInZone(job.cluster(), request.group(), s.availabilityZone())))
                .toList();
        for (TaskNetwork.SubnetChoice subnet : candidates) {
            // The scheduler's location filter keeps the task to hosts of the subnet's zone, when there are any.
            Set<String> zones = hostZones.contains(subnet.availabilityZone())
                    ? Set.of(subnet.availabilityZone()) : Set.of();
            PlacementPlan plan = state.plan(new PlacementRequest(request.requestId() + "/" + index,
                    new TaskRequirements(task.cpu(), task.memoryMiB(), task.tcpHostPorts(), task.udpHostPorts(), false,
                            List.of(), zones),
                    request.launchType(), 1, request.group(), List.of(), List.of()));
            if (!plan.placements().isEmpty()) {
                Task placed = make(state, job, plan.placements().get(0).instanceArn(), true, index);
                return Optional.of(addresses.attach(state, job.scope(), network, List.of(subnet), placed,
                        Optional.empty(), b).orElseThrow(() -> new IllegalStateException(
                        "counted a free address that is not there")));
            }
        }
        return Optional.empty();
    }

    /**
     * A task placed on one of the cluster's own instances; an awsvpc one gets its interface in the
     * batch that creates it, of a subnet in the instance's zone (the scheduler placed it only in a
     * zone of its subnets). When those subnets have no free address, ECS has placed the task and
     * cannot make its interface: the task is STOPPED at once, and its place in the view given back.
     */
    private Task onInstance(ClusterState state, PlacementJob job, String instanceArn, boolean counted, int index,
                            PlacementBatch b) {
        Task task = make(state, job, instanceArn, counted, index);
        if (job.network().isEmpty()) {
            return task;
        }
        TaskNetwork network = job.network().get();
        List<TaskNetwork.SubnetChoice> inZone = network.subnets().stream()
                .filter(s -> s.availabilityZone().equals(task.availabilityZone())).toList();
        if (inZone.isEmpty()) {
            throw new IllegalStateException("placed " + task.taskArn() + " outside the zones of its subnets");
        }
        Optional<String> host = Optional.ofNullable(state.instance(instanceArn).orElseThrow().record.ec2InstanceId());
        return addresses.attach(state, job.scope(), network, inZone, task, host, b).orElseGet(() -> {
            state.taskChanged(task.taskArn(), TaskStatus.STOPPED);
            return Tasks.failedToStart(task, PlatformPool.noFreeAddresses(inZone.get(0).subnetId()));
        });
    }

    private void placeOnNamed(ClusterState state, PlacementJob job, List<Task> tasks, List<Failure> failures,
                              PlacementBatch b) {
        for (String arn : job.namedInstances()) {
            var cached = state.instance(arn);
            if (cached.isEmpty()) {
                failures.add(Failure.builder().arn(arn).reason("MISSING").build());
                continue;
            }
            ContainerInstance instance = cached.get().record;
            if (InstanceStatus.INACTIVE.equals(instance.status())) {
                failures.add(Failure.builder().arn(arn).reason("INACTIVE").build());
                continue;
            }
            FitCheck fit = Scheduler.fits(state.schedulerView(arn).orElseThrow(), job.placement().task());
            if (fit.failureReason().isPresent()) {
                failures.add(Failure.builder().arn(arn).reason(fit.failureReason().get()).build());
                continue;
            }
            tasks.add(onInstance(state, job, arn, false, tasks.size(), b));
        }
    }

    private static Task make(ClusterState state, PlacementJob job, String instanceArn, boolean counted, int index) {
        Task task = job.taskMaker().make(state.instance(instanceArn).orElseThrow().record, index);
        state.placed(task.taskArn(), instanceArn, task.group(), job.reservation(), job.network().isPresent(),
                counted);
        return task;
    }
}
