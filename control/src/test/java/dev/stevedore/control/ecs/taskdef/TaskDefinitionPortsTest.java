package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.CLIENT;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.INVALID_PARAMETER;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.assertRejected;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.container;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.request;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.valid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.NetworkMode;
import dev.stevedore.model.ecs.PortMapping;
import dev.stevedore.model.ecs.TaskDefinition;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskDefinitionPortsTest {

    private static PortMapping port(int containerPort) {
        return PortMapping.builder().containerPort(containerPort).build();
    }

    private static PortMapping port(int containerPort, int hostPort) {
        return PortMapping.builder().containerPort(containerPort).hostPort(hostPort).build();
    }

    private static PortMapping range(String range) {
        return PortMapping.builder().containerPortRange(range).build();
    }

    private static ContainerDefinition withPorts(String name, PortMapping... mappings) {
        return container(name).portMappings(List.of(mappings)).build();
    }

    private static PortMapping storedPort(TaskDefinition definition) {
        return definition.containerDefinitions().get(0).portMappings().get(0);
    }

    @Test
    void absentNetworkModeStaysAbsentAndGivesDynamicHostPortZeroWithTcp() {
        TaskDefinition stored = valid(request(withPorts("app", port(80))));
        assertThat(stored.networkMode()).isNull();
        assertThat(storedPort(stored)).isEqualTo(PortMapping.builder().containerPort(80).hostPort(0).protocol("tcp").build());
    }

    @Test
    void bridgeKeepsAStaticHostPortThatDiffersFromTheContainerPort() {
        TaskDefinition stored = valid(request(withPorts("app", port(80, 8080))).networkMode(NetworkMode.BRIDGE));
        assertThat(storedPort(stored).hostPort()).isEqualTo(8080);
    }

    @Test
    void explicitUdpProtocolIsKept() {
        PortMapping udp = PortMapping.builder().containerPort(53).protocol("udp").build();
        assertThat(storedPort(valid(request(withPorts("dns", udp)))).protocol()).isEqualTo("udp");
    }

    @ParameterizedTest
    @ValueSource(strings = {NetworkMode.AWSVPC, NetworkMode.HOST})
    void hostPortIsFilledWithTheContainerPortWhereTheyMustMatch(String mode) {
        TaskDefinition stored = valid(request(withPorts("app", port(8080))).networkMode(mode));
        assertThat(storedPort(stored)).isEqualTo(PortMapping.builder().containerPort(8080).hostPort(8080).protocol("tcp").build());
    }

    @ParameterizedTest
    @ValueSource(strings = {NetworkMode.AWSVPC, NetworkMode.HOST})
    void equalHostAndContainerPortsAreAcceptedWhereTheyMustMatch(String mode) {
        assertThat(storedPort(valid(request(withPorts("app", port(443, 443))).networkMode(mode))).hostPort()).isEqualTo(443);
    }

    @ParameterizedTest
    @ValueSource(strings = {NetworkMode.AWSVPC, NetworkMode.HOST})
    void differentHostPortIsRejectedWhereTheyMustMatch(String mode) {
        assertRejected(request(withPorts("app", port(80, 8080))).networkMode(mode), CLIENT,
                "When networkMode=" + mode + ", the host ports and container ports in port mappings must match.");
    }

    @Test
    void noneModeAcceptsContainersWithoutPortMappings() {
        assertThat(valid(request(container("batch").build()).networkMode(NetworkMode.NONE)).containerDefinitions().get(0).portMappings())
                .isEmpty();
    }

    @Test
    void noneModeRejectsPortMappings() {
        assertRejected(request(withPorts("app", port(80))).networkMode(NetworkMode.NONE), CLIENT,
                "Port mappings are not supported when networkMode=none.");
    }

    @Test
    void mappingWithoutContainerPortIsRejected() {
        assertRejected(request(withPorts("container_1", PortMapping.builder().hostPort(7000).build())), CLIENT,
                "Invalid 'containerPort' setting for container 'container_1'.");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536})
    void containerPortOutsideOneTo65535IsRejected(int containerPort) {
        assertRejected(request(withPorts("app", port(containerPort))), CLIENT, "Invalid 'containerPort' setting for container 'app'.");
    }

    @Test
    void hostPortAbove65535IsRejected() {
        assertRejected(request(withPorts("app", port(80, 70000))), CLIENT, "Invalid 'hostPort' setting for container 'app'.");
    }

    @Test
    void sameContainerPortOverTcpAndUdpIsAccepted() {
        PortMapping udp = PortMapping.builder().containerPort(53).protocol("udp").build();
        assertThat(valid(request(withPorts("dns", port(53), udp))).containerDefinitions().get(0).portMappings()).hasSize(2);
    }

    @Test
    void sameContainerPortAndProtocolTwiceIsRejected() {
        assertRejected(request(withPorts("coredns", port(53), port(53, 5353))), INVALID_PARAMETER,
                "Container port 53 is used in more than one port mapping for container coredns");
    }

    @Test
    void sameStaticHostPortInTwoContainersIsRejected() {
        assertRejected(request(withPorts("a", port(80, 3000)), withPorts("b", port(8080, 3000))), CLIENT,
                "TCP host port '3000' is mapped multiple times in task.");
    }

    @Test
    void sameContainerPortInTwoAwsvpcContainersIsRejectedAsAHostPortClash() {
        assertRejected(request(withPorts("a", port(80)), withPorts("b", port(80))).networkMode(NetworkMode.AWSVPC), CLIENT,
                "TCP host port '80' is mapped multiple times in task.");
    }

    @Test
    void dynamicHostPortsInTwoBridgeContainersDoNotClash() {
        assertThat(valid(request(withPorts("a", port(80)), withPorts("b", port(80)))).containerDefinitions()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {NetworkMode.BRIDGE, NetworkMode.AWSVPC})
    void containerPortRangeIsAcceptedOnBridgeAndAwsvpcWithoutAHostPort(String mode) {
        PortMapping stored = storedPort(valid(request(withPorts("media", range("5000-5100"))).networkMode(mode)));
        assertThat(stored).isEqualTo(PortMapping.builder().containerPortRange("5000-5100").protocol("tcp").build());
    }

    @Test
    void containerPortRangeIsRejectedOnHost() {
        assertRejected(request(withPorts("media", range("5000-5100"))).networkMode(NetworkMode.HOST), CLIENT,
                "Invalid 'containerPortRange' setting for container 'media'. Port ranges are only supported when networkMode is bridge or awsvpc.");
    }

    @Test
    void containerPortRangeWithHostPortIsRejected() {
        assertRejected(request(withPorts("media", range("5000-5100").toBuilder().hostPort(5000).build())), CLIENT,
                "Invalid 'containerPortRange' setting for container 'media'. A hostPort cannot be specified with a containerPortRange.");
    }

    @Test
    void containerPortRangeWithContainerPortIsRejected() {
        assertRejected(request(withPorts("media", range("5000-5100").toBuilder().containerPort(5000).build())), CLIENT,
                "Invalid 'containerPortRange' setting for container 'media'. A port mapping cannot have both a containerPort and a containerPortRange.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5100-5000", "5000-5000", "0-10", "65000-65536", "5000", "a-b", "5000-"})
    void malformedOrEmptyRangeIsRejected(String text) {
        assertRejected(request(withPorts("media", range(text))), CLIENT,
                "Invalid 'containerPortRange' setting for container 'media'. The range must be written start-end, with 1 <= start < end <= 65535.");
    }

    @Test
    void overlappingRangesAreRejected() {
        assertRejected(request(withPorts("media", range("5000-5100"), range("5100-5200"))), CLIENT,
                "Invalid 'containerPortRange' setting for container 'media'. Port ranges must not overlap.");
    }

    @Test
    void rangeCoveringASinglePortMappingIsRejected() {
        assertRejected(request(withPorts("media", range("5000-5100"), port(5050))), CLIENT,
                "Invalid 'containerPortRange' setting for container 'media'. Port ranges must not overlap.");
    }

    @Test
    void adjacentRangesAreAccepted() {
        assertThat(valid(request(withPorts("media", range("5000-5099"), range("5100-5199")))).containerDefinitions()).hasSize(1);
    }

    @Test
    void oneHundredRangesAreAccepted() {
        assertThat(valid(request(withPorts("media", ranges(100)))).containerDefinitions().get(0).portMappings()).hasSize(100);
    }

    @Test
    void moreThanOneHundredRangesAreRejected() {
        assertRejected(request(withPorts("media", ranges(101))), CLIENT,
                "Invalid 'containerPortRange' setting for container 'media'. A container can have at most 100 port ranges.");
    }

    private static PortMapping[] ranges(int count) {
        return IntStream.range(0, count).mapToObj(i -> range((10000 + 10 * i) + "-" + (10005 + 10 * i))).toArray(PortMapping[]::new);
    }

    @Test
    void linksAreAcceptedOnBridge() {
        ContainerDefinition web = container("web").links(List.of("db:database")).build();
        assertThat(valid(request(web, container("db").build())).containerDefinitions().get(0).links()).containsExactly("db:database");
    }

    @ParameterizedTest
    @ValueSource(strings = {NetworkMode.AWSVPC, NetworkMode.HOST, NetworkMode.NONE})
    void linksAreRejectedOutsideBridge(String mode) {
        ContainerDefinition web = container("web").links(List.of("db")).build();
        assertRejected(request(web, container("db").build()).networkMode(mode), CLIENT,
                "Links are not supported when networkMode=" + mode + ".");
    }

    @Test
    void hostnameIsAcceptedOnBridge() {
        assertThat(valid(request(container("app").hostname("app1").build())).containerDefinitions().get(0).hostname()).isEqualTo("app1");
    }

    @Test
    void hostnameIsRejectedOnAwsvpc() {
        assertRejected(request(container("app").hostname("app1").build()).networkMode(NetworkMode.AWSVPC), CLIENT,
                "hostname is not supported on container when networkMode=awsvpc.");
    }
}
