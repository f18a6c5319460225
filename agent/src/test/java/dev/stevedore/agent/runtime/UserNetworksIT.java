package dev.stevedore.agent.runtime;

import static dev.stevedore.agent.runtime.DockerTestSupport.run;
import static dev.stevedore.agent.runtime.DockerTestSupport.spec;
import static dev.stevedore.agent.runtime.DockerTestSupport.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** User-defined bridge networks with fixed blocks, on test-only blocks (10.213.20–21.0/24) it removes again. */
class UserNetworksIT extends RuntimeITBase {

    private final List<String> networks = new ArrayList<>();

    @AfterEach
    void removeNetworks() {
        DockerTestSupport.removeTestContainers(runtime);
        networks.forEach(runtime::removeNetwork);
    }

    private NetworkSpec network(String block, String gateway) {
        String name = uniqueName("net");
        networks.add(name);
        return new NetworkSpec(name, block, gateway, Map.of("dev.stevedore.test", "yes"));
    }

    @Test
    void racingCreatesOfOneNetworkAllGetTheSameNetwork() throws Exception {
        NetworkSpec spec = network("10.213.20.0/24", "10.213.20.1");
        List<Future<NetworkInfo>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Callable<NetworkInfo> ensure = () -> runtime.ensureNetwork(spec);
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(ensure));
            }
        }
        List<String> ids = new ArrayList<>();
        for (Future<NetworkInfo> f : results) {
            ids.add(f.get().id());
        }

        assertThat(ids).hasSize(4).containsOnly(ids.getFirst());
        assertThat(runtime.inspectNetwork(spec.name())).hasValueSatisfying(n -> {
            assertThat(n.subnets()).containsExactly("10.213.20.0/24");
            assertThat(n.labels()).containsEntry("dev.stevedore.test", "yes");
        });
    }

    @Test
    void aBlockOverlappingAnotherNetworkIsRefusedWithTheEnginesReason() {
        runtime.ensureNetwork(network("10.213.21.0/24", "10.213.21.1"));
        NetworkSpec overlapping = network("10.213.21.128/25", "10.213.21.129");

        assertThatThrownBy(() -> runtime.ensureNetwork(overlapping))
                .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ContainerRuntimeException.Kind.CREATE_FAILED);
                    assertThat(e.getMessage()).containsIgnoringCase("overlaps");
                });
    }

    @Test
    void aContainerGetsItsFixedAddressAndMacOnTheNetwork() {
        NetworkSpec spec = network("10.213.20.0/24", "10.213.20.1");
        runtime.ensureNetwork(spec);

        String id = run(runtime, spec("fixed").networkMode(new NetworkMode.Network(spec.name()))
                .address(new NetworkAddress("10.213.20.30", "0a:58:0a:d5:14:1e"))
                .command("sleep", "60").build());

        assertThat(runtime.inspectContainer(id).ipAddresses()).containsEntry(spec.name(), "10.213.20.30");
        assertThatThrownBy(() -> runtime.removeNetwork(spec.name()))
                .isInstanceOfSatisfying(ContainerRuntimeException.class,
                        e -> assertThat(e.kind()).isEqualTo(ContainerRuntimeException.Kind.CONFLICT));
    }
}
