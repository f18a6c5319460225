package dev.stevedore.server;

import dev.stevedore.awsproto.HttpResponse;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HttpEdgeStreamsTest {

    @Test
    void aStreamIsWrittenEventByEventAndHoldsNoPlaceAmongTheRequestsInFlight() throws Exception {
        CountDownLatch firstSent = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        EventStream stream = sink -> {
            sink.send("change", "one");
            firstSent.countDown();
            mayFinish.await();
            sink.send("change", "two\nlines");
        };
        try (HttpEdge edge = HttpEdge.start("127.0.0.1", 0,
                request -> new HttpResponse(200, Map.of(), "whole".getBytes(StandardCharsets.UTF_8)),
                HttpEdge.Upgrades.NONE,
                request -> request.path().equals("/events") ? Optional.of(stream) : Optional.empty(),
                EdgeLimits.defaults())) {
            HttpClient client = HttpClient.newHttpClient();
            java.net.http.HttpResponse<InputStream> answer = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + edge.port() + "/events")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            assertThat(firstSent.await(10, TimeUnit.SECONDS)).isTrue();
            int inFlightWhileOpen = edge.requestsInFlight();
            String ordinary = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + "/x"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            mayFinish.countDown();
            List<String> lines = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
                reader.lines().filter(l -> !l.isEmpty() && !l.startsWith(":")).forEach(lines::add);
            }

            assertThat(inFlightWhileOpen).isZero();
            assertThat(ordinary).isEqualTo("whole");
            assertThat(lines).containsExactly("event: change", "data: one", "event: change", "data: two lines");
        }
    }
}
