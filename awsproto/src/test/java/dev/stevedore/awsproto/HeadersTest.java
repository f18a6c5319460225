package dev.stevedore.awsproto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersTest {

    @Test
    void namesCompareCaseInsensitivelyAndValuesKeepTheirOrder() {
        Headers headers = Headers.of(Map.of("X-Amz-Date", List.of("20240501T120000Z"),
                "x-amz-target", List.of("A.B"), "Accept", List.of("a", "b")));

        assertThat(headers.first("x-amz-date")).contains("20240501T120000Z");
        assertThat(headers.first("X-AMZ-TARGET")).contains("A.B");
        assertThat(headers.all("accept")).containsExactly("a", "b");
        assertThat(headers.all("missing")).isEmpty();
        assertThat(headers.first("missing")).isEmpty();
        assertThat(headers.names()).containsExactly("Accept", "X-Amz-Date", "x-amz-target");
    }

    @Test
    void spellingsOfOneNameMerge() {
        Headers headers = Headers.builder().add("Via", "a").add("VIA", "b").build();

        assertThat(headers.all("via")).containsExactly("a", "b");
        assertThat(headers.names()).containsExactly("Via");
    }

    @Test
    void copiesLeaveTheOriginalAlone() {
        Headers original = Headers.of("Host", "a");

        assertThat(original.withOnly("host", "b").first("Host")).contains("b");
        assertThat(original.with("Host", "c").all("host")).containsExactly("a", "c");
        assertThat(original.without("HOST").contains("host")).isFalse();
        assertThat(original.first("Host")).contains("a");
        assertThat(Headers.of("host", "a")).isEqualTo(original).hasSameHashCodeAs(original);
    }

    @Test
    void credentialsAreNotPrinted() {
        Headers headers = Headers.of("Authorization", "AWS4-HMAC-SHA256 Signature=abc", "X-Amz-Security-Token", "tok",
                "Host", "localhost");

        assertThat(headers.toString()).isEqualTo("{Authorization=***, Host=[localhost], X-Amz-Security-Token=***}");
    }
}
