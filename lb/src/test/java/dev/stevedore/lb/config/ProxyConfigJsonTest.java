package dev.stevedore.lb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ProxyConfigJsonTest {

    private static ProxyConfig everyKind() {
        TargetGroup web = new TargetGroup("arn:tg/web", List.of(Target.at("127.0.0.1", 9001),
                new Target("10.0.0.7", 8080, true)),
                new HealthCheck(true, "/health", OptionalInt.of(9100), Duration.ofSeconds(5), Duration.ofMillis(2500),
                        3, 2, "200-299,304"),
                TargetGroup.Algorithm.LEAST_OUTSTANDING_REQUESTS, Duration.ofSeconds(30), Duration.ofSeconds(7));
        TargetGroup api = TargetGroup.of("arn:tg/api", List.of());
        List<Rule> rules = List.of(
                new Rule(1, List.of(new Condition.PathPattern(List.of("/api/*", "/v?/*")),
                        new Condition.HostHeader(List.of("*.example.com")),
                        new Condition.HttpHeader("X-Team", List.of("blue", "gr*n")),
                        new Condition.HttpRequestMethod(List.of("GET", "HEAD")),
                        new Condition.QueryString(List.of(new Condition.KeyValue("", "x"), new Condition.KeyValue("v", "2"))),
                        new Condition.SourceIp(List.of("10.0.0.0/8", "::1/128"))),
                        new Action.Forward(List.of(new Action.WeightedGroup("arn:tg/web", 80),
                                new Action.WeightedGroup("arn:tg/api", 20)), Duration.ofMinutes(5))),
                new Rule(5, List.of(new Condition.PathPattern(List.of("/old"))),
                        new Action.Redirect("HTTPS", "#{host}", "443", "/new", "#{query}", 302)),
                new Rule(9, List.of(new Condition.PathPattern(List.of("/teapot"))),
                        new Action.FixedResponse(418, "text/plain", "short and stout\nline two")));
        Listener listener = new Listener("127.100.0.1", 80, rules, Action.Forward.to("arn:tg/api"), Duration.ofSeconds(45));
        Listener other = new Listener("127.100.0.2", 8080, List.of(), new Action.FixedResponse(503, "", ""));
        return new ProxyConfig(List.of(listener, other), List.of(web, api));
    }

    @Test
    void everyListenerRuleConditionActionAndTargetGroupSettingComesBackEqual() {
        ProxyConfig config = everyKind();

        String json = ProxyConfigJson.encode(config);

        assertThat(json).doesNotContain("\n");
        assertThat(ProxyConfigJson.decode(json)).isEqualTo(config);
    }

    @Test
    void theEmptyConfigurationRoundTrips() {
        assertThat(ProxyConfigJson.decode(ProxyConfigJson.encode(ProxyConfig.empty()))).isEqualTo(ProxyConfig.empty());
    }

    @Test
    void theSameConfigurationAlwaysEncodesTheSame() {
        assertThat(ProxyConfigJson.encode(everyKind())).isEqualTo(ProxyConfigJson.encode(everyKind()));
    }

    @Test
    void malformedDocumentsAreRefusedWhole() {
        String good = ProxyConfigJson.encode(everyKind());
        assertThatThrownBy(() -> ProxyConfigJson.decode("{not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyConfigJson.decode("[]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyConfigJson.decode(good.replace("\"type\":\"redirect\"", "\"type\":\"teleport\"")))
                .hasMessageContaining("teleport");
        assertThatThrownBy(() -> ProxyConfigJson.decode(good.replace("\"port\":80,", "\"port\":\"80\",")))
                .hasMessageContaining("'port'");
        // A forward to a group the document does not carry breaks ProxyConfig's own rule.
        assertThatThrownBy(() -> ProxyConfigJson.decode(good.replace("\"id\":\"arn:tg/api\"", "\"id\":\"arn:tg/gone\"")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
