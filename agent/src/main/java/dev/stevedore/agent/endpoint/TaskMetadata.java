package dev.stevedore.agent.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.agent.engine.ContainerSnapshot;
import dev.stevedore.agent.engine.Labels;
import dev.stevedore.agent.engine.TaskSnapshot;
import dev.stevedore.agent.runtime.ContainerRuntime;
import dev.stevedore.agent.runtime.ContainerStatus;
import dev.stevedore.model.agent.NetworkInterfaceAssignment;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.NetworkBinding;
import dev.stevedore.model.ecs.TaskDefinition;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The task metadata v4 answers, with ECS's member names: a container ({@code ${ECS_CONTAINER_METADATA_URI_V4}}),
 * its task ({@code /task}), and Docker's stats JSON, one sample, for a container ({@code /stats}) or
 * for each container of the task by Docker id ({@code /task/stats}, {@code null} for a container
 * without stats, as ECS gives). Members ECS leaves out when it has no value are left out.
 */
final class TaskMetadata {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String AGENT_LABEL_PREFIX = "dev.stevedore.";

    private final ContainerRuntime runtime;
    private final String launchType;
    private final String availabilityZone;

    TaskMetadata(ContainerRuntime runtime, String launchType, String availabilityZone) {
        this.runtime = runtime;
        this.launchType = launchType;
        this.availabilityZone = availabilityZone;
    }

    ObjectNode task(TaskSnapshot t, List<ContainerStatus> docker) {
        TaskAssignment a = t.assignment().orElseThrow();
        TaskDefinition td = a.taskDefinition();
        ObjectNode out = JSON.createObjectNode();
        out.put("Cluster", clusterArn(t.taskArn()));
        out.put("TaskARN", t.taskArn());
        out.put("Family", td.family());
        // A string in ECS's answer, unlike the API's number.
        out.put("Revision", td.revision() == null ? "" : td.revision().toString());
        out.put("DesiredStatus", t.desiredStatus());
        out.put("KnownStatus", t.lastStatus());
        ObjectNode limits = JSON.createObjectNode();
        number(td.cpu()).ifPresent(cpu -> limits.put("CPU", cpu / 1024.0));
        number(td.memory()).ifPresent(memory -> limits.put("Memory", memory));
        if (!limits.isEmpty()) {
            out.set("Limits", limits);
        }
        t.pullStartedAt().ifPresent(i -> out.put("PullStartedAt", i.toString()));
        t.pullStoppedAt().ifPresent(i -> out.put("PullStoppedAt", i.toString()));
        t.executionStoppedAt().ifPresent(i -> out.put("ExecutionStoppedAt", i.toString()));
        out.put("LaunchType", launchType);
        out.put("AvailabilityZone", availabilityZone);
        ArrayNode containers = out.putArray("Containers");
        for (ContainerSnapshot c : t.containers()) {
            if (dockerContainer(docker, c.name()).isPresent()) {
                containers.add(container(t, c.name(), docker));
            }
        }
        return out;
    }

    /** The container's ARN as the control plane made it, when the assignment carries it. */
    private static Optional<String> containerArn(TaskAssignment a, String name) {
        return Optional.ofNullable(a.task().containers()).orElse(List.of()).stream()
                .filter(c -> name.equals(c.name())).map(c -> c.containerArn()).filter(java.util.Objects::nonNull)
                .findFirst();
    }

    ObjectNode container(TaskSnapshot t, String name, List<ContainerStatus> docker) {
        TaskAssignment a = t.assignment().orElseThrow();
        Optional<ContainerSnapshot> c = t.container(name);
        ContainerDefinition def = definition(a, name);
        Optional<ContainerStatus> status = dockerContainer(docker, name);
        ObjectNode out = JSON.createObjectNode();
        status.ifPresent(s -> out.put("DockerId", s.id()));
        out.put("Name", name);
        containerArn(a, name).ifPresent(arn -> out.put("ContainerARN", arn));
        status.ifPresent(s -> out.put("DockerName", s.name()));
        out.put("Image", def.image() == null ? "" : def.image());
        status.ifPresent(s -> out.put("ImageID", s.imageId()));
        List<NetworkBinding> bindings = c.map(ContainerSnapshot::networkBindings).orElse(List.of());
        if (!bindings.isEmpty()) {
            ArrayNode ports = out.putArray("Ports");
            for (NetworkBinding b : bindings) {
                ObjectNode p = ports.addObject();
                if (b.containerPort() != null) {
                    p.put("ContainerPort", b.containerPort());
                }
                if (b.protocol() != null) {
                    p.put("Protocol", b.protocol());
                }
                if (b.hostPort() != null) {
                    p.put("HostPort", b.hostPort());
                }
                if (b.bindIP() != null) {
                    p.put("HostIp", b.bindIP());
                }
            }
        }
        ObjectNode labels = out.putObject("Labels");
        status.ifPresent(s -> new TreeMap<>(s.labels()).forEach((k, v) -> {
            // The agent's own labels hold how it finds the container, which is none of the task's business.
            if (!k.startsWith(AGENT_LABEL_PREFIX)) {
                labels.put(k, v);
            }
        }));
        out.put("DesiredStatus", t.desiredStatus());
        out.put("KnownStatus", knownStatus(c, status));
        c.flatMap(x -> x.exitCode().isPresent() ? Optional.of(x.exitCode().getAsInt()) : Optional.empty())
                .ifPresent(code -> out.put("ExitCode", code));
        ObjectNode limits = out.putObject("Limits");
        limits.put("CPU", def.cpu() == null ? 0 : def.cpu());
        if (def.memory() != null) {
            limits.put("Memory", def.memory());
        }
        status.flatMap(ContainerStatus::createdAt).ifPresent(i -> out.put("CreatedAt", i.toString()));
        status.flatMap(ContainerStatus::startedAt).ifPresent(i -> out.put("StartedAt", i.toString()));
        status.filter(s -> s.state().terminal()).flatMap(ContainerStatus::finishedAt)
                .ifPresent(i -> out.put("FinishedAt", i.toString()));
        out.put("Type", "NORMAL");
        if (def.logConfiguration() != null && def.logConfiguration().logDriver() != null) {
            out.put("LogDriver", def.logConfiguration().logDriver());
            if (def.logConfiguration().options() != null) {
                ObjectNode options = out.putObject("LogOptions");
                def.logConfiguration().options().forEach(options::put);
            }
        }
        out.set("Networks", networks(a, status));
        return out;
    }

