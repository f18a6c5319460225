package dev.stevedore.server.console;

import dev.stevedore.awsproto.AwsJson;
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

    @Test
    void tagsAreShownAsTextAndNotAtAllWhenThereAreNone() throws Exception {
        var tags = AwsJson.mapper().readTree("[{\"key\":\"<i>team</i>\",\"value\":\"<script>x</script>\"}]");

        assertThat(Html.tags(tags)).contains("<td>&lt;i&gt;team&lt;/i&gt;</td><td>&lt;script&gt;x&lt;/script&gt;</td>")
                .doesNotContain("<script>");
        assertThat(Html.tags(AwsJson.mapper().createArrayNode())).isEmpty();
        assertThat(Html.tags(AwsJson.mapper().missingNode())).isEmpty();
    }
}
