package dev.stevedore.agent.engine;

import dev.stevedore.agent.runtime.ContainerRuntime;
import dev.stevedore.agent.runtime.ContainerRuntimeException;
import dev.stevedore.agent.runtime.ContainerRuntimeException.Kind;
import dev.stevedore.agent.runtime.ContainerSpec;
import dev.stevedore.agent.runtime.ContainerStatus;
import dev.stevedore.agent.runtime.NetworkAddress;
import dev.stevedore.agent.runtime.NetworkInfo;
import dev.stevedore.agent.runtime.NetworkMode;
import dev.stevedore.agent.runtime.NetworkSpec;
import dev.stevedore.model.agent.NetworkInterfaceAssignment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@code awsvpc} task's network namespace, as the ECS agent makes it: a pause container that
 * owns the namespace, on the subnet's bridge network with the task's own IPv4 and MAC address,
 * which the task's containers then join. The host reaches the task at its address through the
 * bridge, whose own address is the subnet's gateway.
 */
final class TaskNetworks {

    /** What ECS calls a failure to set up a task's resources before its containers start. */
    static final String SETUP_ERROR = "ResourceInitializationError: ";
    /** The ECS agent's name for the pause container, as it appears in the engine name. */
    static final String PAUSE_CONTAINER = "internalecspause";
    static final String PAUSE_REMOVED = "its pause container was removed outside of the agent";

    private static final Logger log = LoggerFactory.getLogger(TaskNetworks.class);

    private TaskNetworks() {}

    /**
     * The first half of making the namespace, or of finishing what a crashed attempt began: the
     * image, the subnet's network, then the pause container, created once (found again by its
     * recorded name). {@link #start} is the second half.
     *
     * @param checkpoint saves the record with the pause container's name before it is created
     * @throws ContainerRuntimeException when the engine refuses (the reason is the task's unless
     *                                   the engine is unreachable)
     * @throws IllegalStateException     when this host cannot run the pause program
     */
    static TaskRecord create(TaskRecord r, TaskPlan plan, EngineContext ctx, Consumer<TaskRecord> checkpoint) {
        NetworkInterfaceAssignment eni = plan.networkInterface().orElseThrow();
        TaskNetworkRecord n = r.network().orElseGet(() -> TaskNetworkRecord.pending(eni.attachmentArn()));
        if (n.pauseId().isEmpty()) {
            NetworkSpec subnetNetwork = SubnetNetworks.spec(eni.subnetId(), eni.subnetCidrBlock());
            boolean remembered = ctx.pauseImage().remembered();
            prepare(r.taskArn(), eni, subnetNetwork, ctx);
            String name = n.pauseName().orElseGet(() -> ContainerSpecs.dockerName(plan, PAUSE_CONTAINER));
            n = n.withPauseName(name);
            r = r.withNetwork(n);
            checkpoint.accept(r);
            ContainerSpec spec = pauseSpec(ctx, r, plan, eni, name);
            String id = createPause(r.taskArn(), eni, subnetNetwork, spec, remembered, ctx);
            n = n.withPause(name, id);
            r = r.withNetwork(n);
        }
        return r;
    }

    /**
     * Starts the pause container {@link #create} made and checks that it holds the task's address:
     * the namespace is then ATTACHED.
     *
     * @throws ContainerRuntimeException when the engine refuses or the container does not run with
     *                                   the address (the reason is the task's unless the engine is
     *                                   unreachable)
     */
    static TaskRecord start(TaskRecord r, TaskPlan plan, ContainerRuntime runtime) {
        NetworkInterfaceAssignment eni = plan.networkInterface().orElseThrow();
        TaskNetworkRecord n = r.network().orElseThrow();
        String id = n.pauseId().orElseThrow();
        runtime.startContainer(id);
        ContainerStatus status = runtime.inspectContainer(id);
        if (!status.running()) {
            throw new ContainerRuntimeException(Kind.START_FAILED, "the pause container " + status.name()
                    + " is not running (" + status.state() + status.error().map(e -> ": " + e).orElse("") + ")");
        }
        String network = SubnetNetworks.networkName(eni.subnetId());
        String address = status.ipAddresses().getOrDefault(network, "");
        if (!address.equals(eni.privateIpv4Address())) {
            throw new ContainerRuntimeException(Kind.START_FAILED, "the pause container has address '" + address + "' on "
                    + network + ", not the task's " + eni.privateIpv4Address());
        }
        log.info("task {}: network namespace ready at {} on {}", r.taskArn(), eni.privateIpv4Address(), eni.subnetId());
        return r.withNetwork(n.nowAttached());
    }

