package dev.stevedore.server.console;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlTest {

    @Test
    void markupInAValueBecomesText() {
        assertThat(Html.text("<script>alert('x')</script> & \"q\""))
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
        assertThat(Html.link("/console/clusters/" + Html.url("a b\"<"), "<b>"))
                .isEqualTo("<a href=\"/console/clusters/a%20b%22%3C\">&lt;b&gt;</a>");
    }
}
