package dev.stevedore.lb;

import static org.awaitility.Awaitility.await;

import static dev.stevedore.lb.Fixtures.config;
import static dev.stevedore.lb.Fixtures.get;
import static dev.stevedore.lb.Fixtures.group;
import static dev.stevedore.lb.Fixtures.listener;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.lb.config.Action;
import dev.stevedore.lb.config.Condition;
import dev.stevedore.lb.config.Rule;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingTest extends PlaneTestBase {

    @Test
    void roundRobinSpreadsRequestsEvenlyOverThreeTargets() throws Exception {
        TestBackend a = backend("a");
        TestBackend b = backend("b");
        TestBackend c = backend("c");
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))), group("web", a, b, c)));
        // Evenly once all three are healthy: before that the round goes over the ones that are (or, while
        // none is, over all), and on a loaded machine the first checks end at different times.
        for (TestBackend target : List.of(a, b, c)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> plane.reading("web", "127.0.0.1", target.port())
                    .orElseThrow().verdict().equals("healthy"));
        }

        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> response = get(client, port, "/");
            assertThat(response.statusCode()).isEqualTo(200);
            counts.merge(response.body(), 1, Integer::sum);
        }

        assertThat(counts).containsOnlyKeys("a", "b", "c");
        assertThat(counts.values()).containsOnly(10);
    }

    @Test
    void forwardedHeadersAreAddedAndAppended() throws Exception {
        TestBackend a = backend("a");
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))), group("web", a)));

        HttpResponse<String> plain = get(client, port, "/");
        HttpResponse<String> chained = get(client, port, "/", "X-Forwarded-For", "203.0.113.7");

        assertThat(plain.headers().firstValue("Seen-For")).hasValue("127.0.0.1");
        assertThat(plain.headers().firstValue("Seen-Proto")).hasValue("http");
        assertThat(plain.headers().firstValue("Seen-Port")).hasValue(Integer.toString(port));
        assertThat(chained.headers().firstValue("Seen-For")).hasValue("203.0.113.7, 127.0.0.1");
    }

    @Test
    void pathRuleSendsMatchingRequestsToSecondGroup() throws Exception {
        TestBackend web = backend("web");
        TestBackend api = backend("api");
        Rule apiRule = new Rule(10, List.of(new Condition.PathPattern(List.of("/api/*"))), Action.Forward.to("api"));
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"), apiRule)), group("web", web), group("api", api)));

        assertThat(get(client, port, "/api/users?x=1").body()).isEqualTo("api");
        assertThat(get(client, port, "/apix").body()).isEqualTo("web");
        assertThat(get(client, port, "/").body()).isEqualTo("web");
    }

    @Test
    void hostHeaderRuleMatchesHostWithoutPortAndCase() throws Exception {
        TestBackend web = backend("web");
        TestBackend shop = backend("shop");
        Rule shopRule = new Rule(5, List.of(new Condition.HostHeader(List.of("shop.*.example"))), Action.Forward.to("shop"));
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"), shopRule)), group("web", web), group("shop", shop)));

        assertThat(RawHttp.get(port, "/", "SHOP.eu.example:8080")).endsWith("\r\n\r\nshop");
        assertThat(RawHttp.get(port, "/", "www.eu.example")).endsWith("\r\n\r\nweb");
    }

    @Test
    void conditionsCombineAndRulesGoByPriority() throws Exception {
        TestBackend web = backend("web");
        TestBackend beta = backend("beta");
        TestBackend admin = backend("admin");
        Rule betaRule = new Rule(20, List.of(
                new Condition.HttpHeader("X-Channel", List.of("beta*")),
                new Condition.HttpRequestMethod(List.of("GET"))), Action.Forward.to("beta"));
        Rule adminRule = new Rule(10, List.of(
                new Condition.QueryString(List.of(new Condition.KeyValue("", "ADMIN"))),
                new Condition.SourceIp(List.of("127.0.0.0/8"))), Action.Forward.to("admin"));
        Rule farAway = new Rule(1, List.of(new Condition.SourceIp(List.of("10.0.0.0/8"))), new Action.FixedResponse(403, "text/plain", "no"));
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"), betaRule, adminRule, farAway)),
                group("web", web), group("beta", beta), group("admin", admin)));

        assertThat(get(client, port, "/", "X-Channel", "Beta-2").body()).isEqualTo("beta");
        assertThat(get(client, port, "/?role=admin", "X-Channel", "beta").body()).isEqualTo("admin");
        assertThat(get(client, port, "/", "X-Channel", "stable").body()).isEqualTo("web");
    }

    @Test
    void weightedForwardHonoursWeightsAndStickiness() throws Exception {
        TestBackend blue = backend("blue");
        TestBackend green = backend("green");
        Action allGreen = new Action.Forward(List.of(new Action.WeightedGroup("blue", 0), new Action.WeightedGroup("green", 5)), Duration.ZERO);
        plane.apply(config(List.of(listener(port, allGreen)), group("blue", blue), group("green", green)));
        for (int i = 0; i < 10; i++) {
            assertThat(get(client, port, "/").body()).isEqualTo("green");
        }

        Action split = new Action.Forward(List.of(new Action.WeightedGroup("blue", 1), new Action.WeightedGroup("green", 1)), Duration.ofHours(1));
        plane.apply(config(List.of(listener(port, split)), group("blue", blue), group("green", green)));
        Map<String, Integer> seen = new HashMap<>();
        String cookie = "";
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> response = get(client, port, "/");
            seen.merge(response.body(), 1, Integer::sum);
            cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).startsWith("AWSALBTG=").contains("Max-Age=3600");
        }
        assertThat(seen).containsOnlyKeys("blue", "green");

        String pinned = cookie.substring(0, cookie.indexOf(';'));
        String first = get(client, port, "/", "Cookie", pinned).body();
        for (int i = 0; i < 20; i++) {
            assertThat(get(client, port, "/", "Cookie", pinned).body()).isEqualTo(first);
        }
    }

    @Test
    void fixedResponseAndRedirect() throws Exception {
        Rule moved = new Rule(1, List.of(new Condition.PathPattern(List.of("/old/*"))),
                new Action.Redirect("#{protocol}", "new.example", "#{port}", "/v2/#{path}", "#{query}&from=old", 302));
        Rule secure = new Rule(2, List.of(new Condition.PathPattern(List.of("/login"))),
                new Action.Redirect("HTTPS", "#{host}", "443", "/#{path}", "#{query}", 301));
        plane.apply(config(List.of(listener(port, new Action.FixedResponse(418, "text/plain", "teapot"), moved, secure))));

        HttpResponse<String> fixed = get(client, port, "/anything");
        assertThat(fixed.statusCode()).isEqualTo(418);
        assertThat(fixed.body()).isEqualTo("teapot");
        assertThat(fixed.headers().firstValue("Content-Type")).hasValue("text/plain");

        HttpResponse<String> redirected = get(client, port, "/old/page?a=1");
        assertThat(redirected.statusCode()).isEqualTo(302);
        assertThat(redirected.headers().firstValue("Location"))
                .hasValue("http://new.example:" + port + "/v2/old/page?a=1&from=old");

        String raw = RawHttp.get(port, "/login", "site.example:" + port);
        assertThat(raw).startsWith("HTTP/1.1 301").contains("location: https://site.example/login\r\n");
    }
}
