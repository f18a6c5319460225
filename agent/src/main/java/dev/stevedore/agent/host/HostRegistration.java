package dev.stevedore.agent.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.stevedore.agent.runtime.HostInfo;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.model.ecs.Attribute;
import dev.stevedore.model.ecs.RegisterContainerInstanceRequest;
import dev.stevedore.model.ecs.Resource;
import dev.stevedore.model.ecs.VersionInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The RegisterContainerInstance request for this host (pure): its resources, its identity in the
 * shape of an EC2 instance identity document, its attributes and capabilities, and the versions,
 * the way the ECS agent registers an EC2 instance.
 */
public final class HostRegistration {
    /** The ECS agent's reserved TCP ports on Linux: SSH, Docker, Docker TLS, introspection, credentials. */
    static final List<String> RESERVED_PORTS = List.of("22", "2375", "2376", "51678", "51679");
    /** Kept back from the host's memory for the kernel, Docker and the agent itself. */
    static final int MEMORY_RESERVE_MIB = 256;
    static final String AVAILABILITY_ZONE = "ecs.availability-zone";
    static final String INSTANCE_TYPE = "ecs.instance-type";
    /** What a Stevedore host calls its instance type unless told otherwise. */
    static final String DEFAULT_INSTANCE_TYPE = "stevedore.host";

    /**
     * Everything the request is made of.
     *
     * @param existingArn the instance registered before, to register again rather than anew
     * @param taskLimits  whether task-level cpu and memory limits are enforced here
     * @param agentVersion this agent's version
     */
    public record Input(String cluster, Optional<String> existingArn, String instanceId, String region, HostInfo host,
                        OptionalInt cpu, OptionalInt memoryMiB, Map<String, String> attributes, boolean taskLimits,
                        boolean taskRoles, String agentVersion) {
    }

    private HostRegistration() {
    }

    public static RegisterContainerInstanceRequest request(Input in) {
        String zone = in.attributes().getOrDefault(AVAILABILITY_ZONE, in.region() + "a");
        String type = in.attributes().getOrDefault(INSTANCE_TYPE, DEFAULT_INSTANCE_TYPE);
        String architecture = ecsArchitecture(in.host().architecture());
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("ecs.os-type", "linux");
        attributes.put("ecs.os-family", "LINUX");
        attributes.put("ecs.cpu-architecture", architecture);
        attributes.put(INSTANCE_TYPE, type);
        attributes.put(AVAILABILITY_ZONE, zone);
        for (String capability : Capabilities.of(in.host(), in.taskLimits(), in.taskRoles())) {
            attributes.put(capability, null);
        }
        attributes.putAll(in.attributes());
        List<Attribute> wire = new ArrayList<>();
        attributes.forEach((name, value) -> wire.add(Attribute.builder().name(name).value(value).build()));

        Map<String, String> document = new LinkedHashMap<>();
        document.put("instanceId", in.instanceId());
        document.put("availabilityZone", zone);
        document.put("instanceType", type);
        document.put("region", in.region());
        document.put("architecture", architecture);

        return RegisterContainerInstanceRequest.builder()
                .cluster(in.cluster())
                .containerInstanceArn(in.existingArn().orElse(null))
                .instanceIdentityDocument(json(document))
                .totalResources(resources(in))
                .versionInfo(VersionInfo.builder()
                        .agentVersion(in.agentVersion())
                        .agentHash("stevedore")
                        .dockerVersion("DockerVersion: " + in.host().serverVersion())
                        .build())
                .attributes(wire)
                .build();
    }

    static List<Resource> resources(Input in) {
        int cpu = in.cpu().orElse(in.host().cpuCount() * 1024);
        long total = in.host().totalMemoryMiB();
        int memory = in.memoryMiB().orElse((int) Math.max(0, total - Math.min(MEMORY_RESERVE_MIB, total / 10)));
        return List.of(
                Resource.builder().name("CPU").type("INTEGER").integerValue(cpu).build(),
                Resource.builder().name("MEMORY").type("INTEGER").integerValue(memory).build(),
                Resource.builder().name("PORTS").type("STRINGSET").stringSetValue(RESERVED_PORTS).build(),
                Resource.builder().name("PORTS_UDP").type("STRINGSET").stringSetValue(List.of()).build());
    }

    /** ECS spells architectures as EC2 does: x86_64 and arm64 (Docker says aarch64). */
    static String ecsArchitecture(String docker) {
        return switch (docker) {
            case "aarch64", "arm64" -> "arm64";
            case "x86_64", "amd64", "" -> "x86_64";
            default -> docker;
        };
    }

    private static String json(Map<String, String> document) {
        try {
            return AwsJson.mapper().writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the instance identity document", e);
        }
    }
}
