package dev.stevedore.server.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.HttpResponse;

import java.util.List;

import static dev.stevedore.server.console.Html.text;
import static dev.stevedore.server.console.Html.url;

/** Task definition families, revisions, one revision's JSON, a diff of two, registering an edited revision. */
final class TaskDefinitionPages {
    /** Members DescribeTaskDefinition answers that RegisterTaskDefinition does not take. */
    private static final List<String> OUTPUT_ONLY = List.of("taskDefinitionArn", "revision", "status",
            "requiresAttributes", "compatibilities", "registeredAt", "registeredBy", "deregisteredAt",
            "deleteRequestedAt");
    /**
     * The event stream of the families, revisions and revision pages: they change as revisions are
     * registered, deregistered or deleted (a diff shows two fixed revisions and is not live).
     */
    private static final String LIVE = "/console/events?taskdefs=1";

    HttpResponse handle(View view) {
        ConsoleRequest r = view.request();
        String family = r.segment(1);
        if (family.equals("register")) {
            return register(view);
        }
        if (family.isEmpty()) {
            return families(view);
        }
        return switch (r.segment(2)) {
            case "" -> revisions(view, family);
            case "diff" -> diff(view, family);
            default -> revision(view, family, r.segment(2));
        };
    }

    private HttpResponse families(View view) {
        StringBuilder live = new StringBuilder(view.notices()).append("<ul id=\"families\">");
        for (String f : Lists.all(view, "ListTaskDefinitionFamilies", ApiCalls.input().put("status", "ACTIVE"),
                "families")) {
            live.append("<li>").append(Html.link("/console/taskdefs/" + url(f), f)).append("</li>");
        }
        return Page.of("Task definitions", view, LIVE, "", live.append("</ul>").toString());
    }

    private HttpResponse revisions(View view, String family) {
        ObjectNode in = ApiCalls.input().put("familyPrefix", family).put("sort", "DESC");
        List<String> arns = Lists.all(view, "ListTaskDefinitions", in, "taskDefinitionArns").stream()
                .filter(a -> Html.lastPart(a).startsWith(family + ":")).toList();
        StringBuilder live = new StringBuilder("<ul id=\"revisions\">");
        StringBuilder options = new StringBuilder();
        for (String arn : arns) {
            String rev = arn.substring(arn.lastIndexOf(':') + 1);
            live.append("<li>").append(Html.link("/console/taskdefs/" + url(family) + "/" + url(rev),
                    Html.lastPart(arn))).append("</li>");
            options.append("<option>").append(text(rev)).append("</option>");
        }
        String diff = "<form method=\"get\" action=\"" + text("/console/taskdefs/" + url(family) + "/diff")
                + "\" class=\"actions\" id=\"diff-form\"><label>Compare <select name=\"a\">" + options
                + "</select></label><label>with <select name=\"b\">" + options + "</select></label>"
                + "<button type=\"submit\">Diff</button></form>";
        return Page.of("Family " + family, view, LIVE, diff, live.append("</ul>").toString());
    }

    private static JsonNode describe(View view, String family, String revision) {
        return view.ecs("DescribeTaskDefinition", ApiCalls.input().put("taskDefinition", family + ":" + revision))
                .path("taskDefinition");
    }

    private static String pretty(JsonNode node) {
        try {
            return AwsJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse revision(View view, String family, String revision) {
        JsonNode def = describe(view, family, revision);
        ObjectNode input = def.deepCopy();
        OUTPUT_ONLY.forEach(input::remove);
        String live = view.notices() + "<pre id=\"definition-json\" class=\"json\">" + text(pretty(def)) + "</pre>";
        String edit = "<details class=\"actions\"><summary>Register a new revision from this one</summary>"
                + "<form method=\"post\" action=\"/console/taskdefs/register\">" + Page.csrf(view.csrfToken())
                + "<textarea name=\"definition\" id=\"definition-edit\" rows=\"24\" cols=\"100\">" + text(pretty(input))
                + "</textarea><button type=\"submit\" id=\"register\">Register</button></form></details>";
        return Page.of(family + ":" + revision, view, LIVE, edit, live);
    }

    private HttpResponse register(View view) {
        if (!view.request().method().equals("POST")) {
            return Page.redirect("/console/taskdefs");
        }
        JsonNode edited;
        try {
            edited = AwsJson.mapper().readTree(view.request().form("definition"));
        } catch (JsonProcessingException e) {
            return Page.redirect("/console/taskdefs?error=" + url("The definition is not valid JSON: "
                    + e.getOriginalMessage()));
        }
        if (edited == null || !edited.isObject()) {
            return Page.redirect("/console/taskdefs?error=" + url("The definition must be a JSON object."));
        }
        try {
            JsonNode def = view.ecs("RegisterTaskDefinition", (ObjectNode) edited).path("taskDefinition");
            return Page.redirect("/console/taskdefs/" + url(def.path("family").asText()) + "/"
                    + def.path("revision").asInt() + "?notice=" + url("Registered"));
        } catch (ApiCalls.Refused e) {
            return Page.redirect("/console/taskdefs?error=" + url(e.code + ": " + e.getMessage()));
        }
    }

    private HttpResponse diff(View view, String family) {
        String a = view.request().query("a");
        String b = view.request().query("b");
        List<String> left = pretty(describe(view, family, a)).lines().toList();
        List<String> right = pretty(describe(view, family, b)).lines().toList();
        StringBuilder live = new StringBuilder("<pre id=\"diff\" class=\"diff\">");
        for (LineDiff.Line line : LineDiff.of(left, right)) {
            String cls = switch (line.kind()) {
                case SAME -> "same";
                case REMOVED -> "removed";
                case ADDED -> "added";
            };
            String mark = switch (line.kind()) {
                case SAME -> "  ";
                case REMOVED -> "- ";
                case ADDED -> "+ ";
            };
            live.append("<span class=\"").append(cls).append("\">").append(mark).append(text(line.text()))
                    .append("</span>\n");
        }
        return Page.of(family + ": revision " + a + " against " + b, view, "", "", live.append("</pre>").toString());
    }
}
