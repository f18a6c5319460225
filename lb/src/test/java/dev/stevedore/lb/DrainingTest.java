package dev.stevedore.lb;

import static dev.stevedore.lb.Fixtures.config;
import static dev.stevedore.lb.Fixtures.group;
import static dev.stevedore.lb.Fixtures.listener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stevedore.lb.config.Action;
import dev.stevedore.lb.config.Target;
import dev.stevedore.lb.config.TargetGroup;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Deregistration: a draining target finishes what it has, gets nothing new, and is cut at the delay's end. */
class DrainingTest extends PlaneTestBase {

    private CompletableFuture<HttpResponse<String>> hold() {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hold"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Serves group "web" by {@code a} alone, and has a request held there. */
    private CompletableFuture<HttpResponse<String>> holdOnly(TestBackend a) throws Exception {
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))), group("web", a)));
        CompletableFuture<HttpResponse<String>> held = hold();
        assertThat(a.holding.await(10, TimeUnit.SECONDS)).isTrue();
        return held;
    }

    @Test
    void inFlightRequestFinishesWhileNewOnesGoElsewhere() throws Exception {
        TestBackend a = backend("a");
        TestBackend b = backend("b");
        CompletableFuture<HttpResponse<String>> held = holdOnly(a);
        assertThat(plane.reading("web", "127.0.0.1", a.port()).orElseThrow().inFlight()).isEqualTo(1);

        TargetGroup drained = group("web", a, b).withTargets(List.of(
                Target.at("127.0.0.1", a.port()).drained(), Target.at("127.0.0.1", b.port())));
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))), drained));
        for (int i = 0; i < 10; i++) {
            assertThat(Fixtures.get(Fixtures.client(), port, "/").body()).isEqualTo("b");
        }

        a.release();
        HttpResponse<String> finished = held.get(10, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).isEqualTo("a");
        await().atMost(Duration.ofSeconds(5)).until(() -> plane.reading("web", "127.0.0.1", a.port()).orElseThrow().inFlight() == 0);
    }

    @Test
    void deregistrationDelayCutsWhatIsStillRunning() throws Exception {
        TestBackend a = backend("a");
        TargetGroup web = group("web", a).withDeregistrationDelay(Duration.ofMillis(300));
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))), web));
        CompletableFuture<HttpResponse<String>> held = hold();
        assertThat(a.holding.await(10, TimeUnit.SECONDS)).isTrue();

        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))),
                web.withTargets(List.of(Target.at("127.0.0.1", a.port()).drained()))));

        // Cut after the response began would reset the connection; before it, the client gets ALB's 502.
        HttpResponse<String> cut = held.handle((response, failure) -> response).get(10, TimeUnit.SECONDS);
        if (cut != null) {
            assertThat(cut.statusCode()).isEqualTo(502);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> plane.reading("web", "127.0.0.1", a.port()).orElseThrow().inFlight() == 0);
        a.release();
    }

    @Test
    void targetRemovedOutrightFinishesItsRequestAndLeavesTheReadings() throws Exception {
        TestBackend a = backend("a");
        TestBackend b = backend("b");
        CompletableFuture<HttpResponse<String>> held = holdOnly(a);

        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))), group("web", b)));

        assertThat(Fixtures.get(Fixtures.client(), port, "/").body()).isEqualTo("b");
        assertThat(plane.reading("web", "127.0.0.1", a.port())).isEmpty();
        a.release();
        assertThat(held.get(10, TimeUnit.SECONDS).body()).isEqualTo("a");
    }
}
