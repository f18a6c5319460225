package dev.stevedore.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.HttpResponse;

import java.util.List;

import static dev.stevedore.server.console.Html.text;
import static dev.stevedore.server.console.Html.url;

/** A service: counts, deployments with their rollout, events, the circuit breaker; scaling and redeploying. */
final class ServicePages {
    private final StatsCharts charts;

    ServicePages(StatsCharts charts) {
        this.charts = charts;
    }

    HttpResponse handle(View view) {
        String name = view.request().segment(3);
        return switch (view.request().segment(4)) {
            case "scale" -> change(view, name, in -> in.put("desiredCount", count(view)), "Desired count set");
            case "deploy" -> change(view, name, in -> in.put("forceNewDeployment", true), "New deployment started");
            default -> service(view, name);
        };
    }

    private static int count(View view) {
        try {
            return Integer.parseInt(view.request().form("desiredCount").trim());
        } catch (NumberFormatException e) {
            throw new ApiCalls.Refused("InvalidParameterException", "The desired count must be a whole number.");
        }
    }

    static List<JsonNode> describe(View view, String cluster, List<String> names) {
        return Lists.described(view, "DescribeServices", "services", names, 10,
                ApiCalls.input().put("cluster", cluster));
    }

    static String table(View view, String cluster, String base) {
        List<String> arns = Lists.all(view, "ListServices", ApiCalls.input().put("cluster", cluster), "serviceArns");
        StringBuilder out = new StringBuilder("<table id=\"services\"><tr><th>Service</th><th>Status</th><th>Desired</th>"
                + "<th>Pending</th><th>Running</th><th>Rollout</th></tr>");
        for (JsonNode s : describe(view, cluster, arns)) {
            String name = s.path("serviceName").asText();
            out.append("<tr><td>").append(Html.link(base + "/services/" + url(name), name)).append("</td><td>")
                    .append(text(s.path("status").asText())).append("</td><td>").append(s.path("desiredCount").asInt())
                    .append("</td><td>").append(s.path("pendingCount").asInt()).append("</td><td>")
                    .append(s.path("runningCount").asInt()).append("</td><td>")
                    .append(text(s.path("deployments").path(0).path("rolloutState").asText(""))).append("</td></tr>");
        }
        return out.append(arns.isEmpty() ? "<tr><td colspan=\"6\">no services</td></tr>" : "").append("</table>").toString();
    }

