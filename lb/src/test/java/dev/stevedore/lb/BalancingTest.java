package dev.stevedore.lb;

import static dev.stevedore.lb.Fixtures.config;
import static dev.stevedore.lb.Fixtures.get;
import static dev.stevedore.lb.Fixtures.group;
import static dev.stevedore.lb.Fixtures.listener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stevedore.lb.config.Action;
import dev.stevedore.lb.config.TargetGroup;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The algorithms beyond plain round robin: least outstanding requests, and slow start. */
class BalancingTest extends PlaneTestBase {

    @Test
    void leastOutstandingRequestsAvoidsTheBusyTarget() throws Exception {
        TestBackend a = backend("a");
        TestBackend b = backend("b");
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))),
                group("web", a, b).withAlgorithm(TargetGroup.Algorithm.LEAST_OUTSTANDING_REQUESTS)));
        CompletableFuture<HttpResponse<String>> held = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hold")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> a.holding.getCount() == 0 || b.holding.getCount() == 0);
        TestBackend busy = a.holding.getCount() == 0 ? a : b;
        String idle = busy == a ? "b" : "a";

        for (int i = 0; i < 10; i++) {
            assertThat(get(Fixtures.client(), port, "/").body()).isEqualTo(idle);
        }
        busy.release();
        assertThat(held.get(10, TimeUnit.SECONDS).body()).isEqualTo(busy.name);
    }

    @Test
    void newlyHealthyTargetRampsUpWhileTheEstablishedOneTakesMost() throws Exception {
        TestBackend a = backend("a");
        TestBackend b = backend("b");
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))), group("web", a).withSlowStart(Duration.ofSeconds(60))));
        await().atMost(Duration.ofSeconds(10)).until(() -> plane.reading("web", "127.0.0.1", a.port()).orElseThrow().verdict().equals("healthy"));

        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))), group("web", a, b).withSlowStart(Duration.ofSeconds(60))));
        await().atMost(Duration.ofSeconds(10)).until(() -> plane.reading("web", "127.0.0.1", b.port()).orElseThrow().verdict().equals("healthy"));
        int before = a.hits();
        for (int i = 0; i < 100; i++) {
            assertThat(get(client, port, "/").statusCode()).isEqualTo(200);
        }

        // A few seconds into a 60 s window b weighs a few percent of a; plain round robin would give it 50.
        assertThat(b.hits()).isLessThan(25);
        assertThat(a.hits() - before).isGreaterThan(75);
    }
}
