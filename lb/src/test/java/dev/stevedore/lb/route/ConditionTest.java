package dev.stevedore.lb.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.lb.config.Action;
import dev.stevedore.lb.config.Condition;
import dev.stevedore.lb.config.Rule;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionTest {

    private record Request(String method, String path, String query, String host, Map<String, List<String>> all,
            InetAddress source) implements RequestView {
        @Override
        public List<String> headers(String name) {
            return all.getOrDefault(name.toLowerCase(), List.of());
        }
    }

    private static Request request(String path, String query) throws Exception {
        return new Request("GET", path, query, "www.example.com", Map.of("x-env", List.of("Staging")),
                InetAddress.getByName("192.168.1.20"));
    }

    private static boolean matches(Condition condition, Request request) {
        return RouteTable.matches(new Rule(1, List.of(condition), new Action.FixedResponse(200, "", "")), request);
    }

    @Test
    void wildcardsMatchAsAlbDocumentsThem() {
        assertThat(new Wildcard("/img/*.png", false).matches("/img/a/b.png")).isTrue();
        assertThat(new Wildcard("/img/?.png", false).matches("/img/ab.png")).isFalse();
        assertThat(new Wildcard("/img/?.png", false).matches("/img/a.png")).isTrue();
        assertThat(new Wildcard("*", false).matches("")).isTrue();
        assertThat(new Wildcard("/API/*", false).matches("/api/x")).isFalse();
        assertThat(new Wildcard("*.EXAMPLE.com", true).matches("www.example.COM")).isTrue();
        assertThat(new Wildcard("a*b*c", false).matches("aXbYbZc")).isTrue();
        assertThat(new Wildcard("a*b*c", false).matches("aXbYbZ")).isFalse();
    }

    @Test
    void cidrBlocksOfBothFamilies() throws Exception {
        assertThat(Cidr.parse("192.168.0.0/16").contains(InetAddress.getByName("192.168.200.1"))).isTrue();
        assertThat(Cidr.parse("192.168.1.16/28").contains(InetAddress.getByName("192.168.1.40"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains(InetAddress.getByName("2001:db8::1"))).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains(InetAddress.getByName("10.0.0.1"))).isFalse();
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachConditionKind() throws Exception {
        Request r = request("/shop/cart", "Item=Book%20One&page=2");
        assertThat(matches(new Condition.PathPattern(List.of("/blog/*", "/shop/*")), r)).isTrue();
        assertThat(matches(new Condition.HostHeader(List.of("*.example.com")), r)).isTrue();
        assertThat(matches(new Condition.HttpHeader("X-Env", List.of("stag*")), r)).isTrue();
        assertThat(matches(new Condition.HttpHeader("X-Other", List.of("*")), r)).isFalse();
        assertThat(matches(new Condition.HttpRequestMethod(List.of("POST")), r)).isFalse();
        assertThat(matches(new Condition.HttpRequestMethod(List.of("GET", "HEAD")), r)).isTrue();
        assertThat(matches(new Condition.QueryString(List.of(new Condition.KeyValue("item", "book one"))), r)).isTrue();
        assertThat(matches(new Condition.QueryString(List.of(new Condition.KeyValue("", "2"))), r)).isTrue();
        assertThat(matches(new Condition.QueryString(List.of(new Condition.KeyValue("page", "3"))), r)).isFalse();
        assertThat(matches(new Condition.SourceIp(List.of("10.0.0.0/8", "192.168.1.0/24")), r)).isTrue();
    }
}