    private HttpResponse service(View view, String name) {
        String cluster = view.request().segment(1);
        String self = "/console/clusters/" + url(cluster) + "/services/" + url(name);
        JsonNode s = Lists.described(view, "DescribeServices", "services", List.of(name), 10,
                        ApiCalls.withTags().put("cluster", cluster)).stream().findFirst()
                .orElseThrow(() -> new ApiCalls.Refused("ServiceNotFoundException", "Service not found."));
        StringBuilder live = new StringBuilder(view.notices()).append("<dl id=\"service\">");
        ClusterPages.field(live, "Status", s.path("status").asText());
        ClusterPages.field(live, "Task definition", Html.lastPart(s.path("taskDefinition").asText("")));
        ClusterPages.field(live, "Desired", s.path("desiredCount").asText());
        ClusterPages.field(live, "Pending", s.path("pendingCount").asText());
        ClusterPages.field(live, "Running", s.path("runningCount").asText());
        JsonNode breaker = s.path("deploymentConfiguration").path("deploymentCircuitBreaker");
        ClusterPages.field(live, "Circuit breaker", breaker.path("enable").asBoolean()
                ? "on" + (breaker.path("rollback").asBoolean() ? ", rolls back" : "") : "off");
        live.append("<dt>Circuit breaker state</dt><dd id=\"breaker-state\">").append(text(breakerState(view, cluster,
                name))).append("</dd>");
        live.append("</dl><p>").append(Html.link("/console/clusters/" + url(cluster) + "/tasks?service=" + url(name),
                "Tasks of this service")).append(" · ").append(Html.link("/console/clusters/" + url(cluster)
                + "/why?group=" + url("service:" + name), "Why are tasks not running?")).append("</p>");
        live.append("<h2>Deployments</h2><table id=\"deployments\"><tr><th>Deployment</th><th>Status</th>"
                + "<th>Task definition</th><th>Rollout</th><th>Running of desired</th><th>Failed tasks</th></tr>");
        for (JsonNode d : s.path("deployments")) {
            int desired = d.path("desiredCount").asInt();
            int running = d.path("runningCount").asInt();
            live.append("<tr><td>").append(text(d.path("id").asText())).append("</td><td>")
                    .append(text(d.path("status").asText())).append("</td><td>")
                    .append(text(Html.lastPart(d.path("taskDefinition").asText("")))).append("</td><td>")
                    .append(text(d.path("rolloutState").asText(""))).append("<br><small>")
                    .append(text(d.path("rolloutStateReason").asText(""))).append("</small></td><td>")
                    .append(Html.bar(running, desired, running + " running, " + d.path("pendingCount").asInt()
                            + " pending of " + desired)).append("</td><td>").append(d.path("failedTasks").asInt())
                    .append("</td></tr>");
        }
        live.append("</table><h2>Events</h2><ul id=\"events\">");
        int shown = 0;
        for (JsonNode e : s.path("events")) {
            if (shown++ == 50) {
                break;
            }
            live.append("<li>").append(TaskPages.time(e.path("createdAt"))).append(" ")
                    .append(text(e.path("message").asText())).append("</li>");
        }
        live.append("</ul>").append(Html.tags(s.path("tags"))).append(charts.service(view, s));
        String csrf = Page.csrf(view.csrfToken());
        String actions = "<div class=\"actions\"><form method=\"post\" action=\"" + text(self + "/scale") + "\">" + csrf
                + "<label>Desired count <input name=\"desiredCount\" type=\"number\" min=\"0\" value=\""
                + s.path("desiredCount").asInt() + "\"></label><button type=\"submit\" id=\"scale\">Scale</button></form>"
                + "<form method=\"post\" action=\"" + text(self + "/deploy") + "\">" + csrf
                + "<button type=\"submit\" id=\"force-deployment\">Force new deployment</button></form></div>";
        return Page.of("Service " + name, view, "/console/events?cluster=" + url(cluster) + "&group="
                + url("service:" + name), actions, live.toString());
    }

    /**
     * The circuit breaker's state in the newest service deployment (ListServiceDeployments answers newest
     * first), as DescribeServiceDeployments tells it: MONITORING, TRIGGERED, and the failed tasks against
     * the threshold. Asked as the user; a refusal is shown in its place.
     */
    private static String breakerState(View view, String cluster, String name) {
        try {
            JsonNode newest = view.ecs("ListServiceDeployments", ApiCalls.input().put("cluster", cluster)
                    .put("service", name).put("maxResults", 1)).path("serviceDeployments").path(0);
            if (newest.isMissingNode()) {
                return "no deployment recorded";
            }
            ObjectNode in = ApiCalls.input().put("cluster", cluster);
            in.putArray("serviceDeploymentArns").add(newest.path("serviceDeploymentArn").asText());
            JsonNode b = view.ecs("DescribeServiceDeployments", in).path("serviceDeployments").path(0)
                    .path("deploymentCircuitBreaker");
            String status = b.path("status").asText("");
            if (status.isEmpty() || status.equals("DISABLED")) {
                return status.isEmpty() ? "not known" : status;
            }
            return status + ": " + b.path("failureCount").asInt() + " failed tasks of a threshold of "
                    + b.path("threshold").asInt();
        } catch (ApiCalls.Refused e) {
            return e.code + ": " + e.getMessage();
        }
    }

    private HttpResponse change(View view, String name, java.util.function.Consumer<ObjectNode> what, String done) {
        String cluster = view.request().segment(1);
        String self = "/console/clusters/" + url(cluster) + "/services/" + url(name);
        if (!view.request().method().equals("POST")) {
            return Page.redirect(self);
        }
        try {
            ObjectNode in = ApiCalls.input().put("cluster", cluster).put("service", name);
            what.accept(in);
            view.ecs("UpdateService", in);
            return Page.redirect(self + "?notice=" + url(done));
        } catch (ApiCalls.Refused e) {
            return Page.redirect(self + "?error=" + url(e.code + ": " + e.getMessage()));
        }
    }
}
