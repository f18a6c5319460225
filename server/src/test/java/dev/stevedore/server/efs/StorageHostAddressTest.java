package dev.stevedore.server.efs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageHostAddressTest {
    private static final String ROUTES = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
            docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
            eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
            """;

    /** The host of the CI failure: a test's bridge and Docker's sort before the host's own address. */
    private static Map<String, List<String>> interfaces() {
        Map<String, List<String>> byInterface = new LinkedHashMap<>();
        byInterface.put("eth0", List.of("192.0.2.2"));
        byInterface.put("docker0", List.of("172.17.0.1"));
        byInterface.put("stvf1a2b3c4d", List.of("100.127.251.1"));
        byInterface.put("br-0123abcd", List.of("10.197.1.1"));
        return byInterface;
    }

    @Test
    void theDefaultRoutesInterfaceGivesTheAddressThoughOthersSortFirst() {
        assertThat(StorageHostAddress.defaultRouteInterface(ROUTES)).hasValue("eth0");
        assertThat(StorageHostAddress.choose(ROUTES, interfaces())).hasValue("192.0.2.2");
    }

    @Test
    void withoutADefaultRouteDockersBridgesAreLeftOut() {
        Map<String, List<String>> noEth = new LinkedHashMap<>(interfaces());
        noEth.remove("eth0");
        noEth.put("ens3", List.of("198.51.100.7"));
        assertThat(StorageHostAddress.choose("", noEth)).hasValue("100.127.251.1");
        noEth.remove("stvf1a2b3c4d");
        assertThat(StorageHostAddress.choose("", noEth)).hasValue("198.51.100.7");
        assertThat(StorageHostAddress.choose("", Map.of("docker0", List.of("172.17.0.1")))).hasValue("172.17.0.1");
        assertThat(StorageHostAddress.choose("", Map.of())).isEmpty();
    }
}
