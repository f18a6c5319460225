package dev.stevedore.agent.runtime;

import static dev.stevedore.agent.runtime.DockerTestSupport.run;
import static dev.stevedore.agent.runtime.DockerTestSupport.runToExit;
import static dev.stevedore.agent.runtime.DockerTestSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Network modes; all traffic stays between containers the test made. */
class NetworkingIT extends RuntimeITBase {

    /** busybox wget, retried while the server starts; its -T option crashes busybox 1.35, so no timeout flag. */
    private static String fetch(String url) {
        return "for i in $(seq 1 50); do wget -q -O- " + url + " && exit 0; sleep 0.1; done; exit 1";
    }

    private String startWebServer(String purpose) {
        return run(runtime, spec(purpose).command("httpd", "-f", "-p", "8080", "-h", "/var/www").build());
    }

    @Test
    void bridgeContainerGetsAnAddressOnTheBridgeNetwork() {
        String server = startWebServer("bridge-ip");

        assertThat(runtime.inspectContainer(server).ipAddresses()).containsKey("bridge");
    }

    @Test
    void linkMakesAContainerReachableUnderItsAlias() {
        String server = startWebServer("linked");
        String serverName = runtime.inspectContainer(server).name();

        ContainerStatus client = runToExit(runtime, spec("link-client")
                .link(new ContainerLink(serverName, "backend"))
                .command("sh", "-c", fetch("http://backend:8080/"))
                .build());

        assertThat(client.exitCode()).hasValue(0);
        assertThat(runtime.logs(client.id()).stdout()).contains("stevedore test page");
    }

    @Test
    void containerNetworkModeSharesTheOtherContainersLoopback() {
        String server = startWebServer("netns-owner");

        ContainerStatus client = runToExit(runtime, spec("netns-joiner")
                .networkMode(NetworkMode.container(server))
                .command("sh", "-c", fetch("http://127.0.0.1:8080/"))
                .build());

        assertThat(client.exitCode()).hasValue(0);
        assertThat(runtime.logs(client.id()).stdout()).contains("stevedore test page");
        assertThat(runtime.inspectContainer(client.id()).ipAddresses()).isEmpty();
    }

    @Test
    void noneModeHasOnlyLoopback() {
        ContainerStatus done = runToExit(runtime, spec("none")
                .networkMode(NetworkMode.none())
                .command("sh", "-c", "ls /sys/class/net")
                .build());

        assertThat(runtime.logs(done.id()).stdout().lines()).containsExactly("lo");
    }

    @Test
    void hostModeSeesTheHostsInterfaces() {
        ContainerStatus done = runToExit(runtime, spec("host")
                .networkMode(NetworkMode.host())
                .command("sh", "-c", "ls /sys/class/net")
                .build());

        assertThat(runtime.logs(done.id()).stdout().lines()).contains("lo", "docker0");
    }
}
