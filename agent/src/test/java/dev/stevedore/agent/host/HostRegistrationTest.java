package dev.stevedore.agent.host;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.agent.runtime.HostInfo;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.model.ecs.Attribute;
import dev.stevedore.model.ecs.RegisterContainerInstanceRequest;
import dev.stevedore.model.ecs.Resource;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class HostRegistrationTest {
    static final HostInfo HOST = new HostInfo(8_000, 4, "20.10.24", "1.41", 1, "cgroupfs", "6.1.0", "Debian", "x86_64");

    @Test
    void registersTheHostsCoresAndMemoryLessAReserveAndTheEcsAgentsReservedPorts() {
        RegisterContainerInstanceRequest request = HostRegistration.request(input(HOST, OptionalInt.empty(),
                OptionalInt.empty(), Map.of()));

        Map<String, Resource> resources = request.totalResources().stream()
                .collect(Collectors.toMap(Resource::name, r -> r));
        assertThat(resources.get("CPU").integerValue()).isEqualTo(4096);
        assertThat(resources.get("MEMORY").integerValue()).isEqualTo(8_000 - 256);
        assertThat(resources.get("PORTS").stringSetValue()).containsExactly("22", "2375", "2376", "51678", "51679");
        assertThat(resources.get("PORTS_UDP").stringSetValue()).isEmpty();
        assertThat(resources.values()).extracting(Resource::type).containsOnly("INTEGER", "STRINGSET");
    }

    @Test
    void aSmallHostKeepsATenthBackAndExplicitValuesWin() {
        HostInfo small = new HostInfo(1_000, 1, "20.10.24", "1.41", 2, "systemd", "6.1.0", "Debian", "aarch64");
        assertThat(HostRegistration.resources(input(small, OptionalInt.empty(), OptionalInt.empty(), Map.of())))
                .filteredOn(r -> r.name().equals("MEMORY")).extracting(Resource::integerValue).containsExactly(900);

        assertThat(HostRegistration.resources(input(HOST, OptionalInt.of(512), OptionalInt.of(2048), Map.of())))
                .extracting(Resource::integerValue).startsWith(512, 2048);
    }

    @Test
    void theIdentityDocumentLooksLikeEc2s() throws Exception {
        RegisterContainerInstanceRequest request = HostRegistration.request(input(HOST, OptionalInt.empty(),
                OptionalInt.empty(), Map.of("ecs.availability-zone", "us-east-1c")));

        JsonNode doc = AwsJson.mapper().readTree(request.instanceIdentityDocument());
        assertThat(doc.get("instanceId").asText()).isEqualTo("i-0123456789abcdef0");
        assertThat(doc.get("availabilityZone").asText()).isEqualTo("us-east-1c");
        assertThat(doc.get("instanceType").asText()).isEqualTo("stevedore.host");
        assertThat(doc.get("region").asText()).isEqualTo("us-east-1");
        assertThat(doc.get("architecture").asText()).isEqualTo("x86_64");
    }

    @Test
    void attributesNameTheOsTheHostAndWhatTheEngineCanDo() {
        RegisterContainerInstanceRequest request = HostRegistration.request(input(HOST, OptionalInt.empty(),
                OptionalInt.empty(), Map.of("team", "web", "ecs.instance-type", "m5.large")));

        Map<String, String> attributes = request.attributes().stream()
                .collect(Collectors.toMap(Attribute::name, a -> a.value() == null ? "" : a.value()));
        assertThat(attributes).containsEntry("ecs.os-type", "linux")
                .containsEntry("ecs.os-family", "LINUX")
                .containsEntry("ecs.cpu-architecture", "x86_64")
                .containsEntry("ecs.availability-zone", "us-east-1a")
                .containsEntry("ecs.instance-type", "m5.large")
                .containsEntry("team", "web")
                .containsKeys("com.amazonaws.ecs.capability.docker-remote-api.1.17",
                        "com.amazonaws.ecs.capability.docker-remote-api.1.41",
                        "ecs.capability.container-health-check", "ecs.capability.container-ordering",
                        "com.amazonaws.ecs.capability.privileged-container", "ecs.capability.task-eni")
                .doesNotContainKeys("com.amazonaws.ecs.capability.docker-remote-api.1.42",
                        "com.amazonaws.ecs.capability.logging-driver.awslogs");
        assertThat(request.versionInfo().dockerVersion()).isEqualTo("DockerVersion: 20.10.24");
        assertThat(request.containerInstanceArn()).isNull();
    }

    @Test
    void aKnownInstanceIsRegisteredAgainByItsArn() {
        HostRegistration.Input in = new HostRegistration.Input("default", Optional.of("arn:ci"), "i-0123456789abcdef0",
                "us-east-1", HOST, OptionalInt.empty(), OptionalInt.empty(), Map.of(), false, false, "1.0");

        assertThat(HostRegistration.request(in).containerInstanceArn()).isEqualTo("arn:ci");
        assertThat(HostRegistration.request(in).cluster()).isEqualTo("default");
    }

    @Test
    void architecturesAreSpelledAsEcsSpellsThem() {
        assertThat(HostRegistration.ecsArchitecture("aarch64")).isEqualTo("arm64");
        assertThat(HostRegistration.ecsArchitecture("x86_64")).isEqualTo("x86_64");
    }

    private static HostRegistration.Input input(HostInfo host, OptionalInt cpu, OptionalInt memory,
                                                Map<String, String> attributes) {
        return new HostRegistration.Input("default", Optional.empty(), "i-0123456789abcdef0", "us-east-1", host, cpu,
                memory, attributes, false, false, "1.0");
    }
}
