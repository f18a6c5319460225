package dev.stevedore.lb;

import static dev.stevedore.lb.Fixtures.config;
import static dev.stevedore.lb.Fixtures.get;
import static dev.stevedore.lb.Fixtures.group;
import static dev.stevedore.lb.Fixtures.listener;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.lb.config.Action;
import dev.stevedore.lb.config.Target;
import dev.stevedore.lb.config.TargetGroup;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ALB's statuses when no answer comes from a target. */
class StatusTest extends PlaneTestBase {

    @Test
    void noRegisteredTargetIs503() throws Exception {
        plane.apply(config(List.of(listener(port, Action.Forward.to("empty"))), group("empty")));

        HttpResponse<String> response = get(client, port, "/");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Server")).hasValue("awselb/2.0");
    }

    @Test
    void onlyDrainingTargetsIs503() throws Exception {
        TestBackend a = backend("a");
        TargetGroup draining = TargetGroup.of("web", List.of(Target.at("127.0.0.1", a.port()).drained()));
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))), draining));

        assertThat(get(client, port, "/").statusCode()).isEqualTo(503);
        assertThat(a.hits()).isZero();
    }

    @Test
    void refusedConnectionIs502AndTheClientConnectionStaysUsable() throws Exception {
        int nobody = Fixtures.freePort();
        TestBackend a = backend("a");
        plane.apply(config(List.of(listener(port, Action.Forward.to("gone"))),
                TargetGroup.of("gone", List.of(Target.at("127.0.0.1", nobody)))));

        assertThat(get(client, port, "/").statusCode()).isEqualTo(502);

        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))), group("web", a)));
        assertThat(get(client, port, "/").body()).isEqualTo("a");
    }

    @Test
    void silentTargetIs504AfterTheIdleTimeout() throws Exception {
        TestBackend a = backend("a");
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))), group("web", a))
                .withIdleTimeout(Duration.ofMillis(300)));

        assertThat(get(client, port, "/slow").statusCode()).isEqualTo(504);
        assertThat(get(client, port, "/").statusCode()).isEqualTo(200);
    }

    @Test
    void eachListenerKeepsItsOwnLoadBalancersIdleTimeout() throws Exception {
        TestBackend a = backend("a");
        int patient = Fixtures.freePort();
        plane.apply(config(List.of(listener(port, Action.Forward.to("web")).withIdleTimeout(Duration.ofMillis(300)),
                listener(patient, Action.Forward.to("web")).withIdleTimeout(Duration.ofSeconds(30))), group("web", a)));

        // The target takes 5 s: past one load balancer's idle timeout, well within the other's.
        assertThat(get(client, port, "/slow").statusCode()).isEqualTo(504);
        assertThat(get(Fixtures.client(), patient, "/slow").statusCode()).isEqualTo(200);
    }

    @Test
    void targetClosingBeforeItsResponseIs502() throws Exception {
        ServerSocket rude = closeLater(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread closer = Thread.ofVirtual().start(() -> {
            while (!rude.isClosed()) {
                try (Socket socket = rude.accept()) {
                    InputStream in = socket.getInputStream();
                    in.read(new byte[4096]);
                } catch (Exception closed) {
                    return;
                }
            }
        });
        plane.apply(config(List.of(listener(port, Action.Forward.to("rude"))),
                TargetGroup.of("rude", List.of(Target.at("127.0.0.1", rude.getLocalPort())))));

        assertThat(get(client, port, "/").statusCode()).isEqualTo(502);
        closer.interrupt();
    }

    @Test
    void aResponseThatIsNotHttpIs502() throws Exception {
        RawTarget garbled = closeLater(new RawTarget("SSH-2.0-OpenSSH_9.6\r\n\r\n"));
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))),
                TargetGroup.of("web", List.of(Target.at("127.0.0.1", garbled.port())))));

        assertThat(get(client, port, "/").statusCode()).isEqualTo(502);
    }

    @Test
    void removedListenerStopsAcceptingAndAnotherStarts() throws Exception {
        TestBackend a = backend("a");
        int second = Fixtures.freePort();
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))), group("web", a)));
        assertThat(get(client, port, "/").body()).isEqualTo("a");

        plane.apply(config(List.of(listener(second, Action.Forward.to("web"))), group("web", a)));

        assertThat(get(Fixtures.client(), second, "/").body()).isEqualTo("a");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
                .isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void idleClientConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        TestBackend a = backend("a");
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))), group("web", a))
                .withIdleTimeout(Duration.ofMillis(300)));

        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String response = new String(in.readNBytes(200), java.nio.charset.StandardCharsets.ISO_8859_1);

            assertThat(response).startsWith("HTTP/1.1 200").endsWith("\r\n\r\na");
            assertThat(in.read()).isEqualTo(-1);
        }
    }
}
