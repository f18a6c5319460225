package dev.stevedore.server.console;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The console's HTML, built as text: every value that comes from a record (a name, a tag, an
 * environment value, an event message) goes through {@link #text}, so markup in it is shown, never run.
 */
final class Html {

    private Html() {
    }

    /** {@code value} as text in an element or a quoted attribute. */
    static String text(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code value} as one path segment or query value of a console link (then escaped for the attribute). */
    static String url(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A link whose address is built from escaped parts and whose label is text. */
    static String link(String href, String label) {
        return "<a href=\"" + text(href) + "\">" + text(label) + "</a>";
    }

    /**
     * A bar showing {@code used} of {@code total}, with the figures as text beside it: a {@code progress}
     * element, because the pages' content security policy allows no inline style to size a div.
     */
    static String bar(long used, long total, String label) {
        return "<progress class=\"bar\" value=\"" + Math.max(0, Math.min(used, total)) + "\" max=\""
                + Math.max(total, 1) + "\" title=\"" + text(label) + "\"></progress><span class=\"figures\">"
                + text(label) + "</span>";
    }

    /** A record's tags (DescribeX with {@code include: ["TAGS"]}) as a table of text; nothing when it has none. */
    static String tags(JsonNode tags) {
        if (!tags.isArray() || tags.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("<h2>Tags</h2><table id=\"tags\"><tr><th>Key</th><th>Value</th></tr>");
        for (JsonNode t : tags) {
            out.append("<tr><td>").append(text(t.path("key").asText())).append("</td><td>")
                    .append(text(t.path("value").asText(""))).append("</td></tr>");
        }
        return out.append("</table>").toString();
    }

    /** The last part of an ARN ({@code .../name}), or the value itself. */
    static String lastPart(String arn) {
        int slash = arn.lastIndexOf('/');
        return slash < 0 ? arn : arn.substring(slash + 1);
    }
}