    /**
     * The pause image and the subnet's network, then the task's route (before the namespace exists,
     * so that the task's first request already finds it).
     */
    private static void prepare(String taskArn, NetworkInterfaceAssignment eni, NetworkSpec subnetNetwork, EngineContext ctx) {
        ctx.pauseImage().ensure(ctx.runtime());
        NetworkInfo network = ctx.runtime().ensureNetwork(subnetNetwork);
        ctx.routes().routeTask(taskArn, eni.privateIpv4Address(), SubnetNetworks.bridgeInterface(network));
    }

    /**
     * Creates the pause container, or finds the one an earlier attempt created. When the pause
     * image was only remembered and the engine no longer has it (removed outside of the agent),
     * it is made again and the create is tried once more.
     */
    private static String createPause(String taskArn, NetworkInterfaceAssignment eni, NetworkSpec subnetNetwork,
                                      ContainerSpec spec, boolean remembered, EngineContext ctx) {
        ContainerRuntime runtime = ctx.runtime();
        try {
            return runtime.createContainer(spec);
        } catch (ContainerRuntimeException e) {
            if (e.kind() == Kind.CONFLICT) {
                // Created by an attempt a crash kept from being recorded.
                return runtime.findContainer(spec.name())
                        .filter(s -> taskArn.equals(s.labels().get(Labels.TASK_ARN)))
                        .map(ContainerStatus::id)
                        .orElseThrow(() -> e);
            }
            if (!remembered || e.kind() != Kind.IMAGE_NOT_FOUND) {
                throw e;
            }
            log.info("task {}: the pause image is gone ({}); making it again", taskArn, e.getMessage());
            ctx.pauseImage().forget();
            prepare(taskArn, eni, subnetNetwork, ctx);
            return runtime.createContainer(spec);
        }
    }

    /**
     * The pause container: the task's address and MAC on the subnet's network, the interface's
     * private DNS name as hostname (as the ECS agent gives it; the task's containers share it), in
     * the task's cgroup so that the task's limits cover everything the task runs.
     */
    static ContainerSpec pauseSpec(EngineContext ctx, TaskRecord r, TaskPlan plan, NetworkInterfaceAssignment eni, String name) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.CLUSTER, ctx.identity().clusterArn());
        labels.put(Labels.TASK_ARN, r.taskArn());
        labels.put(Labels.PAUSE_FOR_ATTACHMENT, eni.attachmentArn());
        labels.put(Labels.FAMILY, plan.family());
        labels.put(Labels.REVISION, Integer.toString(plan.revision()));
        labels.put(Labels.CONTAINER_INSTANCE, ctx.identity().containerInstanceArn());
        ContainerSpec.Builder b = ContainerSpec.builder(name, PauseImage.IMAGE)
                .entryPoint(List.of(PauseImage.PROGRAM))
                .networkMode(new NetworkMode.Network(SubnetNetworks.networkName(eni.subnetId())))
                .address(new NetworkAddress(eni.privateIpv4Address(), eni.macAddress()))
                .hostname(eni.privateDnsName())
                .labels(labels);
        r.cgroupParent().ifPresent(b::cgroupParent);
        return b.build();
    }

    /** The namespace is lost when its pause container stops or vanishes while the task has it. */
    static TaskNetworkRecord observe(TaskNetworkRecord n, ContainerRuntime runtime) {
        if (!n.attached() || n.lost().isPresent() || n.pauseId().isEmpty()) {
            return n;
        }
        Optional<ContainerStatus> status = runtime.findContainer(n.pauseId().get());
        if (status.isEmpty()) {
            return n.nowLost(PAUSE_REMOVED);
        }
        if (!status.get().running()) {
            return n.nowLost("its pause container " + status.get().name() + " stopped ("
                    + status.get().state() + status.get().exitCode().stream().mapToObj(c -> ", exit code " + c).findFirst().orElse("")
                    + ")");
        }
        return n;
    }
}
