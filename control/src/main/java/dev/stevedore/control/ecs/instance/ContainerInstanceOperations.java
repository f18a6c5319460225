package dev.stevedore.control.ecs.instance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Ids;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.ecs.cluster.Clusters;
import dev.stevedore.control.ecs.tags.Tags;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Attribute;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.DeregisterContainerInstanceRequest;
import dev.stevedore.model.ecs.DeregisterContainerInstanceResponse;
import dev.stevedore.model.ecs.DiscoverPollEndpointRequest;
import dev.stevedore.model.ecs.DiscoverPollEndpointResponse;
import dev.stevedore.model.ecs.RegisterContainerInstanceRequest;
import dev.stevedore.model.ecs.RegisterContainerInstanceResponse;
import dev.stevedore.model.ecs.Tag;
import dev.stevedore.store.StateStore;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The agent-facing container instance calls: RegisterContainerInstance, DeregisterContainerInstance
 * and DiscoverPollEndpoint. The read and state calls live in {@link ContainerInstanceQueries}.
 */
public final class ContainerInstanceOperations {
    /**
     * The TCP ports the ECS agent reserves on Linux (SSH, Docker, Docker over TLS, its introspection
     * and credentials endpoints: amazon-ecs-agent agent/config/config_unix.go).
     */
    static final java.util.Set<Integer> RESERVED_PORTS = java.util.Set.of(22, 2375, 2376, 51678, 51679);
    private final StateStore store;
    private final Clock clock;
    private final Supplier<String> channelEndpoint;