    String containerStats(String name, List<ContainerStatus> docker) {
        return dockerContainer(docker, name).map(s -> runtime.statsJson(s.id())).orElse("null");
    }

    String taskStats(List<ContainerStatus> docker) {
        ObjectNode out = JSON.createObjectNode();
        for (ContainerStatus s : docker) {
            out.set(s.id(), s.running() ? parse(runtime.statsJson(s.id())) : JSON.nullNode());
        }
        return out.toString();
    }

    /**
     * The engine's status, unless Docker already runs a container the engine has not yet
     * recorded as started (it publishes what it knows when a round of work ends).
     */
    private static String knownStatus(Optional<ContainerSnapshot> c, Optional<ContainerStatus> status) {
        String known = c.map(ContainerSnapshot::lastStatus).orElse("PENDING");
        boolean behind = known.equals("PENDING") || known.equals("NONE");
        return behind && status.map(ContainerStatus::running).orElse(false) ? "RUNNING" : known;
    }

    private static Optional<ContainerStatus> dockerContainer(List<ContainerStatus> docker, String name) {
        return docker.stream().filter(s -> name.equals(s.labels().get(Labels.CONTAINER_NAME))).findFirst();
    }

    private ArrayNode networks(TaskAssignment a, Optional<ContainerStatus> status) {
        ArrayNode networks = JSON.createArrayNode();
        String mode = a.taskDefinition().networkMode() == null ? "bridge" : a.taskDefinition().networkMode();
        Optional<NetworkInterfaceAssignment> eni = a.networkInterfaces().stream().findFirst();
        ObjectNode n = networks.addObject();
        n.put("NetworkMode", mode);
        if (eni.isPresent()) {
            NetworkInterfaceAssignment e = eni.get();
            n.putArray("IPv4Addresses").add(e.privateIpv4Address());
            n.put("AttachmentIndex", 0);
            n.put("MACAddress", e.macAddress());
            n.put("IPv4SubnetCIDRBlock", e.subnetCidrBlock());
            n.put("PrivateDNSName", e.privateDnsName());
            n.put("SubnetGatewayIpv4Address", gateway(e.subnetCidrBlock()));
        } else if (mode.equals("bridge")) {
            ArrayNode addresses = n.putArray("IPv4Addresses");
            status.map(s -> s.ipAddresses().get("bridge")).filter(ip -> !ip.isBlank()).ifPresent(addresses::add);
        }
        return networks;
    }

    /** The VPC router, the block's first address plus one, with the block's length: {@code 10.0.2.1/24}. */
    static String gateway(String cidrBlock) {
        String[] parts = cidrBlock.split("/");
        String[] octets = parts[0].split("\\.");
        long base = 0;
        for (String o : octets) {
            base = (base << 8) | Integer.parseInt(o);
        }
        long g = base + 1;
        return ((g >> 24) & 0xff) + "." + ((g >> 16) & 0xff) + "." + ((g >> 8) & 0xff) + "." + (g & 0xff) + "/" + parts[1];
    }

    /** {@code arn:aws:ecs:region:account:cluster/name}, from the task's ARN ({@code …:task/name/id}). */
    static String clusterArn(String taskArn) {
        int colon = taskArn.indexOf(":task/");
        String[] path = taskArn.substring(colon + ":task/".length()).split("/");
        return taskArn.substring(0, colon) + ":cluster/" + (path.length > 1 ? path[0] : "default");
    }

    private static ContainerDefinition definition(TaskAssignment a, String name) {
        List<ContainerDefinition> defs = a.taskDefinition().containerDefinitions() == null ? List.of()
                : a.taskDefinition().containerDefinitions();
        return defs.stream().filter(d -> name.equals(d.name())).findFirst()
                .orElseGet(() -> ContainerDefinition.builder().name(name).build());
    }

    private static Optional<Integer> number(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("Docker's stats are not JSON: " + e.getMessage(), e);
        }
    }
}
