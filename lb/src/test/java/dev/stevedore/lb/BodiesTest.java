package dev.stevedore.lb;

import static dev.stevedore.lb.Fixtures.config;
import static dev.stevedore.lb.Fixtures.group;
import static dev.stevedore.lb.Fixtures.listener;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.lb.config.Action;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import dev.stevedore.lb.config.Target;
import dev.stevedore.lb.config.TargetGroup;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Bodies stream through in both directions, with a length or chunked, and connections are reused after. */
class BodiesTest extends PlaneTestBase {

    @Test
    void requestBodiesWithLengthAndChunkedReachTheTarget() throws Exception {
        TestBackend a = backend("a");
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))), group("web", a)));
        URI uri = URI.create("http://127.0.0.1:" + port + "/size");
        byte[] body = new byte[3 * 1024 * 1024];

        HttpResponse<String> sized = client.send(HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        Supplier<InputStream> stream = () -> new ByteArrayInputStream(body);
        HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofInputStream(stream)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(sized.body()).isEqualTo(Integer.toString(body.length));
        assertThat(chunked.body()).isEqualTo(Integer.toString(body.length));
        assertThat(Fixtures.get(client, port, "/").body()).isEqualTo("a");
    }

    @Test
    void largeChunkedResponsesArriveWhole() throws Exception {
        TestBackend a = backend("a");
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))), group("web", a)));
        URI uri = URI.create("http://127.0.0.1:" + port + "/big");

        List<Integer> lengths = IntStream.range(0, 3).mapToObj(i -> {
            try {
                return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray()).body().length;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();

        assertThat(lengths).containsOnly(4 * 1024 * 1024);
    }

    @Test
    void headerLinesEndedByALoneLineFeedAndABodyEndedByTheConnectionArriveWhole() throws Exception {
        // What busybox httpd sends for a CGI script: its status line, then the script's lines as it wrote them.
        RawTarget cgi = closeLater(new RawTarget("HTTP/1.1 200 OK\r\nContent-Type: text/plain\n\nslow answer\n"));
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))),
                TargetGroup.of("web", List.of(Target.at("127.0.0.1", cgi.port())))));

        HttpResponse<String> response = Fixtures.get(client, port, "/cgi-bin/slow");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(response.body()).isEqualTo("slow answer\n");
    }
}