    /**
     * @param channelEndpoint the URL agents connect their channel to (this server's own endpoint)
     */
    public ContainerInstanceOperations(StateStore store, Clock clock, Supplier<String> channelEndpoint) {
        this.store = store;
        this.clock = clock;
        this.channelEndpoint = channelEndpoint;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "RegisterContainerInstance",
                Operations.typed(RegisterContainerInstanceRequest.class, this::register),
                "DeregisterContainerInstance",
                Operations.typed(DeregisterContainerInstanceRequest.class, this::deregister),
                "DiscoverPollEndpoint", Operations.typed(DiscoverPollEndpointRequest.class, this::discover));
    }

    RegisterContainerInstanceResponse register(CallContext ctx, RegisterContainerInstanceRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.agentClusterName(scope, request.cluster());
        IdentityDocument identity = IdentityDocument.parse(request.instanceIdentityDocument());
        InstanceResources registered = InstanceResources.fromWire(request.totalResources())
                .orElseGet(() -> ofInstanceType(identity));
        List<Attribute> attributes = Attributes.merge(identity.attributes(), request.attributes());
        List<Tag> tags = Tags.checkNew(request.tags());
        ContainerInstance instance = StoreTx.run(store, tx -> {
            Clusters.requireActiveForAgent(tx, scope, cluster);
            Optional<ContainerInstance> existing = findExisting(tx, scope, cluster, request.containerInstanceArn(),
                    identity.instanceId());
            ContainerInstance next;
            if (existing.isPresent()) {
                ContainerInstance old = existing.get();
                InstanceResources oldRegistered = InstanceResources.fromWire(old.registeredResources()).orElseThrow();
                InstanceResources oldRemaining = InstanceResources.fromWire(old.remainingResources()).orElseThrow();
                next = old.toBuilder()
                        .registeredResources(registered.toWire())
                        .remainingResources(rebase(oldRemaining, oldRegistered, registered).toWire())
                        .attributes(Attributes.withCustom(attributes, old.attributes()))
                        .versionInfo(request.versionInfo())
                        .version(old.version() + 1)
                        .build();
            } else {
                String id = Ids.newId();
                next = ContainerInstance.builder()
                        .containerInstanceArn(Arns.containerInstance(scope, cluster, id))
                        .ec2InstanceId(identity.instanceId().orElseGet(IdentityDocument::newInstanceId))
                        .version(1L)
                        .versionInfo(request.versionInfo())
                        .registeredResources(registered.toWire())
                        .remainingResources(registered.toWire())
                        .status(InstanceStatus.ACTIVE)
                        .agentConnected(false)
                        .runningTasksCount(0)
                        .pendingTasksCount(0)
                        .attributes(attributes)
                        .registeredAt(clock.instant())
                        .attachments(List.of())
                        .build();
            }
            ContainerInstances.writeRegistration(tx, scope, next);
            if (!tags.isEmpty()) {
                Tags.add(tx, scope, next.containerInstanceArn(), tags);
            }
            return next;
        });
        return new RegisterContainerInstanceResponse(instance.toBuilder()
                .tags(tags.isEmpty() ? null : tags).build());
    }

    DeregisterContainerInstanceResponse deregister(CallContext ctx, DeregisterContainerInstanceRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, request.cluster());
        ContainerInstance result = StoreTx.run(store, tx -> {
            Clusters.requireActive(tx, scope, cluster);
            ContainerInstance instance = ContainerInstances.read(tx, scope, cluster, request.containerInstance())
                    .orElseThrow(() -> EcsErrors.invalidParameter("The referenced container instance "
                            + request.containerInstance() + " was not found in cluster " + cluster + "."));
            int tasks = instance.runningTasksCount() + instance.pendingTasksCount();
            if (tasks > 0 && !Boolean.TRUE.equals(request.force())) {
                throw EcsErrors.invalidParameter("Found running tasks on the instance. Use force to deregister "
                        + "the container instance; its tasks are then orphaned.");
            }
            if (InstanceStatus.INACTIVE.equals(instance.status())) {
                return instance;
            }
            ContainerInstance inactive = instance.toBuilder()
                    .status(InstanceStatus.INACTIVE)
                    .agentConnected(false)
                    .version(instance.version() + 1)
                    .build();
            tx.put(keyOf(scope, inactive), inactive);
            return inactive;
        });
        return new DeregisterContainerInstanceResponse(result);
    }

    DiscoverPollEndpointResponse discover(CallContext ctx, DiscoverPollEndpointRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        if (request.cluster() != null) {
            String cluster = Clusters.agentClusterName(scope, request.cluster());
            StoreTx.run(store, tx -> Clusters.requireActiveForAgent(tx, scope, cluster));
        }
        String endpoint = channelEndpoint.get();
        return new DiscoverPollEndpointResponse(endpoint, endpoint, endpoint);
    }

    /**
     * An instance that registers from its identity document alone (no CPU or MEMORY in
     * totalResources) has the resources of its instance type, as the ECS agent on that type would
     * register them: 1,024 CPU units per vCPU, the type's memory, the agent's reserved TCP ports and
     * no UDP ones.
     */
    private static InstanceResources ofInstanceType(IdentityDocument identity) {
        String type = identity.instanceType().orElseThrow(() -> EcsErrors.client(
                "totalResources must include the CPU and MEMORY resources of the container instance, "
                        + "or instanceIdentityDocument must name its instanceType."));
        Ec2InstanceTypes.InstanceType known = Ec2InstanceTypes.find(type).orElseThrow(() -> EcsErrors.client(
                "The instance type '" + type + "' of the instance identity document is not an EC2 instance type "
                        + "Stevedore knows: give totalResources with the CPU and MEMORY resources of the container "
                        + "instance."));
        return new InstanceResources(known.cpuUnits(), known.memoryMiB(), RESERVED_PORTS, java.util.Set.of());
    }

    private static Optional<ContainerInstance> findExisting(StoreTx tx, EcsScope scope, String cluster,
                                                            String arn, Optional<String> ec2InstanceId) {
        if (arn != null) {
            ContainerInstance instance = ContainerInstances.read(tx, scope, cluster, arn)
                    .orElseThrow(() -> EcsErrors.invalidParameter("The referenced container instance " + arn
                            + " was not found in cluster " + cluster + "."));
            if (InstanceStatus.INACTIVE.equals(instance.status())) {
                throw EcsErrors.client("The container instance " + arn + " is INACTIVE: it was deregistered. "
                        + "Register it again without containerInstanceArn.");
            }
            return Optional.of(instance);
        }
        if (ec2InstanceId.isEmpty()) {
            return Optional.empty();
        }
        // The same host registering again (an agent that lost its state) gets its instance back.
        return tx.read(EcsKeys.ec2InstanceIndex(scope, cluster, ec2InstanceId.get()), Ec2InstanceIndex.class)
                .flatMap(index -> ContainerInstances.read(tx, scope, cluster, index.containerInstanceArn()))
                .filter(i -> !InstanceStatus.INACTIVE.equals(i.status()));
    }

    /** The container instance an EC2 instance id registered as. */
    record Ec2InstanceIndex(String containerInstanceArn) {
    }

    /** Moves what tasks hold from the old registration onto the new one. */
    private static InstanceResources rebase(InstanceResources remaining, InstanceResources oldRegistered,
                                            InstanceResources registered) {
        java.util.Set<Integer> tcp = new java.util.TreeSet<>(remaining.tcpPorts());
        tcp.removeAll(oldRegistered.tcpPorts());
        tcp.addAll(registered.tcpPorts());
        java.util.Set<Integer> udp = new java.util.TreeSet<>(remaining.udpPorts());
        udp.removeAll(oldRegistered.udpPorts());
        udp.addAll(registered.udpPorts());
        return new InstanceResources(
                registered.cpu() - (oldRegistered.cpu() - remaining.cpu()),
                registered.memoryMiB() - (oldRegistered.memoryMiB() - remaining.memoryMiB()),
                tcp, udp);
    }

    static String keyOf(EcsScope scope, ContainerInstance instance) {
        Arns.Arn arn = Arns.parse(instance.containerInstanceArn()).orElseThrow();
        String[] parts = arn.resourceId().split("/", 2);
        return EcsKeys.containerInstance(scope, parts[0], parts[1]);
    }

    /**
     * The parts of an EC2 instance identity document the control plane uses. Agents send it as EC2's
     * metadata service gives it; its signature cannot be checked without EC2, so it is trusted as
     * the agent's statement (the agent is authenticated by SigV4).
     */
    record IdentityDocument(Optional<String> instanceId, Optional<String> instanceType, List<Attribute> attributes) {
        static IdentityDocument parse(String json) {
            if (json == null || json.isBlank()) {
                return new IdentityDocument(Optional.empty(), Optional.empty(), List.of());
            }
            JsonNode doc;
            try {
                doc = AwsJson.mapper().readTree(json);
            } catch (IOException e) {
                throw EcsErrors.client("instanceIdentityDocument is not a JSON document.");
            }
            Map<String, String> derived = new LinkedHashMap<>();
            text(doc, "availabilityZone").ifPresent(v -> derived.put("ecs.availability-zone", v));
            text(doc, "instanceType").ifPresent(v -> derived.put("ecs.instance-type", v));
            text(doc, "imageId").ifPresent(v -> derived.put("ecs.ami-id", v));
            text(doc, "architecture").ifPresent(v -> derived.put("ecs.cpu-architecture", v));
            List<Attribute> attributes = new ArrayList<>();
            derived.forEach((k, v) -> attributes.add(Attribute.builder().name(k).value(v).build()));
            return new IdentityDocument(text(doc, "instanceId"), text(doc, "instanceType"), attributes);
        }

        static String newInstanceId() {
            return "i-" + Ids.newId().substring(0, 17);
        }

        private static Optional<String> text(JsonNode doc, String field) {
            JsonNode v = doc.get(field);
            return v != null && v.isTextual() && !v.asText().isBlank() ? Optional.of(v.asText()) : Optional.empty();
        }
    }
}
